import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEnvironment, defineScenario, defineTool } from "../../../scenarios/index.js";
import {
  detoursGrader,
  outcomeGrader,
  repeatedCallsGrader,
  trajectoryMatchGrader,
  undoneWritesGrader,
  unusedResultsGrader,
  notApplicable,
  type GraderResult,
  type GradedResult,
} from "../../../harness/index.js";
import { buildTrajectory } from "./support/build-trajectory.js";

const labels = (result: GraderResult | Promise<GraderResult>) => (result as GradedResult).steps.map((step) => [step.eventId, step.label]);
const sure = (result: GraderResult | Promise<GraderResult>) =>
  (result as GradedResult).steps.map((step) => [step.eventId, step.label, step.certainty ?? "definite"]);

describe("repeated-calls", () => {
  it("labels a repeat skippable with the earlier call as evidence, but not after a write", () => {
    const t = buildTrajectory([
      { call: "get", args: { id: 1 }, result: { v: "A-1" } },
      { call: "get", args: { id: 1 }, result: { v: "A-1" } },
      { call: "set", args: { id: 1 }, effect: "write", result: {} },
      { call: "get", args: { id: 1 }, result: { v: "A-2" } },
    ]);
    const result = repeatedCallsGrader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([["e5", "skippable"]]);
    expect(result.steps[0]).toMatchObject({ related: ["e3"] });
    expect(result.pass).toBe(false);
  });

  it("labels runs of three or more identical calls as a loop", () => {
    const moves = Array.from({ length: 4 }, () => ({ call: "get", args: { id: 1 }, result: { v: "A-1" } }));
    const t = buildTrajectory(moves, { termination: "max_steps", answer: null });
    const result = repeatedCallsGrader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([
      ["e5", "loop"],
      ["e7", "loop"],
      ["e9", "loop"],
    ]);
    expect(result.steps[0]!.reason).toContain("until the step limit");
  });

  it("does not count a retry after a failed call", () => {
    const t = buildTrajectory([
      { call: "get", args: { id: 1 }, error: "tool_error" },
      { call: "get", args: { id: 1 }, result: { v: 1 } },
    ]);
    expect(labels(repeatedCallsGrader.grade(t, undefined))).toEqual([]);
  });
});

describe("unused-results", () => {
  it("labels a read whose values reach nothing later, and not the reads whose values do", () => {
    const t = buildTrajectory(
      [
        { call: "find_customer", args: { email: "a@x.example" }, result: { customerId: "C-100" } },
        { call: "get_policy", args: {}, result: { window: "Returns within thirty days of delivery for all items." } },
        { call: "list_orders", args: { customerId: "C-100" }, result: [{ orderId: "O-7", status: "pending" }] },
      ],
      { task: "cancel my order, I am a@x.example", answer: "Order O-7 is cancelled." },
    );
    const result = unusedResultsGrader.grade(t, undefined) as GradedResult;
    // Without a reference plan nothing shows the policy read was not needed to decide: a candidate.
    expect(sure(result)).toEqual([["e5", "unused_result", "candidate"]]);
    expect(result.steps[0]!.reason).toContain("get_policy");
    expect(result.pass).toBe(true);
  });

  it("counts an amount derived from a result (a 10% refund) as a use", () => {
    const t = buildTrajectory(
      [
        { call: "get_order", args: { id: "O-1" }, result: { total: 89.5 } },
        { call: "refund", args: { id: "O-1", amount: 8.95 }, effect: "write", result: {} },
      ],
      { answer: "Refunded." },
    );
    expect(labels(unusedResultsGrader.grade(t, undefined))).toEqual([]);
  });

  it("does not single out reads the reference plan makes, and is never sure in a run that used no result at all", () => {
    const moves = [{ call: "lookup", args: { id: 1 }, result: { name: "Zed Q" } }];
    expect(
      labels(
        unusedResultsGrader.grade(buildTrajectory(moves, { answer: "done", reference: [{ name: "lookup", args: { id: 1 } }] }), undefined),
      ),
    ).toEqual([]);
    const unfounded = unusedResultsGrader.grade(buildTrajectory(moves, { answer: "All done." }), undefined) as GradedResult;
    expect(sure(unfounded)).toEqual([["e3", "unused_result", "candidate"]]);
    expect(unfounded.comment).toContain("the answer does not rest on any lookup");
    expect(
      labels(
        unusedResultsGrader.grade(
          buildTrajectory([...moves, { call: "other", args: {}, result: { code: "X-9" } }], { answer: "Zed Q is set." }),
          undefined,
        ),
      ),
    ).toEqual([["e5", "unused_result"]]);
  });

  it("is sure of an off-plan unused read when the reference plan says which reads are needed", () => {
    const moves = [
      { call: "lookup", args: { id: 1 }, result: { name: "Zed Q" } },
      { call: "other", args: {}, result: { code: "X-9" } },
    ];
    const t = buildTrajectory(moves, { answer: "Zed Q is set.", reference: [{ name: "lookup", args: { id: 1 } }] });
    expect(sure(unusedResultsGrader.grade(t, undefined))).toEqual([["e5", "unused_result", "definite"]]);
  });

  it("treats a chain of idle lookups as idle", () => {
    const t = buildTrajectory(
      [
        { call: "list", args: {}, result: [{ id: "D-13" }] },
        { call: "open", args: { id: "D-13" }, result: { title: "Onboarding spec v2" } },
        { call: "find", args: { q: "x" }, result: { ref: "R-1" } },
      ],
      { answer: "Your reference is R-1." },
    );
    expect(labels(unusedResultsGrader.grade(t, undefined))).toEqual([
      ["e3", "unused_result"],
      ["e5", "unused_result"],
    ]);
  });
});

