import type { TargetJudgements } from "../judgements.js";
import {
  PairVerdictSchema,
  PlanVerdictSchema,
  STEP_VERDICTS,
  SuggestionDecisionSchema,
  type ReviewRecord,
  type ReviewTarget,
} from "../record.js";
import type { Level } from "./statistics.js";

/** What agreement is measured on: one value a reviewer gives to one kind of target. */
export interface Measure {
  readonly id: string;
  /** Words for reports. */
  readonly title: string;
  readonly targetKind: ReviewTarget["kind"];
  readonly level: Level;
  /** Values in the scale's order; values seen beyond them are added after, in sorted order. */
  readonly categories: readonly string[];
  /** The value a record gives, or null when it gives none (a note alone, a rating without a verdict). */
  value(record: ReviewRecord): string | null;
}

const verdictOf = (record: ReviewRecord): string | null => record.verdict;

/**
 * The measures of every target kind, in report order. A new target kind is a
 * compile error here until it says what is measured on it.
 */
export const MEASURES_BY_TARGET: { readonly [K in ReviewTarget["kind"]]: readonly Measure[] } = {
  step: [{ id: "step", title: "step verdicts", targetKind: "step", level: "nominal", categories: STEP_VERDICTS, value: verdictOf }],
  plan: [
    { id: "plan", title: "plan pass/fail", targetKind: "plan", level: "nominal", categories: PlanVerdictSchema.options, value: verdictOf },
    {
      id: "plan-rating",
      title: "plan ratings (1-5)",
      targetKind: "plan",
      level: "ordinal",
      categories: ["1", "2", "3", "4", "5"],
      value: (record) => (record.rating === null ? null : String(record.rating)),
    },
  ],
  pair: [
    {
      id: "pair",
      title: "pair preferences",
      targetKind: "pair",
      level: "nominal",
      // a, tie, b: the order of a preference scale, should anyone want it ordinal.
      categories: [PairVerdictSchema.enum.a, PairVerdictSchema.enum.tie, PairVerdictSchema.enum.b],
      value: verdictOf,
    },
  ],
  suggestion: [
    {
      id: "suggestion",
      title: "grader suggestions accepted",
      targetKind: "suggestion",
      level: "nominal",
      categories: SuggestionDecisionSchema.options,
      value: verdictOf,
    },
  ],
};

/** Every measure, in report order. */
export const MEASURES: readonly Measure[] = Object.values(MEASURES_BY_TARGET).flat();

/** A measure by id, or undefined. */
export function measureById(id: string): Measure | undefined {
  return MEASURES.find((measure) => measure.id === id);
}

/** Where a target's value comes from. */
export type ConsensusStatus = "settled" | "unanimous" | "single" | "disputed";

/** The value a target holds for a measure, and how sure the reviews are of it. */
export interface Consensus {
  /** Null when reviewers disagree and nobody settled it. */
  readonly value: string | null;
  readonly status: ConsensusStatus;
  /** Reviewers who gave a value (adjudicators not counted). */
  readonly reviewers: readonly string[];
  /** Of those, how many gave {@link value} (for a dispute: the largest group). */
  readonly agreeing: number;
  /** The adjudicator, when settled. */
  readonly adjudicator: string | null;
}

/**
 * A target's value for a measure: the adjudicator's when one settled it;
 * else the reviewers' when all who gave one agree (`single` when only one
 * did); else none (`disputed`). Null when nobody gave a value at all.
 */
export function consensusOf(judgements: TargetJudgements, measure: Measure): Consensus | null {
  const values = new Map<string, string>();
  for (const [reviewer, record] of judgements.byReviewer) {
    const value = measure.value(record);
    if (value !== null) values.set(reviewer, value);
  }
  const reviewers = [...values.keys()];
  const counts = new Map<string, number>();
  for (const value of values.values()) counts.set(value, (counts.get(value) ?? 0) + 1);
  const settled = judgements.settlement ? measure.value(judgements.settlement) : null;
  if (settled !== null) {
    return {
      value: settled,
      status: "settled",
      reviewers,
      agreeing: counts.get(settled) ?? 0,
      adjudicator: judgements.settlement!.reviewer,
    };
  }
  if (values.size === 0) return null;
  const largest = Math.max(...counts.values());
  if (counts.size === 1) {
    return {
      value: [...counts.keys()][0]!,
      status: reviewers.length === 1 ? "single" : "unanimous",
      reviewers,
      agreeing: largest,
      adjudicator: null,
    };
  }
  return { value: null, status: "disputed", reviewers, agreeing: largest, adjudicator: null };
}

/** Categories of a measure: its own, then any other value seen, sorted. */
export function categoriesOf(measure: Measure, seen: Iterable<string>): string[] {
  const extra = [...new Set(seen)].filter((value) => !measure.categories.includes(value)).sort();
  return [...measure.categories, ...extra];
}
