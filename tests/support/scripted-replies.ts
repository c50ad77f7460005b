import { stubText, type StubReply, type StubRequest } from "./openai-stub.js";

/** A scripted "model" that solves retail.where-is-my-order, reading ids out of tool results. */
export function solveWhereIsMyOrder(request: StubRequest) {
  const results = request.messages.filter((m) => m.role === "tool").map((m) => JSON.parse(stubText(m)));
  switch (results.length) {
    case 0:
      return { toolCalls: [{ name: "find_customer", args: { email: "ben.okafor@example.com" } }] };
    case 1:
      return { toolCalls: [{ name: "list_orders", args: { customerId: results[0].customerId } }] };
    case 2:
      return {
        toolCalls: [
          { name: "track_shipment", args: { orderId: results[1].find((o: { status: string }) => o.status === "shipped").orderId } },
        ],
      };
    default: {
      const t = results[2];
      return { content: `Order ${t.orderId} ships with ${t.carrier}, tracking ${t.trackingNumber}, due ${t.estimatedDelivery}.` };
    }
  }
}

/**
 * The replies of `solve`, after the given failures: the first requests get
 * the failures in order (a 429, a dropped connection, ...), every later one
 * the solver's answer, so a run through the failures ends as it would without them.
 */
export function afterFailures(
  failures: readonly StubReply[],
  solve: (request: StubRequest) => StubReply,
): (request: StubRequest) => StubReply {
  let served = 0;
  return (request) => failures[served++] ?? solve(request);
}