// A tiny world for graders that replay the environment: a light that can be switched.
const light = defineEnvironment({
  id: "light",
  description: "a light",
  instructions: "switch lights",
  initialState: { kitchen: "off" as string },
  tools: [
    defineTool({
      name: "set_light",
      description: "set",
      args: z.object({ state: z.string() }),
      effect: "write",
      run: ({ state }, s: { kitchen: string }) => ((s.kitchen = state), { kitchen: state }),
    }),
    defineTool({
      name: "get_light",
      description: "get",
      args: z.object({}),
      effect: "read",
      run: (_args, s: { kitchen: string }) => ({ kitchen: s.kitchen }),
    }),
  ],
});
const lightOn = defineScenario({
  id: "light.on",
  title: "on",
  environment: light,
  task: "turn on the kitchen light",
  reference: { calls: [{ tool: "set_light", args: { state: "on" } }], answer: "on" },
});
const set = (state: string) => ({ call: "set_light", args: { state }, effect: "write" as const, result: { kitchen: state } });

describe("undone-writes", () => {
  it("labels a write a later write reverts, and the revert, by replaying the environment", () => {
    const t = buildTrajectory([set("on"), set("off"), set("on")], {
      scenarioId: "light.on",
      before: { kitchen: "off" },
      after: { kitchen: "on" },
    });
    const result = undoneWritesGrader.grade(t, lightOn) as GradedResult;
    expect(labels(result)).toEqual([
      ["e3", "undone_write"],
      ["e5", "undone_write"],
    ]);
    expect(result.steps[0]).toMatchObject({ related: ["e5"] });
    expect(result.steps[0]!.reason).toContain("kitchen");
  });

  it("labels a write that changes nothing, and does not apply without the scenario", () => {
    const t = buildTrajectory([set("off"), set("on")], { scenarioId: "light.on" });
    expect(labels(undoneWritesGrader.grade(t, lightOn))).toEqual([["e3", "noop_write"]]);
    expect(undoneWritesGrader.grade(t, undefined)).toEqual(
      notApplicable("needs the scenario's tools to apply the calls again, and the scenario is not loaded"),
    );
  });
});

describe("outcome", () => {
  it("says what differs from the reference's final state and blames the write that made it", () => {
    const t = buildTrajectory([set("dim")], {
      scenarioId: "light.on",
      before: { kitchen: "off" },
      after: { kitchen: "dim" },
      answer: "on",
    });
    const result = outcomeGrader.grade(t, lightOn) as GradedResult;
    expect(result.pass).toBe(false);
    expect(result.comment).toContain('kitchen: expected "on", got "dim"');
    expect(labels(result)).toEqual([["e3", "wrong_write"]]);
  });

  it("runs the scenario's own checks against the state the trajectory began from", () => {
    const toggled = defineScenario({
      id: "light.toggle",
      title: "toggle",
      environment: light,
      task: "switch the kitchen light the other way",
      reference: { calls: [{ tool: "set_light", args: { state: "on" } }], answer: "done" },
      expect: {
        stateMatchesReference: false,
        checks: { toggled: ({ finalState, initialState }) => finalState.kitchen !== initialState.kitchen },
      },
    });
    const from = (before: { kitchen: string }) =>
      outcomeGrader.grade(
        buildTrajectory([set("off")], { scenarioId: "light.toggle", before, after: { kitchen: "off" } }),
        toggled,
      ) as GradedResult;
    // The scenario starts with the light off; this trajectory was recorded from a state where it was on.
    expect(from({ kitchen: "on" }).pass).toBe(true);
    expect(from({ kitchen: "off" }).pass).toBe(false);
  });
});

