import { describe, expect, it } from "vitest";
import { builtinAgents } from "../../../agents/index.js";
import { builtinPolicies, builtinScenarios } from "../../../scenarios/index.js";
import { builtinGraders, runValidation, type Grade } from "../../../harness/index.js";
import { faultLabelRules, scoreLabels } from "../../../harness/experiments/validation/score-labels.js";
import { buildTrajectory } from "../graders/support/build-trajectory.js";

const grade = (grader: string, steps: Array<[string, string]>): Grade => ({
  grader,
  trajectoryId: "tr-test",
  score: 1,
  pass: true,
  comment: "",
  steps: steps.map(([eventId, label]) => ({ eventId, label, reason: "" })),
});

describe("label scoring against ground truth", () => {
  it("counts true and false positives per event, and labels whose claim holds on another fault apart", () => {
    const trajectory = buildTrajectory([], {
      groundTruth: {
        faults: [
          { kind: "unused_read", eventIds: ["e3"] },
          { kind: "wrong_tool", eventIds: ["e5"] },
          { kind: "unused_read", eventIds: ["e9"] },
        ],
      },
    });
    const [unused] = scoreLabels(
      [
        {
          trajectory,
          grades: [
            grade("unused-results", [
              ["e3", "unused_result"],
              ["e5", "unused_result"],
              ["e7", "unused_result"],
            ]),
          ],
        },
      ],
      faultLabelRules(builtinGraders),
    ).filter((k) => k.kind === "unused_read");
    expect(unused).toMatchObject({
      truth: 2,
      labelled: 3,
      truePositives: 1,
      alsoTrue: 1,
      falsePositives: 1,
      falseNegatives: 1,
      precision: 0.5,
      strictPrecision: 1 / 3,
      recall: 0.5,
      meetsTarget: false,
    });
  });

  it("scores faults with no event of their own per run", () => {
    const missed = buildTrajectory([], { groundTruth: { faults: [{ kind: "missing_step", eventIds: [] }] } });
    const clean = buildTrajectory([], { groundTruth: { faults: [] } });
    const [missing] = scoreLabels(
      [
        { trajectory: missed, grades: [grade("trajectory-match", [["e2", "missing_call"]])] },
        { trajectory: clean, grades: [grade("trajectory-match", [["e2", "missing_call"]])] },
      ],
      faultLabelRules(builtinGraders),
    ).filter((k) => k.kind === "missing_step");
    expect(missing).toMatchObject({
      unit: "trajectory",
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 0,
      precision: 0.5,
      recall: 1,
    });
  });
});

describe("validate-graders suites", () => {
  it("meet the 0.9 targets for repeated calls, unused reads and pass-through handoffs on a sample of the library", async () => {
    const all = builtinScenarios();
    const sample = [...all.filter((s) => !s.team).slice(0, 4), ...all.filter((s) => s.team).slice(0, 3)];
    const { report, runs } = await runValidation({
      scenarios: sample,
      agents: builtinAgents,
      policies: builtinPolicies,
      graders: builtinGraders,
      seeds: 1,
    });
    expect(report.suites.map((suite) => suite.policy)).toEqual(
      expect.arrayContaining(["reference", "wasteful", "faulty", "faulty-loop", "faulty-pass-through-handoff"]),
    );
    for (const kind of ["repeated_call", "unused_read", "pass_through_handoff"]) {
      const score = report.kinds.find((k) => k.kind === kind)!;
      expect(score.truth, kind).toBeGreaterThan(0);
      expect(score.precision!, kind).toBeGreaterThanOrEqual(0.9);
      expect(score.recall!, kind).toBeGreaterThanOrEqual(0.9);
    }
    // Graders were given trajectories without ground truth, yet the runs keep it for scoring.
    expect(runs.every((run) => run.trajectory.groundTruth !== undefined)).toBe(true);
    expect(report.labels.filter((tally) => tally.onCleanRuns > 0 && tally.label !== "extra_call")).toEqual([]);
  });
});
