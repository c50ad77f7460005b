import type { TargetJudgements } from "../judgements.js";
import { bootstrapInterval, type BootstrapOptions, type Interval } from "./bootstrap.js";
import { MEASURES, categoriesOf, consensusOf, type Measure } from "./measures.js";
import {
  coincidenceMatrix,
  cohenKappa,
  confusionMatrix,
  krippendorffAlpha,
  pairwiseAgreement,
  rawAgreement,
  type Level,
  type RatedPair,
} from "./statistics.js";

/** Agreement between two reviewers on the targets both judged. */
export interface PairAgreement {
  readonly reviewers: readonly [string, string];
  /** Targets both gave a value. */
  readonly units: number;
  /** Share of those on which they gave the same value. */
  readonly agreement: number | null;
  readonly kappa: number | null;
  readonly kappaInterval: Interval | null;
  /** Ordinal measures only: κ with quadratic weights (a near miss costs less than a far one). */
  readonly weightedKappa: number | null;
  /** Krippendorff's α of the two, at the measure's level. */
  readonly alpha: number | null;
  /** Rows: the first reviewer's value, columns: the second's, in the measure's category order. */
  readonly confusion: number[][];
}

/** Agreement among all reviewers on one measure. */
export interface MeasureAgreement {
  readonly measure: string;
  readonly title: string;
  readonly level: Level;
  readonly categories: readonly string[];
  /** Reviewers who gave at least one value, in name order. */
  readonly reviewers: readonly string[];
  /** Targets with at least one value. */
  readonly targets: number;
  /** Targets with values from two or more reviewers (the ones agreement is measured on). */
  readonly pairable: number;
  /** Values given, over all targets. */
  readonly values: number;
  /** Share of agreeing pairs among all pairs of values given to one target. */
  readonly agreement: number | null;
  /** Krippendorff's α at the measure's level, over every reviewer, missing values allowed. */
  readonly alpha: number | null;
  readonly alphaInterval: Interval | null;
  /** Ordinal measures: α with the order ignored (nominal), beside the ordinal one. */
  readonly nominalAlpha: number | null;
  /** Krippendorff's coincidence matrix, in category order. */
  readonly coincidence: number[][];
  /** Targets reviewers disagree on that nobody settled, and targets an adjudicator settled. */
  readonly disputed: number;
  readonly settled: number;
  /** Every two reviewers who judged a target in common. */
  readonly pairs: readonly PairAgreement[];
}

/** Options of {@link reviewerAgreement}. */
export interface ReviewerAgreementOptions {
  /** Which measures (default all that have values). */
  readonly measures?: readonly Measure[];
  readonly bootstrap?: BootstrapOptions;
}

/**
 * Agreement between reviewers, per measure: between every two (Cohen's κ,
 * raw agreement, confusion) and across all (Krippendorff's α, which allows any
 * number of reviewers per target and missing values), each κ and α with a
 * bootstrap 95% interval over targets. Adjudicators' records are not one more
 * opinion and are left out. Measures nobody gave a value for are left out.
 */
export function reviewerAgreement(judgements: readonly TargetJudgements[], options: ReviewerAgreementOptions = {}): MeasureAgreement[] {
  const results: MeasureAgreement[] = [];
  for (const measure of options.measures ?? MEASURES) {
    const rows = judgements
      .filter((judgement) => judgement.target.kind === measure.targetKind)
      .map((judgement) => ({ judgement, values: valuesOf(judgement, measure) }))
      .filter((row) => row.values.size > 0);
    if (rows.length === 0) continue;
    const categories = categoriesOf(
      measure,
      rows.flatMap((row) => [...row.values.values()]),
    );
    const index = new Map(categories.map((category, i) => [category, i]));
    const k = categories.length;
    const units = rows.map((row) => [...row.values.values()].map((value) => index.get(value)!));
    const pairable = units.filter((unit) => unit.length >= 2);
    const reviewers = [...new Set(rows.flatMap((row) => [...row.values.keys()]))].sort();
    const alphaOf = (sample: readonly (readonly number[])[]) => krippendorffAlpha(sample, k, measure.level);
    const consensus = rows.map((row) => consensusOf(row.judgement, measure));
    results.push({
      measure: measure.id,
      title: measure.title,
      level: measure.level,
      categories,
      reviewers,
      targets: rows.length,
      pairable: pairable.length,
      values: units.reduce((sum, unit) => sum + unit.length, 0),
      agreement: pairwiseAgreement(pairable, k),
      alpha: alphaOf(pairable),
      alphaInterval: bootstrapInterval(pairable, alphaOf, options.bootstrap),
      nominalAlpha: measure.level === "nominal" ? null : krippendorffAlpha(pairable, k, "nominal"),
      coincidence: coincidenceMatrix(pairable, k),
      disputed: consensus.filter((c) => c?.status === "disputed").length,
      settled: consensus.filter((c) => c?.status === "settled").length,
      pairs: pairsOf(reviewers, rows, index, measure, options.bootstrap),
    });
  }
  return results;
}

function valuesOf(judgement: TargetJudgements, measure: Measure): Map<string, string> {
  const values = new Map<string, string>();
  for (const [reviewer, record] of judgement.byReviewer) {
    const value = measure.value(record);
    if (value !== null) values.set(reviewer, value);
  }
  return values;
}

function pairsOf(
  reviewers: readonly string[],
  rows: readonly { values: ReadonlyMap<string, string> }[],
  index: ReadonlyMap<string, number>,
  measure: Measure,
  bootstrap: BootstrapOptions | undefined,
): PairAgreement[] {
  const k = index.size;
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < reviewers.length; i += 1) {
    for (let j = i + 1; j < reviewers.length; j += 1) {
      const first = reviewers[i]!;
      const second = reviewers[j]!;
      const rated: RatedPair[] = [];
      for (const { values } of rows) {
        const a = values.get(first);
        const b = values.get(second);
        if (a !== undefined && b !== undefined) rated.push([index.get(a)!, index.get(b)!]);
      }
      if (rated.length === 0) continue;
      const kappaOf = (sample: readonly RatedPair[]) => cohenKappa(sample, k);
      pairs.push({
        reviewers: [first, second],
        units: rated.length,
        agreement: rawAgreement(rated),
        kappa: kappaOf(rated),
        kappaInterval: bootstrapInterval(rated, kappaOf, bootstrap),
        weightedKappa: measure.level === "nominal" ? null : cohenKappa(rated, k, "quadratic"),
        alpha: krippendorffAlpha(rated, k, measure.level),
        confusion: confusionMatrix(rated, k),
      });
    }
  }
  return pairs;
}