describe("trajectory-match grader", () => {
  const reference = [
    { name: "find", args: { email: "a@x" } },
    { name: "get_order", args: { id: "O-1" } },
    { name: "refund", args: { id: "O-1" } },
  ];
  const grader = trajectoryMatchGrader();

  it("labels a wrong-argument attempt followed by the right call", () => {
    const t = buildTrajectory(
      [
        { call: "find", args: { email: "a@x" } },
        { call: "get_order", args: { id: "O-2" } },
        { call: "get_order", args: { id: "O-1" } },
        { call: "refund", args: { id: "O-1" }, effect: "write" },
      ],
      { reference },
    );
    const result = grader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([["e5", "wrong_args"]]);
    expect(result.pass).toBe(true);
    expect(result.score).toBeCloseTo((2 * 0.75) / 1.75);
  });

  it("labels a wrong tool given the arguments of the call that follows", () => {
    const t = buildTrajectory(
      [
        { call: "find", args: { email: "a@x" } },
        { call: "track", args: { id: "O-1" } },
        { call: "get_order", args: { id: "O-1" } },
        { call: "refund", args: { id: "O-1" }, effect: "write" },
      ],
      { reference },
    );
    expect(labels(grader.grade(t, undefined))).toEqual([["e5", "wrong_tool"]]);
  });

  it("never takes a read of what a write will change, given the write's own arguments, for a wrong tool", () => {
    const cancelling = [
      { name: "find", args: { email: "a@x" } },
      { name: "cancel_booking", args: { id: "B-1" } },
    ];
    // Looked up, then cancelled: the look-up is an extra call, not the cancellation made with the wrong tool.
    const lookedUp = buildTrajectory(
      [
        { call: "find", args: { email: "a@x" } },
        { call: "get_booking", args: { id: "B-1" } },
        { call: "cancel_booking", args: { id: "B-1" }, effect: "write" },
      ],
      { reference: cancelling },
    );
    expect(labels(grader.grade(lookedUp, undefined))).toEqual([["e5", "extra_call"]]);
    // Looked up and never cancelled: the cancellation is missing, whatever the look-up was given.
    const neverCancelled = buildTrajectory(
      [
        { call: "find", args: { email: "a@x" } },
        { call: "get_booking", args: { id: "B-1" } },
      ],
      { reference: cancelling, effects: { cancel_booking: "write" }, answer: "It is booked." },
    );
    expect(labels(grader.grade(neverCancelled, undefined))).toEqual([
      ["e4", "missing_call"],
      ["e5", "extra_call"],
    ]);
  });

  it("anchors a missing call on the model call that skipped it, and a cut-off plan on the answer", () => {
    const skipped = buildTrajectory(
      [
        { call: "find", args: { email: "a@x" } },
        { call: "refund", args: { id: "O-1" }, effect: "write" },
      ],
      { reference },
    );
    const result = grader.grade(skipped, undefined) as GradedResult;
    expect(labels(result)).toEqual([["e4", "missing_call"]]);
    expect(result.pass).toBe(false);
    const premature = buildTrajectory([{ call: "find", args: { email: "a@x" } }], {
      reference,
      effects: { refund: "write" },
      answer: "All done.",
    });
    expect(labels(grader.grade(premature, undefined))).toEqual([["e4", "premature_answer"]]);
  });

  it("does not apply to trajectories without a reference", () => {
    expect(grader.grade(buildTrajectory([]), undefined)).toEqual(notApplicable("no reference plan to compare with"));
  });
});

