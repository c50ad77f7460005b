import { defineScenario, type PlanContext } from "../define.js";
import { retailEnvironment as environment } from "./environment.js";

/** The first order in a `list_orders` result with the given status. */
function orderWithStatus(context: PlanContext, status: string): string {
  const orders = context.result("list_orders") as Array<{ orderId: string; status: string }>;
  const found = orders.find((o) => o.status === status);
  if (!found) throw new Error(`no ${status} order in list_orders result`);
  return found.orderId;
}

const customerId = (context: PlanContext): string => context.result("find_customer").customerId;

export const orderStatus = defineScenario({
  id: "retail.where-is-my-order",
  title: "Track a shipped order for a customer who only gives their email",
  environment,
  task: "Hi, I'm Ben (ben.okafor@example.com). My desk lamp hasn't arrived yet. Where is it and when will it come?",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "ben.okafor@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "track_shipment", args: (c) => ({ orderId: orderWithStatus(c, "shipped") }) },
    ],
    answer: (c) => {
      const t = c.result("track_shipment");
      return `Your desk lamp (order ${t.orderId}) is on its way with ${t.carrier}, tracking number ${t.trackingNumber}. It should arrive on ${t.estimatedDelivery}.`;
    },
  },
  distractors: [{ tool: "get_return_policy", args: {} }],
  expect: { answerIncludes: ["O-2001", "PC-88-4411", "2026-11-22"] },
  tags: ["lookup", "read-only", "ids-from-results"],
});

export const cancelPending = defineScenario({
  id: "retail.cancel-pending-order",
  title: "Cancel the customer's order that has not shipped",
  environment,
  task: "Please cancel the kettle I ordered, I found one locally. My email is ana.lima@example.com.",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "ana.lima@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "cancel_order", args: (c) => ({ orderId: orderWithStatus(c, "pending"), reason: "customer found the item elsewhere" }) },
    ],
    answer: (c) => `Done: order ${c.result("cancel_order").orderId} (steel kettle) is cancelled and you will not be charged.`,
  },
  distractors: [{ tool: "get_customer", args: { customerId: "C-100" } }],
  expect: { answerIncludes: ["O-1002", "cancelled"] },
  tags: ["write", "ids-from-results"],
});

const newAddress = { line1: "77 Quay Street", city: "Manchester", postcode: "M3 3JE", country: "GB" };

export const changeAddress = defineScenario({
  id: "retail.change-shipping-address",
  title: "Re-address an order that is still processing",
  environment,
  task: "I'm moving! Please send my oak chairs to 77 Quay Street, Manchester M3 3JE (UK) instead. This is ben.okafor@example.com.",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "ben.okafor@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "update_shipping_address", args: (c) => ({ orderId: orderWithStatus(c, "processing"), address: newAddress }) },
    ],
    answer: (c) =>
      `Your order ${c.result("update_shipping_address").orderId} (oak chairs) will now ship to 77 Quay Street, Manchester M3 3JE.`,
  },
  distractors: [{ tool: "track_shipment", args: { orderId: "O-2001" } }],
  expect: { answerIncludes: ["O-2002", "77 Quay Street"] },
  tags: ["write", "ids-from-results"],
});

export const returnItem = defineScenario({
  id: "retail.return-damaged-mug",
  title: "Open a return for one item of a recent delivered order",
  environment,
  task: "One of the blue mugs from my last delivered order arrived chipped. I'd like to return the mugs. Email: ana.lima@example.com",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "ana.lima@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "get_order", args: (c) => ({ orderId: orderWithStatus(c, "delivered") }) },
      {
        tool: "create_return",
        args: (c) => {
          const o = c.result("get_order") as { id: string; items: Array<{ sku: string; name: string }> };
          return { orderId: o.id, skus: o.items.filter((i) => i.name.includes("mug")).map((i) => i.sku), reason: "arrived chipped" };
        },
      },
    ],
    answer: (c) => {
      const r = c.result("create_return");
      return `I've opened return ${r.returnId} for the mugs (${r.skus.join(", ")}) from order ${r.orderId}. You'll get a prepaid label by email.`;
    },
  },
  distractors: [{ tool: "get_return_policy", args: {} }],
  expect: { answerIncludes: ["RET-0001", "O-1001"] },
  tags: ["write", "ids-from-results", "policy"],
});

