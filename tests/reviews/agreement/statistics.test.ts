import { describe, expect, it } from "vitest";
import { bootstrapInterval, quantile } from "../../../reviews/agreement/bootstrap.js";
import {
  binaryScores,
  coincidenceMatrix,
  cohenKappa,
  confusionMatrix,
  krippendorffAlpha,
  pairwiseAgreement,
  rawAgreement,
  type RatedPair,
} from "../../../reviews/agreement/statistics.js";

const times = (pair: RatedPair, n: number): RatedPair[] => Array.from({ length: n }, () => pair);

describe("Cohen's kappa", () => {
  // Two readers, 50 items, 1 = yes: both yes 20, A yes B no 5, A no B yes 10, both no 15.
  // p_o = 35/50 = 0.7; A says yes 25/50 = 0.5, B 30/50 = 0.6;
  // p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
  const pairs = [...times([1, 1], 20), ...times([1, 0], 5), ...times([0, 1], 10), ...times([0, 0], 15)];

  it("matches the hand-worked two-reader example", () => {
    expect(cohenKappa(pairs, 2)).toBeCloseTo(0.4, 12);
    expect(rawAgreement(pairs)).toBeCloseTo(0.7, 12);
    expect(confusionMatrix(pairs, 2)).toEqual([
      [15, 10],
      [5, 20],
    ]);
  });

  it("weights disagreements by distance on a scale", () => {
    // 3 ranks, pairs (0,0) (1,1) (2,2) (0,1) (1,2) (1,0). Quadratic weights ((i-j)/2)^2: 0.25 next door, 1 two apart.
    // Observed: 3 neighbours * 0.25 / 6 = 0.125. Row marginals 2/6, 3/6, 1/6; columns 1/3 each.
    // Expected: (1/3) * (2/6 * 1.25 + 3/6 * 0.5 + 1/6 * 1.25) = 5.25/18. kappa_w = 1 - 0.125 / (5.25/18) = 4/7.
    // Unweighted: p_o = 0.5, p_e = (2 + 3 + 1) / 18 = 1/3, kappa = 0.25.
    const scale: RatedPair[] = [
      [0, 0],
      [1, 1],
      [2, 2],
      [0, 1],
      [1, 2],
      [1, 0],
    ];
    expect(cohenKappa(scale, 3, "quadratic")).toBeCloseTo(4 / 7, 12);
    expect(cohenKappa(scale, 3)).toBeCloseTo(0.25, 12);
    // Linear weights 0.5 next door: observed 1.5/6 = 0.25; expected (1/3)(2/6*1.5 + 3/6*1 + 1/6*1.5) = 0.4167; 1 - 0.25/0.41667 = 0.4.
    expect(cohenKappa(scale, 3, "linear")).toBeCloseTo(0.4, 12);
  });

  it("is 1 for perfect agreement, negative below chance, and undefined without variation", () => {
    expect(cohenKappa([...times([0, 0], 3), ...times([1, 1], 2)], 2)).toBe(1);
    // Always opposite: p_o = 0, p_e = 0.5 -> kappa = -1.
    expect(cohenKappa([...times([0, 1], 2), ...times([1, 0], 2)], 2)).toBeCloseTo(-1, 12);
    expect(cohenKappa(times([1, 1], 4), 2)).toBeNull();
    expect(cohenKappa([], 2)).toBeNull();
  });
});

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units,
  // values 1-5 (here 0-4), missing values left out of each unit.
  const units = [
    [1, 1, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [5, 5, 5],
    [1, 1],
    [3],
  ].map((values) => values.map((value) => value - 1));

  it("builds the coincidence matrix of the worked example", () => {
    // Unit 1 (three 1s) adds 3*2/2 = 3 to o11; unit 8 (three 1s, one 2) adds 6/3 = 2 to o11 and 1 to o12;
    // unit 11 adds 2 to o11: o11 = 7. Unit 6 (1,2,3,4) adds 1/3 to each off-diagonal cell among 1..4.
    // Marginals n1..n5 = 9, 13, 10, 5, 3; n = 40 pairable values (unit 12 has one value and is left out).
    const o = coincidenceMatrix(units, 5);
    expect(o[0]![0]).toBeCloseTo(7, 12);
    expect(o[0]![1]).toBeCloseTo(4 / 3, 12);
    expect(o[1]![1]).toBeCloseTo(10, 12);
    expect(o[1]![2]).toBeCloseTo(4 / 3, 12);
    expect(o[2]![2]).toBeCloseTo(8, 12);
    expect(o[4]![4]).toBeCloseTo(3, 12);
    expect(o.map((row) => row.reduce((a, b) => a + b, 0)).map((n) => Math.round(n * 1e9) / 1e9)).toEqual([9, 13, 10, 5, 3]);
  });

  it("matches the published nominal, ordinal and interval values", () => {
    // Nominal: alpha = 1 - (n-1)(n - sum o_cc) / (n^2 - sum n_c^2) = 1 - 39*8 / (1600 - 384) = 1 - 312/1216 = 0.7434.
    expect(krippendorffAlpha(units, 5, "nominal")).toBeCloseTo(1 - 312 / 1216, 12);
    // Published: ordinal 0.815, interval 0.849.
    expect(krippendorffAlpha(units, 5, "ordinal")).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(units, 5, "interval")).toBeCloseTo(0.849, 3);
    // Raw agreement among pairable values: the diagonal (7+10+8+4+3 = 32) over 40.
    expect(pairwiseAgreement(units, 5)).toBeCloseTo(32 / 40, 12);
  });

  it("works for two raters without missing values (sklearn and nltk give the same figures)", () => {
    // Two raters on the kappa example: alpha = 1 - (n-1) * (disagreements / n) / expected, with the
    // pooled marginals (25+30)/100 yes and 45/100 no over 2n = 100 values:
    // D_o = 2*15/100 = 0.3; D_e = 2*55*45/(100*99) = 0.5; alpha = 1 - 0.3/0.5 = 0.4.
    const pairs = [...times([1, 1], 20), ...times([1, 0], 5), ...times([0, 1], 10), ...times([0, 0], 15)];
    expect(krippendorffAlpha(pairs, 2, "nominal")).toBeCloseTo(1 - 0.3 / 0.5, 12);
  });

  it("is undefined when nothing can be paired or nothing varies", () => {
    expect(krippendorffAlpha([[0], [1]], 2, "nominal")).toBeNull();
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [1, 1, 1],
        ],
        2,
        "nominal",
      ),
    ).toBeNull();
  });
});

