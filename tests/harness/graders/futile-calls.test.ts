import { describe, expect, it } from "vitest";
import { futileCallsGrader, type GradedResult } from "../../../harness/index.js";
import { buildTrajectory, type Move } from "./support/build-trajectory.js";

const labels = (result: unknown) => (result as GradedResult).steps.map((step) => [step.eventId, step.label]);

describe("futile-calls: made-up ids", () => {
  const pay = (method: string, error?: string): Move => ({
    call: "pay_invoice",
    args: { invoice: "INV-2291", method },
    effect: "write",
    ...(error ? { error: "tool_error" as const, message: error } : { result: { paid: true } }),
  });
  const profile: Move = { call: "get_customer", args: { customer: "cu_8812" }, result: { methods: ["card_4410023"] } };

  it("labels a failed call given an id no user message or earlier result held", () => {
    const t = buildTrajectory([profile, pay("card_9930187", "Error: payment method not found")], {
      task: "Pay INV-2291 for customer cu_8812 with my card on file",
    });
    const result = futileCallsGrader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([["e5", "made_up_id"]]);
    expect(result.steps[0]!.reason).toContain('was given "card_9930187", which no instruction, user message or earlier result held');
  });

  it("leaves alone an id from the user or a result, a call that succeeded, and a momentary failure", () => {
    const task = "Pay INV-2291 for customer cu_8812 with card_4410023";
    expect(
      labels(futileCallsGrader.grade(buildTrajectory([profile, pay("card_4410023", "Error: card declined")], { task }), undefined)),
    ).toEqual([]);
    expect(labels(futileCallsGrader.grade(buildTrajectory([pay("card_9930187")], { task }), undefined))).toEqual([]);
    expect(
      labels(futileCallsGrader.grade(buildTrajectory([pay("card_9930187", "Error: request timed out")], { task }), undefined)),
    ).toEqual([]);
  });
});

describe("futile-calls: lookups for a request the agent had refused", () => {
  const order: Move = { call: "get_order", args: { order: "O-5512" }, result: { order: "O-5512", status: "delivered", store: "Lisbon" } };
  const stock = (store: string): Move => ({ call: "check_stock", args: { store, item: "kettle" }, result: { inStock: 4 } });

  it("labels a lookup carrying a value the agent had just said was not allowed, pointing at the refusal", () => {
    const t = buildTrajectory([
      order,
      { say: "Your order was delivered in Lisbon. Exchanging it at the Porto store is not allowed: exchanges happen where you bought." },
      { user: "Please just check whether Porto has the kettle." },
      stock("Porto"),
    ]);
    const result = futileCallsGrader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([["e7", "refused_request"]]);
    expect(result.steps[0]).toMatchObject({ related: ["e4"] });
    expect(result.steps[0]!.reason).toContain('looked up "Porto" after the agent had said (e4)');
  });

  it("leaves alone lookups of what the agent already had, and lookups before the refusal", () => {
    const t = buildTrajectory([
      stock("Porto"),
      order,
      { say: "Exchanging order O-5512 in Lisbon is not allowed after 30 days." },
      { call: "get_order", args: { order: "O-5512", detail: "full" }, result: { order: "O-5512", days: 41 } },
    ]);
    expect(labels(futileCallsGrader.grade(t, undefined))).toEqual([]);
  });
});
