import type { TrajectoryReview } from "./ledger.js";
import type { TrajectoryPair } from "./pairs.js";
import {
  ratingScore,
  type PairVerdict,
  type PlanVerdict,
  type ReviewJudgement,
  type ReviewRecord,
  type StepRange,
  type StepVerdict,
} from "./record.js";
import { labelsOf, reasonsOf, suggestionState, type StepSuggestion } from "./suggestions.js";
import type { TimelineStep } from "./timeline.js";

/**
 * Builders for judgements. Each returns the complete new snapshot of its
 * target (the current record with the change applied), since the latest
 * record per target is all that counts.
 */

/** What a step judgement can change. */
export interface StepChange {
  readonly verdict?: StepVerdict;
  readonly note?: string | null;
  readonly shouldHaveCalled?: string | null;
  readonly labels?: readonly string[];
}

/** A step's new snapshot. */
export function stepJudgement(
  trajectoryId: string,
  eventId: string,
  current: ReviewRecord | undefined,
  change: StepChange,
): ReviewJudgement {
  return {
    trajectoryId,
    target: { kind: "step", eventId },
    verdict: change.verdict ?? current?.verdict ?? null,
    note: change.note !== undefined ? emptyToNull(change.note) : (current?.note ?? null),
    shouldHaveCalled: change.shouldHaveCalled !== undefined ? emptyToNull(change.shouldHaveCalled) : (current?.shouldHaveCalled ?? null),
    labels: [...(change.labels ?? (change.verdict !== undefined ? [] : (current?.labels ?? [])))],
  };
}

/**
 * A decision on a step's suggestion: one record per grader label it covers
 * (its sources, and dissenting labels, which accepting refuses), plus the
 * step's new snapshot. Accepting gives the step the suggestion's verdict,
 * tagged `suggested-by:<grader>` for every grader that agreed, with their
 * reasons as the note unless the reviewer wrote one. Rejecting records the
 * decisions only.
 */
export function suggestionJudgements(
  trajectoryId: string,
  suggestion: StepSuggestion,
  decision: "accepted" | "rejected",
  currentStep: ReviewRecord | undefined,
): ReviewJudgement[] {
  const decisions = labelsOf(suggestion).map((label): ReviewJudgement => ({
    trajectoryId,
    target: { kind: "suggestion", eventId: label.eventId, grader: label.grader, label: label.label },
    verdict: decision === "accepted" && suggestion.dissent.includes(label) ? "rejected" : decision,
    note: label.reason,
  }));
  if (decision === "rejected") return decisions;
  const step = stepJudgement(trajectoryId, suggestion.eventId, currentStep, {
    verdict: suggestion.verdict,
    note: currentStep?.note ?? reasonsOf(suggestion),
    labels: [...new Set(suggestion.sources.map((source) => `suggested-by:${source.grader}`))],
  });
  return [...decisions, step];
}

/** The step's suggestion when the reviewer has not decided on it yet. */
export function openSuggestion(step: TimelineStep, review: TrajectoryReview): StepSuggestion | undefined {
  return step.suggestion && suggestionState(step.suggestion, review) === "open" ? step.suggestion : undefined;
}

/** What a plan judgement can change. */
export interface PlanChange {
  readonly rating?: number | null;
  readonly verdict?: PlanVerdict | null;
  readonly skippable?: readonly StepRange[];
  readonly missing?: readonly string[];
  readonly note?: string | null;
}

/** The plan's current values, falling back to defaults before the first plan record. */
export interface PlanValues {
  readonly rating: number | null;
  readonly verdict: PlanVerdict | null;
  readonly skippable: readonly StepRange[];
  readonly missing: readonly string[];
  readonly note: string | null;
}

/**
 * The plan as the form shows it: the plan record, or before there is one,
 * the steps the reviewer already called skippable.
 */
export function planValues(review: TrajectoryReview, gradable: readonly TimelineStep[]): PlanValues {
  const plan = review.plan;
  if (plan) {
    return {
      rating: plan.rating,
      verdict: plan.verdict === "pass" || plan.verdict === "fail" ? plan.verdict : null,
      skippable: plan.skippable,
      missing: plan.missing,
      note: plan.note,
    };
  }
  const skippable = new Set(
    gradable.filter((step) => review.steps.get(step.event.id)?.verdict === "skippable").map((step) => step.event.id),
  );
  return { rating: null, verdict: null, skippable: rangesOf(skippable, gradable), missing: [], note: null };
}

/** The plan's new snapshot. */
export function planJudgement(trajectoryId: string, values: PlanValues, change: PlanChange): ReviewJudgement {
  const rating = change.rating !== undefined ? change.rating : values.rating;
  return {
    trajectoryId,
    target: { kind: "plan" },
    rating,
    score: rating === null ? null : ratingScore(rating),
    verdict: change.verdict !== undefined ? change.verdict : values.verdict,
    skippable: [...(change.skippable ?? values.skippable)],
    missing: [...(change.missing ?? values.missing)],
    note: change.note !== undefined ? emptyToNull(change.note) : values.note,
  };
}

/** A preference between the two sides of a pair. */
export function pairJudgement(pair: TrajectoryPair, verdict: PairVerdict | null, note: string | null): ReviewJudgement {
  return { trajectoryId: pair.a.id, target: { kind: "pair", a: pair.a.id, b: pair.b.id }, verdict, note: emptyToNull(note) };
}

/**
 * A stored preference read from the point of view of `pair` (whose sides may
 * be the other way round from when it was given).
 */
export function pairVerdictFor(pair: TrajectoryPair, record: ReviewRecord | undefined): PairVerdict | null {
  if (!record || record.target.kind !== "pair" || record.verdict === null) return null;
  if (record.verdict === "tie") return "tie";
  const preferred = record.verdict === "a" ? record.target.a : record.target.b;
  return preferred === pair.a.id ? "a" : "b";
}

/** Selected steps as ranges of consecutive gradable steps, in timeline order. */
export function rangesOf(selected: ReadonlySet<string>, gradable: readonly TimelineStep[]): StepRange[] {
  const ranges: StepRange[] = [];
  let open: { from: string; to: string } | null = null;
  for (const step of gradable) {
    if (selected.has(step.event.id)) {
      if (open) open.to = step.event.id;
      else open = { from: step.event.id, to: step.event.id };
    } else if (open) {
      ranges.push(open);
      open = null;
    }
  }
  if (open) ranges.push(open);
  return ranges;
}

/** The step ids inside ranges (ranges over the gradable steps, ends included). */
export function selectedOf(ranges: readonly StepRange[], gradable: readonly TimelineStep[]): Set<string> {
  const selected = new Set<string>();
  const position = new Map(gradable.map((step, index) => [step.event.id, index]));
  for (const range of ranges) {
    const from = position.get(range.from);
    const to = position.get(range.to);
    if (from === undefined || to === undefined) continue;
    for (let index = Math.min(from, to); index <= Math.max(from, to); index += 1) selected.add(gradable[index]!.event.id);
  }
  return selected;
}

/** Splits a typed list of missing steps ("lookup order; refund") into entries. */
export function missingOf(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function emptyToNull(text: string | null): string | null {
  return text === null || text.trim() === "" ? null : text;
}
