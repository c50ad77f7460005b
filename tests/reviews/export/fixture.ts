import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Grade, RunDirectory, ToolSpec, Trajectory } from "../../../harness/core.js";
import { assignTrajectories, writeAssignment, type ReviewRecord } from "../../../reviews/index.js";
import { planRecord, reviewRecord, stepRecord } from "../agreement/records.js";
import { makeGrade, makeTrajectory, writeRun, type CallSpec } from "../fixtures.js";

/** The tools of the fixture trajectories, as the recorder writes them. */
export const TOOLS: ToolSpec[] = [
  ["find_customer", "Find a customer by email.", { email: { type: "string" } }],
  ["list_orders", "List a customer's orders.", { customerId: { type: "string" } }],
  ["get_order", "Read one order.", { orderId: { type: "string" } }],
  ["cancel_order", "Cancel a pending order.", { orderId: { type: "string" } }],
  ["search_trips", "Search trips to a city.", { city: { type: "string" } }],
].map(([name, description, properties]) => ({
  name: name as string,
  description: description as string,
  effect: "read",
  effectSource: "source",
  parameters: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: properties as Record<string, unknown>,
    required: Object.keys(properties as object),
  },
}));

const lookup: CallSpec = { name: "find_customer", args: { email: "ana@example.com" }, result: { customerId: "C-1" } };
const orders: CallSpec = { name: "list_orders", args: { customerId: "C-1" }, result: [{ orderId: "O-1" }] };
const cancel: CallSpec = { name: "cancel_order", args: { orderId: "O-1" }, result: { status: "cancelled" } };

function trajectory(id: string, calls: CallSpec[], extra: Parameters<typeof makeTrajectory>[0] = {}): Trajectory {
  return {
    ...makeTrajectory({
      id,
      runId: "run-x",
      scenarioId: "retail.cancel-order",
      task: "Cancel my order, I'm ana@example.com",
      calls,
      ...extra,
    }),
    tools: TOOLS,
  };
}

/**
 * Steps of the fixture (makeTrajectory numbers events e1 system, e2 user, then
 * a model call and a tool call per call, then the answer):
 * - tr-good: find_customer e4, list_orders e6, cancel_order e8 (turns e3, e5, e7; answer e9)
 * - tr-waste: find_customer e4, again e6, list_orders e8, cancel_order e10
 * - tr-wrong: find_customer e4, get_order e6 (should have been list_orders), cancel_order e8; fails
 * - tr-trip (travel domain): search_trips e4
 * - tr-unreviewed: like tr-waste, graded but never reviewed
 */
export const TRAJECTORIES = [
  trajectory("tr-good", [lookup, orders, cancel]),
  trajectory("tr-waste", [lookup, lookup, orders, cancel], { model: "policy:wasteful" }),
  trajectory("tr-wrong", [lookup, { name: "get_order", args: { orderId: "C-1" }, result: null }, cancel], { pass: false }),
  trajectory("tr-trip", [{ name: "search_trips", args: { city: "Porto" }, result: [{ trip: "T-1" }] }], {
    scenarioId: "travel.find-trip",
    domain: "travel",
    task: "Find me a trip to Porto",
  }),
  trajectory("tr-unreviewed", [lookup, lookup, orders, cancel], { model: "policy:wasteful", trial: 1 }),
];

const GRADES: Grade[] = [
  ...TRAJECTORIES.map((t) => makeGrade(t.id, "outcome", [], t.outcome!.pass)),
  makeGrade("tr-waste", "repeated-calls", [{ eventId: "e6", label: "skippable", reason: "repeats e4" }]),
  makeGrade("tr-unreviewed", "repeated-calls", [{ eventId: "e6", label: "skippable", reason: "repeats e4" }]),
];

const on = (record: ReviewRecord, t: Trajectory): ReviewRecord => ({ ...record, runId: "run-x", scenarioId: t.scenarioId });
const byId = new Map(TRAJECTORIES.map((t) => [t.id, t]));
const steps = (reviewer: string, id: string, verdicts: Record<string, string>, notes: Record<string, string> = {}) =>
  Object.entries(verdicts).map(([eventId, verdict]) =>
    on(stepRecord(reviewer, id, eventId, verdict, notes[eventId] ?? null), byId.get(id)!),
  );
const plan = (reviewer: string, id: string, verdict: "pass" | "fail", rating: number) =>
  on(planRecord(reviewer, id, verdict, rating), byId.get(id)!);

/** Each reviewer's records: ana and bo review, lead adjudicates. */
export function fixtureReviews(): Record<string, ReviewRecord[]> {
  const wrongArgs = stepRecord("ana", "tr-wrong", "e6", "wrong_args", "looked the customer id up as an order");
  return {
    ana: [
      ...steps("ana", "tr-good", { e4: "correct", e6: "correct", e8: "correct" }),
      plan("ana", "tr-good", "pass", 5),
      ...steps("ana", "tr-waste", { e4: "correct", e6: "skippable", e8: "correct", e10: "correct" }, { e6: "repeats the lookup of e4" }),
      plan("ana", "tr-waste", "pass", 4),
      ...steps("ana", "tr-wrong", { e4: "correct", e8: "correct" }),
      on({ ...wrongArgs, shouldHaveCalled: 'list_orders {"customerId": "C-1"}' }, byId.get("tr-wrong")!),
      plan("ana", "tr-wrong", "fail", 2),
      ...steps("ana", "tr-trip", { e4: "correct" }),
      plan("ana", "tr-trip", "pass", 5),
      on(
        reviewRecord("ana", "tr-good", { kind: "pair", a: "tr-good", b: "tr-waste" }, { verdict: "a", note: "no repeated lookup" }),
        byId.get("tr-good")!,
      ),
    ],
    bo: [
      ...steps("bo", "tr-good", { e4: "correct", e6: "correct", e8: "correct" }),
      plan("bo", "tr-good", "pass", 4),
      ...steps("bo", "tr-waste", { e4: "correct", e6: "correct", e8: "correct", e10: "correct" }),
      plan("bo", "tr-waste", "pass", 3),
      ...steps("bo", "tr-wrong", { e6: "wrong_args" }),
      plan("bo", "tr-wrong", "fail", 1),
      // Shown the other way round: "b" is tr-good here too.
      on(reviewRecord("bo", "tr-waste", { kind: "pair", a: "tr-waste", b: "tr-good" }, { verdict: "b" }), byId.get("tr-waste")!),
    ],
    lead: [...steps("lead", "tr-waste", { e6: "skippable" }, { e6: "settled: the second lookup repeats e4" })],
  };
}

/** Writes the fixture run (trajectories, grades, reviewer files, an assignment naming lead the adjudicator) into `runsDir`. */
export async function writeExportRun(runsDir: string): Promise<RunDirectory> {
  const run = await writeRun(runsDir, "run-x", TRAJECTORIES, GRADES);
  for (const [reviewer, records] of Object.entries(fixtureReviews())) {
    await writeFile(join(run.file("reviews"), `${reviewer}.jsonl`), records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  }
  const assignment = assignTrajectories({
    trajectoryIds: TRAJECTORIES.map((t) => t.id),
    reviewers: ["ana", "bo"],
    overlap: 2,
    adjudicators: ["lead"],
  });
  await writeAssignment(run, assignment);
  return run;
}
