import { describe, expect, it } from "vitest";
import type { Grade } from "../../../harness/core.js";
import { graderAgreement } from "../../../reviews/agreement/graders.js";
import { collectJudgements } from "../../../reviews/judgements.js";
import { byReviewer, planRecord, stepRecord } from "./records.js";

const BOOT = { samples: 200, seed: 3 };

function grade(trajectoryId: string, grader: string, steps: [string, string][], pass = true, score = pass ? 1 : 0): Grade {
  return {
    grader,
    trajectoryId,
    score,
    pass,
    comment: "",
    steps: steps.map(([eventId, label]) => ({ eventId, label, reason: `${label} on ${eventId}` })),
  };
}

describe("agreement between graders and reviewers", () => {
  const reviews = [
    stepRecord("ana", "t1", "e4", "skippable"),
    stepRecord("bo", "t1", "e4", "skippable"),
    stepRecord("ana", "t1", "e6", "correct", "needed: the order id comes from here"),
    stepRecord("ana", "t1", "e8", "skippable", "the same lookup again"),
    // Disputed and never settled: left out of every comparison.
    stepRecord("ana", "t1", "e10", "wrong_args"),
    stepRecord("bo", "t1", "e10", "correct"),
    stepRecord("ana", "t2", "e4", "correct"),
    stepRecord("ana", "t2", "e6", "wrong_args"),
    planRecord("ana", "t1", "pass", 5),
    planRecord("ana", "t2", "fail", 2),
  ];
  const grades = [
    grade("t1", "repeated-calls", [
      ["e4", "skippable"],
      ["e6", "skippable"],
    ]),
    grade("t2", "repeated-calls", []),
    grade("t3", "repeated-calls", [["e4", "skippable"]]),
    grade("t1", "trajectory-match", [
      ["e4", "extra_call"],
      ["e10", "wrong_args"],
    ]),
    grade("t2", "trajectory-match", [["e6", "wrong_args"]]),
    grade("t1", "outcome", [], true, 1),
    grade("t2", "outcome", [], false, 0),
  ];
  const { graders, disputedSteps } = graderAgreement(collectJudgements(byReviewer(reviews)), grades, { bootstrap: BOOT });
  const of = (id: string) => graders.find((g) => g.grader === id)!;

  it("scores each label against the verdict it stands for", () => {
    expect(disputedSteps).toBe(1);
    const repeated = of("repeated-calls");
    // Reviewed steps of t1 and t2: t1 e4 skippable, e6 correct, e8 skippable; t2 e4 correct, e6 wrong_args.
    expect(repeated.steps).toBe(5);
    expect(repeated.trajectories).toBe(2);
    const [skippable] = repeated.labels;
    // Labelled e4 (skippable: hit) and e6 (correct: false positive); e8 missed; t2's two steps rightly unlabelled.
    expect(skippable).toMatchObject({
      label: "skippable",
      standsFor: "skippable",
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 2,
      unreviewed: 1,
    });
    expect(skippable!.precision).toBe(0.5);
    expect(skippable!.recall).toBe(0.5);
    // p_o = 3/5; both sides say yes on 2/5: p_e = 4/25 + 9/25 = 13/25; kappa = (15/25 - 13/25) / (12/25) = 1/6.
    expect(skippable!.kappa).toBeCloseTo(1 / 6, 12);
    // Flags as a whole: flagged e4, e6; flawed t1 e4, t1 e8, t2 e6.
    expect(repeated.flags).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 2, trueNegatives: 1 });
  });

  it("counts informational labels without scoring them and reads labels on disputed steps as unreviewed", () => {
    const match = of("trajectory-match");
    const extra = match.labels.find((l) => l.label === "extra_call")!;
    expect(extra).toMatchObject({ standsFor: null, labelled: 1, precision: null, recall: null, kappa: null });
    const wrongArgs = match.labels.find((l) => l.label === "wrong_args")!;
    expect(wrongArgs).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 0,
      trueNegatives: 4,
      precision: 1,
      recall: 1,
      kappa: 1,
      unreviewed: 1,
    });
    const rows = match.confusion.rows;
    expect(rows).toEqual(["extra_call", "wrong_args", "(none)"]);
    const column = (verdict: string) => match.confusion.columns.indexOf(verdict);
    expect(match.confusion.counts[0]![column("skippable")]).toBe(1);
    expect(match.confusion.counts[2]![column("correct")]).toBe(2);
  });

  it("lists the steps where grader and reviews differ, with both reasons", () => {
    const list = of("repeated-calls").disagreements;
    expect(list.map((d) => [d.kind, d.trajectoryId, d.eventId, d.expected, d.verdict])).toEqual([
      ["false-positive", "t1", "e6", "skippable", "correct"],
      ["missed", "t1", "e8", "skippable", "skippable"],
    ]);
    expect(list[0]!.labels).toEqual([{ label: "skippable", reason: "skippable on e6" }]);
    expect(list[0]!.reviews).toEqual([{ reviewer: "ana", verdict: "correct", note: "needed: the order id comes from here" }]);
    // wrong_args on t2 e6 is nothing repeated-calls can say, so it is not a miss of its.
    expect(list.some((d) => d.eventId === "e6" && d.trajectoryId === "t2")).toBe(false);
  });

  it("compares pass with the plan verdict and the score with the plan rating", () => {
    const outcome = of("outcome");
    expect(outcome.plan).toMatchObject({ units: 2, truePositives: 1, trueNegatives: 1, kappa: 1 });
    // Scores (1, 1) and (0, 0.25) at the interval level: D_o = 2 * 0.0625 / 4; D_e = (4 + 2.25 + 0.125) / 12;
    // alpha = 1 - 0.03125 / 0.53125 = 16/17.
    expect(outcome.score.units).toBe(2);
    expect(outcome.score.alpha).toBeCloseTo(16 / 17, 12);
  });

  it("reads what a label stands for from the declarations it is given", () => {
    const declared = (g: Grade, label: string) =>
      g.grader === "trajectory-match" && label === "extra_call"
        ? { flagged: true, verdict: "skippable" }
        : { flagged: false, verdict: null };
    const { graders: custom } = graderAgreement(collectJudgements(byReviewer(reviews)), grades, {
      labelMeanings: declared,
      bootstrap: BOOT,
    });
    const extra = custom.find((g) => g.grader === "trajectory-match")!.labels.find((l) => l.label === "extra_call")!;
    expect(extra).toMatchObject({ standsFor: "skippable", truePositives: 1, falsePositives: 0, falseNegatives: 1 });
    expect(custom.find((g) => g.grader === "repeated-calls")!.labels[0]!.standsFor).toBeNull();
  });
});
