import { describe, expect, it } from "vitest";
import { buildReport, choose, compareReports, passAtK, summarise, SummarySchema, type Grade } from "../../../harness/index.js";
import { buildTrajectory } from "../graders/support/build-trajectory.js";

describe("pass@k and pass^k", () => {
  it("follow τ-bench: C(c,k)/C(n,k) per task for pass^k, 1 - C(n-c,k)/C(n,k) for pass@k, averaged over tasks", () => {
    expect(choose(4, 2)).toBe(6);
    expect(choose(2, 3)).toBe(0);
    const [k1, k2, k3, k4] = passAtK([
      { trials: 4, passed: 2 },
      { trials: 4, passed: 4 },
    ]);
    expect(k1).toEqual({ k: 1, passAtK: 0.75, passHatK: 0.75, tasks: 2 });
    expect(k2!.passHatK).toBeCloseTo((1 / 6 + 1) / 2);
    expect(k2!.passAtK).toBeCloseTo((5 / 6 + 1) / 2);
    expect(k3!.passHatK).toBeCloseTo(0.5);
    expect(k4).toEqual({ k: 4, passAtK: 1, passHatK: 0.5, tasks: 2 });
  });

  it("average each k over the tasks that have at least k trials", () => {
    const results = passAtK([
      { trials: 1, passed: 1 },
      { trials: 3, passed: 0 },
    ]);
    expect(results.map((r) => [r.k, r.tasks])).toEqual([
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    expect(results[0]!.passHatK).toBe(0.5);
    expect(results[2]!.passAtK).toBe(0);
  });
});

const reference = [
  { name: "find", args: { id: 1 } },
  { name: "cancel", args: { id: 1 } },
];
function trial(options: {
  id: string;
  scenarioId: string;
  model: string;
  pass: boolean;
  extra?: boolean;
  trial?: number;
  tokens?: number;
  ms?: number;
}) {
  const moves = [
    { call: "find", args: { id: 1 }, result: { x: "X-1" } },
    ...(options.extra ? [{ call: "find", args: { id: 1 }, result: { x: "X-1" } }] : []),
    { call: "cancel", args: { id: 1 }, effect: "write" as const, result: {} },
  ];
  return buildTrajectory(moves, {
    id: options.id,
    scenarioId: options.scenarioId,
    model: options.model,
    outcomePass: options.pass,
    reference,
    trial: options.trial,
    totalTokens: options.tokens,
    durationMs: options.ms,
  });
}
const skipGrade = (trajectoryId: string, eventId: string, grader = "repeated-calls"): Grade => ({
  grader,
  trajectoryId,
  score: 0.5,
  pass: false,
  comment: "",
  steps: [{ eventId, label: "skippable", reason: "repeat", ...(grader === "replay" ? { replay: "rp-1" } : {}) }],
});
const outcomeGrade = (trajectoryId: string, pass: boolean): Grade => ({
  grader: "outcome",
  trajectoryId,
  score: pass ? 1 : 0,
  pass,
  comment: "",
  steps: [],
});

describe("run reports", () => {
  const trajectories = [
    trial({ id: "t1", scenarioId: "retail.a", model: "policy:x", pass: true, trial: 0, tokens: 100, ms: 10 }),
    trial({ id: "t2", scenarioId: "retail.a", model: "policy:x", pass: false, trial: 1, tokens: 300, ms: 30 }),
    trial({ id: "t3", scenarioId: "travel.b", model: "policy:y", pass: true, extra: true, tokens: 200, ms: 20 }),
  ];
  const grades = [outcomeGrade("t1", true), outcomeGrade("t2", true), skipGrade("t3", "e5"), skipGrade("t3", "e5", "replay")];

  it("compute success from outcome grades, tool-call precision and recall against the reference, skippable calls and costs, by group", () => {
    const report = buildReport("run-1", trajectories, grades);
    expect(report.overall).toMatchObject({
      trials: 3,
      passed: 3,
      successRate: 1,
      toolCalls: 7,
      skippableCalls: 1,
      verifiedSkippable: 1,
      meanTokens: 200,
      meanLatencyMs: 20,
      p95LatencyMs: 30,
    });
    expect(report.overall.toolCallRecall).toBe(1);
    expect(report.overall.toolCallPrecision).toBeCloseTo(6 / 7);
    expect(report.byDomain.map((g) => [g.group, g.trials])).toEqual([
      ["retail", 2],
      ["travel", 1],
    ]);
    expect(report.byModel.find((g) => g.group === "policy:y")!.skippableRate).toBeCloseTo(1 / 3);
    expect(report.byScenario.find((g) => g.group === "retail.a")!.passAtK.map((p) => p.k)).toEqual([1, 2]);
  });

  it("compare two runs metric by metric and group by group", () => {
    const baseline = buildReport("a", trajectories, grades);
    const other = buildReport("b", trajectories.slice(0, 2), [outcomeGrade("t1", true), outcomeGrade("t2", false)]);
    const comparison = compareReports(baseline, other);
    const overall = comparison[0]!;
    expect(overall.changes.find((c) => c.metric === "successRate")).toEqual({ metric: "successRate", before: 1, after: 0.5, delta: -0.5 });
    const travel = comparison.find((c) => c.dimension === "byDomain" && c.group === "travel")!;
    expect(travel.changes.find((c) => c.metric === "trials")).toEqual({ metric: "trials", before: 1, after: null, delta: null });
  });

  it("extend summary.json additively and keep it valid", () => {
    const summary = summarise("run-1", trajectories, grades, 1234);
    expect(SummarySchema.parse(summary)).toMatchObject({
      runId: "run-1",
      trajectories: 3,
      passed: 3,
      durationMs: 1234,
      skippableCalls: 1,
      toolCallRecall: 1,
    });
    expect(summary.passAtK?.[0]).toMatchObject({ k: 1, passHatK: 1 });
    expect(summary.rows).toHaveLength(2);
  });
});