describe("precision, recall and kappa of a detector", () => {
  it("computes the 2x2 scores by hand", () => {
    // tp 8, fp 2, fn 4, tn 86 of 100: precision 0.8, recall 8/12;
    // p_o = 0.94, p_e = 0.10*0.12 + 0.90*0.88 = 0.804, kappa = (0.94 - 0.804) / 0.196 = 0.6939.
    const scores = binaryScores({ truePositives: 8, falsePositives: 2, falseNegatives: 4, trueNegatives: 86 });
    expect(scores.precision).toBeCloseTo(0.8, 12);
    expect(scores.recall).toBeCloseTo(8 / 12, 12);
    expect(scores.kappa).toBeCloseTo((0.94 - 0.804) / 0.196, 12);
    expect(binaryScores({ truePositives: 0, falsePositives: 0, falseNegatives: 3, trueNegatives: 5 }).precision).toBeNull();
  });
});

describe("bootstrap interval", () => {
  const pairs = [...times([1, 1], 20), ...times([1, 0], 5), ...times([0, 1], 10), ...times([0, 0], 15)];
  const kappa = (sample: readonly RatedPair[]) => cohenKappa(sample, 2);

  it("is the same for the same seed and differs for another", () => {
    const first = bootstrapInterval(pairs, kappa, { seed: 7, samples: 400 });
    const again = bootstrapInterval(pairs, kappa, { seed: 7, samples: 400 });
    const other = bootstrapInterval(pairs, kappa, { seed: 8, samples: 400 });
    expect(first).toEqual(again);
    expect(other).not.toEqual(first);
    expect(first!.low).toBeLessThan(0.4);
    expect(first!.high).toBeGreaterThan(0.4);
    expect(first!.level).toBe(0.95);
    expect(first!.samples).toBe(400);
  });

  it("collapses on data without spread, and is absent with too little data", () => {
    const perfect = [...times([0, 0], 10), ...times([1, 1], 10)];
    const interval = bootstrapInterval(perfect, kappa, { samples: 200 });
    expect(interval).toMatchObject({ low: 1, high: 1 });
    expect(bootstrapInterval([[0, 0] as RatedPair], kappa)).toBeNull();
  });

  it("interpolates quantiles like numpy's default", () => {
    // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
  });
});
