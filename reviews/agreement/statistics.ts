/**
 * Inter-rater agreement: Cohen's κ (two raters, optionally weighted),
 * Krippendorff's α (any number of raters, missing values allowed; nominal,
 * ordinal or interval) and the matrices they are computed from.
 *
 * Values are category indexes `0..k-1` into a list the caller keeps; for the
 * ordinal and interval levels that list's order is the scale's order. Every
 * statistic is `null` where it is undefined (no units, or no variation to
 * correct for chance), never `NaN`.
 */

/** How values relate: unordered labels, ranks, or equally spaced numbers. */
export type Level = "nominal" | "ordinal" | "interval";

/** Two raters' values on one unit, as category indexes. */
export type RatedPair = readonly [number, number];

/** A `k`×`k` matrix of zeros. */
function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/** Rows: the first rater's value; columns: the second's. */
export function confusionMatrix(pairs: readonly RatedPair[], k: number): number[][] {
  const matrix = square(k);
  for (const [a, b] of pairs) matrix[a]![b]! += 1;
  return matrix;
}

/** Share of units on which both raters gave the same value; null without units. */
export function rawAgreement(pairs: readonly RatedPair[]): number | null {
  if (pairs.length === 0) return null;
  return pairs.filter(([a, b]) => a === b).length / pairs.length;
}

/**
 * Disagreement weights for Cohen's κ: `none` counts any difference as 1
 * (plain κ); `linear` |i-j|/(k-1); `quadratic` ((i-j)/(k-1))², the usual
 * choice for ratings on a scale.
 */
export type KappaWeights = "none" | "linear" | "quadratic";

function kappaWeight(i: number, j: number, k: number, weights: KappaWeights): number {
  if (i === j) return 0;
  if (weights === "none" || k < 2) return 1;
  const d = Math.abs(i - j) / (k - 1);
  return weights === "linear" ? d : d * d;
}

/**
 * Cohen's κ = 1 - Σ w·observed / Σ w·expected, where expected comes from the
 * two raters' own marginals (so κ corrects for each rater's habits). With no
 * weights this is the familiar (p_o - p_e) / (1 - p_e). Null when there are no
 * units or both raters used a single value throughout (p_e = 1).
 */
export function cohenKappa(pairs: readonly RatedPair[], k: number, weights: KappaWeights = "none"): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const observed = confusionMatrix(pairs, k);
  const rows = observed.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columns = observed[0]!.map((_, j) => observed.reduce((sum, row) => sum + row[j]!, 0));
  let disagreeObserved = 0;
  let disagreeExpected = 0;
  for (let i = 0; i < k; i += 1) {
    for (let j = 0; j < k; j += 1) {
      const w = kappaWeight(i, j, k, weights);
      disagreeObserved += (w * observed[i]![j]!) / n;
      disagreeExpected += (w * rows[i]! * columns[j]!) / (n * n);
    }
  }
  if (disagreeExpected <= 1e-12) return null;
  return 1 - disagreeObserved / disagreeExpected;
}

/**
 * Krippendorff's coincidence matrix: within each unit with m ≥ 2 values,
 * every ordered pair of values from different raters adds 1/(m-1) to its cell.
 * Units with fewer than two values are not pairable and add nothing. The
 * matrix is symmetric and its total is the number of pairable values.
 */
export function coincidenceMatrix(units: readonly (readonly number[])[], k: number): number[][] {
  const matrix = square(k);
  for (const values of units) {
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i += 1) {
      for (let j = 0; j < m; j += 1) {
        if (i !== j) matrix[values[i]!]![values[j]!]! += 1 / (m - 1);
      }
    }
  }
  return matrix;
}

/**
 * Squared distance between categories c and k at a level, given the
 * marginal counts n_g of the coincidence matrix (ordinal distances are
 * measured in how many values lie between two ranks, Krippendorff 2011).
 */
function distances(level: Level, marginals: readonly number[], scale: readonly number[]): number[][] {
  const k = marginals.length;
  const delta = square(k);
  for (let c = 0; c < k; c += 1) {
    for (let e = 0; e < k; e += 1) {
      if (c === e) continue;
      if (level === "nominal") delta[c]![e] = 1;
      else if (level === "interval") delta[c]![e] = (scale[c]! - scale[e]!) ** 2;
      else {
        const [low, high] = c < e ? [c, e] : [e, c];
        let between = 0;
        for (let g = low; g <= high; g += 1) between += marginals[g]!;
        delta[c]![e] = (between - (marginals[low]! + marginals[high]!) / 2) ** 2;
      }
    }
  }
  return delta;
}

/**
 * Krippendorff's α = 1 - D_o / D_e over units that each hold the values the
 * raters gave (any number per unit; raters who skipped a unit are simply
 * absent). D_o is the mean squared distance between values paired within a
 * unit, D_e between all pairable values regardless of unit. Null when fewer
 * than two values are pairable or every pairable value is the same (D_e = 0).
 *
 * `scale` gives the number each category stands for at the interval level
 * (default its index).
 */
export function krippendorffAlpha(
  units: readonly (readonly number[])[],
  k: number,
  level: Level,
  scale: readonly number[] = Array.from({ length: k }, (_, index) => index),
): number | null {
  const o = coincidenceMatrix(units, k);
  const marginals = o.map((row) => row.reduce((sum, value) => sum + value, 0));
  const n = marginals.reduce((sum, value) => sum + value, 0);
  if (n < 2) return null;
  const delta = distances(level, marginals, scale);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c += 1) {
    for (let e = 0; e < k; e += 1) {
      observed += o[c]![e]! * delta[c]![e]!;
      expected += marginals[c]! * marginals[e]! * delta[c]![e]!;
    }
  }
  const disagreeObserved = observed / n;
  const disagreeExpected = expected / (n * (n - 1));
  if (disagreeExpected <= 1e-12) return null;
  return 1 - disagreeObserved / disagreeExpected;
}

/**
 * Share of pairable value pairs that agree (the diagonal of the coincidence
 * matrix over its total): raw agreement for many raters with missing values.
 */
export function pairwiseAgreement(units: readonly (readonly number[])[], k: number): number | null {
  const o = coincidenceMatrix(units, k);
  let total = 0;
  let diagonal = 0;
  for (let c = 0; c < k; c += 1) {
    for (let e = 0; e < k; e += 1) total += o[c]![e]!;
    diagonal += o[c]![c]!;
  }
  return total === 0 ? null : diagonal / total;
}

/** Counts of a 2×2 comparison of a detector against a reference. */
export interface BinaryCounts {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
}

/** Precision, recall and Cohen's κ of a 2×2 comparison; null where a denominator is 0. */
export function binaryScores(counts: BinaryCounts): { precision: number | null; recall: number | null; kappa: number | null } {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } = counts;
  const pairs: RatedPair[] = [
    ...repeat([1, 1] as const, tp),
    ...repeat([1, 0] as const, fp),
    ...repeat([0, 1] as const, fn),
    ...repeat([0, 0] as const, tn),
  ];
  return {
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    kappa: cohenKappa(pairs, 2),
  };
}

function repeat<T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value);
}