describe("detours", () => {
  it("labels every handoff of a pass-through chain", () => {
    const t = buildTrajectory(
      [
        { handoff: ["supervisor", "triage"] },
        { handoff: ["triage", "billing"] },
        { call: "refund", args: {}, agent: "billing", effect: "write" },
        { handoff: ["billing", "supervisor"], via: "return" },
      ],
      { agent: "supervisor" },
    );
    const result = detoursGrader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([
      ["e2", "pass_through"],
      ["e3", "pass_through"],
    ]);
    expect(result.steps[0]!.reason).toContain("supervisor could have handed to billing directly");
  });

  it("does not flag a supervisor routing work after a specialist reports back", () => {
    const t = buildTrajectory(
      [
        { handoff: ["supervisor", "triage"] },
        { call: "find", args: {}, agent: "triage" },
        { handoff: ["triage", "supervisor"], via: "return" },
        { handoff: ["supervisor", "billing"] },
        { call: "refund", args: {}, agent: "billing", effect: "write" },
        { handoff: ["billing", "supervisor"], via: "return" },
      ],
      { agent: "supervisor" },
    );
    expect(labels(detoursGrader.grade(t, undefined))).toEqual([]);
  });

  it("labels a specialist that did nothing before another got the task, and ping-pong", () => {
    const wrong = buildTrajectory(
      [
        { handoff: ["supervisor", "shipping"] },
        { handoff: ["shipping", "supervisor"], via: "return" },
        { handoff: ["supervisor", "billing"] },
        { call: "refund", args: {}, agent: "billing", effect: "write" },
      ],
      { agent: "supervisor" },
    );
    expect(labels(detoursGrader.grade(wrong, undefined))).toEqual([["e2", "wrong_specialist"]]);
    const bouncing = buildTrajectory(
      [
        { handoff: ["supervisor", "billing"] },
        { call: "get", args: {}, agent: "billing" },
        { handoff: ["billing", "supervisor"], via: "return" },
        { handoff: ["supervisor", "billing"] },
        { call: "refund", args: {}, agent: "billing", effect: "write" },
      ],
      { agent: "supervisor" },
    );
    expect(labels(detoursGrader.grade(bouncing, undefined))).toEqual([["e6", "ping_pong"]]);
  });

  it("labels the handoff that bounces control back, not the return before it, however the agent was first reached", () => {
    const t = buildTrajectory(
      [
        { handoff: ["supervisor", "technical"] },
        { call: "diagnose", args: {}, agent: "technical" },
        { handoff: ["technical", "shipping"] },
        { call: "replace", args: {}, agent: "shipping", effect: "write" },
        { handoff: ["shipping", "supervisor"], via: "return" },
        { handoff: ["supervisor", "shipping"] },
        { handoff: ["shipping", "supervisor"], via: "return" },
      ],
      { agent: "supervisor" },
    );
    const result = detoursGrader.grade(t, undefined) as GradedResult;
    expect(labels(result)).toEqual([["e9", "ping_pong"]]);
    expect(result.steps[0]!.reason).toContain("control went shipping → supervisor → shipping with nothing new in between");
  });

  it("calls a second visit to a specialist that already worked a ping-pong, and a first idle visit a wrong specialist even when the work is reached through others", () => {
    const revisit = buildTrajectory(
      [
        { handoff: ["supervisor", "triage"] },
        { call: "find", args: {}, agent: "triage" },
        { handoff: ["triage", "supervisor"], via: "return" },
        { handoff: ["supervisor", "triage"] },
        { handoff: ["triage", "supervisor"], via: "return" },
        { handoff: ["supervisor", "billing"] },
        { call: "refund", args: {}, agent: "billing", effect: "write" },
      ],
      { agent: "supervisor" },
    );
    expect(labels(detoursGrader.grade(revisit, undefined))).toEqual([["e6", "ping_pong"]]);
    const chained = buildTrajectory(
      [
        { handoff: ["supervisor", "shipping"] },
        { handoff: ["shipping", "supervisor"], via: "return" },
        { handoff: ["supervisor", "triage"] },
        { handoff: ["triage", "billing"] },
        { call: "refund", args: {}, agent: "billing", effect: "write" },
      ],
      { agent: "supervisor" },
    );
    const result = detoursGrader.grade(chained, undefined) as GradedResult;
    expect(labels(result)).toEqual([
      ["e2", "wrong_specialist"],
      ["e4", "pass_through"],
      ["e5", "pass_through"],
    ]);
    expect(result.steps[0]!.reason).toBe("shipping did no work and handed back to supervisor; billing did the work afterwards");
  });
});