export const partialRefund = defineScenario({
  id: "retail.partial-refund-late-delivery",
  title: "Refund the shipping-delay compensation on a known order",
  environment,
  task: "Order O-2001 is a week late. Your policy promises 10% back on late orders; please refund it. I'm Ben Okafor.",
  reference: {
    calls: [
      { tool: "get_order", args: { orderId: "O-2001" } },
      {
        tool: "issue_refund",
        args: (c) => ({
          orderId: "O-2001",
          amount: Math.round(c.result("get_order").total * 10) / 100,
          reason: "late delivery compensation (10%)",
        }),
      },
    ],
    answer: (c) => {
      const r = c.result("issue_refund");
      const total = c.result("get_order").total as number;
      return `I've refunded ${r.amount.toFixed(2)}, 10% of the ${total.toFixed(2)} you paid (refund ${r.refundId} on order ${r.orderId}), for the late delivery.`;
    },
  },
  distractors: [{ tool: "track_shipment", args: { orderId: "O-2001" } }],
  expect: { answerIncludes: ["4.00", "RF-0001"] },
  tags: ["write", "arithmetic"],
});

export const returnOutsideWindow = defineScenario({
  id: "retail.return-outside-window",
  title: "Decline a return outside the 30-day window",
  environment,
  task: "I want to return the rain jacket I bought in September, it's the wrong size. chen.wei@example.com",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "chen.wei@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      {
        tool: "get_order",
        args: (c) => {
          const orders = c.result("list_orders") as Array<{ orderId: string; items: string[] }>;
          const jacket = orders.find((o) => o.items.some((name) => name.includes("jacket")));
          if (!jacket) throw new Error("no jacket order");
          return { orderId: jacket.orderId };
        },
      },
    ],
    answer: (c) => {
      const o = c.result("get_order");
      return `I'm sorry: order ${o.id} was delivered on ${o.deliveredOn}, more than 30 days ago, so it is outside the return window and I cannot open a return.`;
    },
  },
  distractors: [{ tool: "get_return_policy", args: {} }],
  expect: {
    answerIncludes: ["O-3001", "30 days"],
    checks: {
      "no return opened": ({ finalState }) => Object.keys(finalState.returns).length === 0,
    },
  },
  tags: ["refuse", "policy", "ids-from-results"],
});

export const returnAndRefund = defineScenario({
  id: "retail.return-and-refund-socks",
  title: "Return one item of a two-item order and refund just that item",
  environment,
  task: "The wool socks from my latest order itch. Return them and refund me for the socks only. chen.wei@example.com",
  reference: {
    calls: [
      { tool: "find_customer", args: { email: "chen.wei@example.com" } },
      { tool: "list_orders", args: (c) => ({ customerId: customerId(c) }) },
      { tool: "get_order", args: (c) => ({ orderId: (c.result("list_orders") as Array<{ orderId: string }>)[0]!.orderId }) },
      {
        tool: "create_return",
        args: (c) => {
          const o = c.result("get_order") as { id: string; items: Array<{ sku: string; name: string }> };
          return { orderId: o.id, skus: o.items.filter((i) => i.name.includes("socks")).map((i) => i.sku), reason: "itchy" };
        },
      },
      {
        tool: "issue_refund",
        args: (c) => {
          const o = c.result("get_order") as {
            id: string;
            items: Array<{ sku: string; name: string; unitPrice: number; quantity: number }>;
          };
          const socks = o.items.find((i) => i.name.includes("socks"))!;
          return { orderId: o.id, amount: socks.unitPrice * socks.quantity, reason: "returned socks" };
        },
      },
    ],
    answer: (c) => {
      const r = c.result("create_return");
      const f = c.result("issue_refund");
      return `Return ${r.returnId} is open for the socks on order ${r.orderId}, and I've refunded ${f.amount.toFixed(2)} (refund ${f.refundId}).`;
    },
  },
  distractors: [{ tool: "get_customer", args: { customerId: "C-300" } }],
  expect: { answerIncludes: ["RET-0001", "21.00", "O-3002"] },
  tags: ["write", "ids-from-results", "multi-write"],
});

/** Retail scenarios, in a stable order. */
export const retailScenarios = [orderStatus, cancelPending, changeAddress, returnItem, partialRefund, returnOutsideWindow, returnAndRefund];
