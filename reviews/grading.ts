import { suggestionKey, type TrajectoryReview } from "./ledger.js";
import type { TrajectoryPair } from "./pairs.js";
import {
  ratingScore,
  rightVerdict,
  type PairVerdict,
  type PlanVerdict,
  type ReviewJudgement,
  type ReviewRecord,
  type StepRange,
  type StepVerdict,
  type SuggestionDecision,
} from "./record.js";
import { labelsOf, reasonsOf, suggestionState, type GraderSuggestion, type StepSuggestion } from "./suggestions.js";
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
 * How a reviewer settles a step: accepting its suggestion, rejecting it (the
 * step was right), modifying it (accepting with a changed verdict, reason or
 * "should have called"), or giving a verdict of their own.
 */
export type Settlement = "accept" | "reject" | "modify" | "verdict";

/**
 * The judgements that give a step `change`, settled as `how`: the step's new
 * snapshot and, when the step carries a suggestion and its verdict is set,
 * one decision per grader label the suggestion covers (only those that
 * change). Accepting gives the suggestion's verdict, with the graders'
 * reasons as the note unless the reviewer wrote one; rejecting gives the
 * verdict that says the step was right. A verdict of the reviewer's own
 * decides the suggestion too: the same verdict accepts it, the right one
 * rejects it, another modifies it. The step's labels say where its verdict
 * came from: `suggested-by:<grader>` (accepted as it was),
 * `corrected:<grader>` (modified), `rejected:<grader>`.
 */
export function settleStep(
  trajectoryId: string,
  step: TimelineStep,
  review: TrajectoryReview,
  change: StepChange,
  how: Settlement = "verdict",
): ReviewJudgement[] {
  const eventId = step.event.id;
  const current = review.steps.get(eventId);
  const suggestion = step.suggestion;
  const kind = step.kind;
  if (!suggestion || !kind) return [stepJudgement(trajectoryId, eventId, current, change)];
  const verdict: StepVerdict | undefined = how === "accept" ? suggestion.verdict : how === "reject" ? rightVerdict(kind) : change.verdict;
  if (verdict === undefined) return [stepJudgement(trajectoryId, eventId, current, change)];
  const note = change.note !== undefined ? change.note : (current?.note ?? null);
  const corrected =
    how === "modify" && (verdict !== suggestion.verdict || (note ?? "") !== reasonsOf(suggestion) || Boolean(change.shouldHaveCalled));
  const decisionOf = (label: GraderSuggestion): SuggestionDecision => {
    if (suggestion.dissent.includes(label)) return label.verdict === verdict ? "accepted" : "rejected";
    if (how === "accept") return "accepted";
    if (how === "reject" || verdict === rightVerdict(kind)) return "rejected";
    if (verdict !== suggestion.verdict) return "modified";
    return corrected ? "modified" : "accepted";
  };
  const judgements: ReviewJudgement[] = [];
  const tags: string[] = [];
  for (const label of labelsOf(suggestion)) {
    const decision = decisionOf(label);
    const tag = { accepted: "suggested-by", modified: "corrected", rejected: "rejected" }[decision];
    if (!(suggestion.dissent.includes(label) && decision === "rejected")) tags.push(`${tag}:${label.grader}`);
    const known = review.suggestions.get(suggestionKey(label.eventId, label.grader, label.label));
    if (known?.verdict === decision) continue;
    judgements.push({
      trajectoryId,
      target: { kind: "suggestion", eventId, grader: label.grader, label: label.label },
      verdict: decision,
      note: label.reason,
    });
  }
  const accepted = suggestion.sources.some((label) => decisionOf(label) === "accepted");
  judgements.push(
    stepJudgement(trajectoryId, eventId, current, {
      ...change,
      verdict,
      note: note === null && accepted ? reasonsOf(suggestion) : note,
      labels: [...new Set(tags)],
    }),
  );
  return judgements;
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
