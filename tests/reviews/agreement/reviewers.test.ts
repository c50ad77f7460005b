import { describe, expect, it } from "vitest";
import { collectJudgements } from "../../../reviews/judgements.js";
import { consensusOf, measureById } from "../../../reviews/agreement/measures.js";
import { reviewerAgreement } from "../../../reviews/agreement/reviewers.js";
import { byReviewer, planRecord, reviewRecord, stepRecord } from "./records.js";

const BOOT = { samples: 200, seed: 1 };

describe("agreement between reviewers", () => {
  const records = [
    stepRecord("ana", "t1", "e4", "correct"),
    stepRecord("ana", "t1", "e6", "skippable"),
    stepRecord("ana", "t1", "e8", "wrong_args"),
    stepRecord("ana", "t2", "e4", "correct"),
    stepRecord("bo", "t1", "e4", "correct"),
    stepRecord("bo", "t1", "e6", "skippable"),
    // bo first said wrong_tool, then changed his mind: the latest record counts.
    stepRecord("bo", "t1", "e8", "wrong_tool"),
    stepRecord("bo", "t1", "e8", "correct"),
    stepRecord("bo", "t2", "e4", "correct"),
  ];

  it("computes kappa, raw agreement, alpha and the confusion by hand", () => {
    const [steps] = reviewerAgreement(collectJudgements(byReviewer(records)), { bootstrap: BOOT });
    expect(steps).toMatchObject({ measure: "step", level: "nominal", reviewers: ["ana", "bo"], targets: 4, pairable: 4, values: 8 });
    const pair = steps!.pairs[0]!;
    // Pairs (correct, correct) x2, (skippable, skippable), (wrong_args, correct).
    // p_o = 3/4; ana: correct 2, skippable 1, wrong_args 1; bo: correct 3, skippable 1.
    // p_e = (2/4)(3/4) + (1/4)(1/4) = 7/16; kappa = (12/16 - 7/16) / (9/16) = 5/9.
    expect(pair.reviewers).toEqual(["ana", "bo"]);
    expect(pair.units).toBe(4);
    expect(pair.agreement).toBeCloseTo(0.75, 12);
    expect(pair.kappa).toBeCloseTo(5 / 9, 12);
    // Coincidences: o(correct,correct) = 4, o(skippable,skippable) = 2, o(correct,wrong_args) = o(wrong_args,correct) = 1.
    // n = 8, marginals 5, 2, 1: alpha = 1 - 7 * (8 - 6) / (64 - 30) = 20/34.
    expect(steps!.alpha).toBeCloseTo(20 / 34, 12);
    expect(pair.alpha).toBeCloseTo(20 / 34, 12);
    expect(steps!.agreement).toBeCloseTo(6 / 8, 12);
    const c = steps!.categories.indexOf("correct");
    const w = steps!.categories.indexOf("wrong_args");
    expect(pair.confusion[w]![c]).toBe(1);
    expect(pair.confusion[c]![c]).toBe(2);
    expect(steps!.coincidence[c]![w]).toBe(1);
    expect(steps!.disputed).toBe(1);
    expect(steps!.alphaInterval!.low).toBeLessThanOrEqual(steps!.alpha!);
    expect(steps!.alphaInterval!.high).toBeGreaterThanOrEqual(steps!.alpha!);
  });

  it("gives the same intervals for the same seed", () => {
    const judgements = collectJudgements(byReviewer(records));
    const once = reviewerAgreement(judgements, { bootstrap: BOOT });
    expect(reviewerAgreement(judgements, { bootstrap: BOOT })).toEqual(once);
    expect(reviewerAgreement(judgements, { bootstrap: { ...BOOT, seed: 2 } })[0]!.pairs[0]!.kappaInterval).not.toEqual(
      once[0]!.pairs[0]!.kappaInterval,
    );
  });

  it("measures plan verdicts as nominal and ratings as ordinal, with weighted kappa", () => {
    const plans = [
      planRecord("ana", "t1", "pass", 5),
      planRecord("ana", "t2", "fail", 2),
      planRecord("ana", "t3", "pass", 4),
      planRecord("bo", "t1", "pass", 4),
      planRecord("bo", "t2", "fail", 1),
      planRecord("bo", "t3", "fail", 2),
    ];
    const result = reviewerAgreement(collectJudgements(byReviewer(plans)), { bootstrap: BOOT });
    expect(result.map((m) => m.measure)).toEqual(["plan", "plan-rating"]);
    const [plan, rating] = result;
    // pass/pass, fail/fail, pass/fail: p_o = 2/3; ana pass 2/3, bo pass 1/3: p_e = 2/9 + 2/9 = 4/9; kappa = (6/9 - 4/9)/(5/9) = 0.4.
    expect(plan!.pairs[0]!.kappa).toBeCloseTo(0.4, 12);
    expect(rating!.level).toBe("ordinal");
    expect(rating!.pairs[0]!.agreement).toBe(0);
    // Ratings (5,4), (2,1), (4,2) on 1..5, quadratic weights ((i-j)/4)^2: observed (1+1+4)/16/3 = 0.125.
    // ana's ratings 2, 4, 5 and bo's 1, 2, 4, each value 1/3: expected = mean over the 9 cross pairs of ((i-j)/4)^2
    // = (1 + 0 + 4 + 9 + 4 + 0 + 16 + 9 + 1) / 16 / 9 = 44/144. kappa_w = 1 - 0.125 / (44/144) = 1 - 18/44 = 26/44.
    expect(rating!.pairs[0]!.weightedKappa).toBeCloseTo(26 / 44, 12);
    expect(rating!.nominalAlpha).not.toBeNull();
    expect(rating!.alpha!).toBeGreaterThan(rating!.nominalAlpha!);
  });

  it("reads pair preferences the same way whichever side each reviewer saw first", () => {
    const pairs = [
      reviewRecord("ana", "ta", { kind: "pair", a: "ta", b: "tb" }, { verdict: "a" }),
      // bo was shown tb on the left and preferred it: he preferred tb, which ana did not.
      reviewRecord("bo", "tb", { kind: "pair", a: "tb", b: "ta" }, { verdict: "a" }),
      reviewRecord("ana", "tc", { kind: "pair", a: "tc", b: "td" }, { verdict: "b" }),
      reviewRecord("bo", "td", { kind: "pair", a: "td", b: "tc" }, { verdict: "a" }),
    ];
    const judgements = collectJudgements(byReviewer(pairs));
    const [pair] = reviewerAgreement(judgements, { bootstrap: BOOT });
    expect(pair!.measure).toBe("pair");
    expect(pair!.pairs[0]!.units).toBe(2);
    // ta/tb: ana a, bo b (turned from "a" on tb|ta); tc/td: both prefer td, "b" in sorted order.
    expect(pair!.pairs[0]!.agreement).toBe(0.5);
    const cd = judgements.find((j) => j.target.kind === "pair" && j.target.a === "tc")!;
    expect(consensusOf(cd, measureById("pair")!)).toMatchObject({ value: "b", status: "unanimous" });
  });

  it("leaves adjudicators out of agreement and lets them settle the target", () => {
    const withLead = [...records, stepRecord("lead", "t1", "e8", "wrong_args", "the call passed the wrong order id")];
    const judgements = collectJudgements(byReviewer(withLead), { adjudicators: new Set(["lead"]) });
    const [steps] = reviewerAgreement(judgements, { bootstrap: BOOT });
    expect(steps!.reviewers).toEqual(["ana", "bo"]);
    expect(steps!.pairs[0]!.kappa).toBeCloseTo(5 / 9, 12);
    expect(steps!.disputed).toBe(0);
    expect(steps!.settled).toBe(1);
    const e8 = judgements.find((j) => j.key === "t1#step:e8")!;
    expect(consensusOf(e8, measureById("step")!)).toMatchObject({
      value: "wrong_args",
      status: "settled",
      agreeing: 1,
      adjudicator: "lead",
    });
  });

  it("drops cleared judgements and reviewers outside --reviewers", () => {
    const cleared = [...records, reviewRecord("bo", "t1", { kind: "step", eventId: "e8" }, { cleared: true })];
    const [steps] = reviewerAgreement(collectJudgements(byReviewer(cleared)), { bootstrap: BOOT });
    expect(steps!.pairs[0]!.units).toBe(3);
    expect(steps!.pairs[0]!.agreement).toBe(1);
    const [onlyAna] = reviewerAgreement(collectJudgements(byReviewer(records), { reviewers: new Set(["ana"]) }), { bootstrap: BOOT });
    expect(onlyAna!.pairs).toEqual([]);
    expect(onlyAna!.alpha).toBeNull();
  });
});
