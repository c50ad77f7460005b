import { suggestionKey, type TrajectoryReview } from "./ledger.js";
import type { Certainty } from "../harness/core.js";
import type { StepVerdict, SuggestionDecision } from "./record.js";

/** A grader's label on a step, offered to the reviewer to accept or reject. */
export interface GraderSuggestion {
  readonly eventId: string;
  readonly grader: string;
  readonly label: string;
  readonly reason: string;
  /** Other events the label's evidence points at (the earlier call a repeat repeats, the rest of a detour). */
  readonly related?: readonly string[];
  /** The label marks the step as one a better agent would not have taken (counted in the queue's ⚑). */
  readonly flagged: boolean;
  /** The step verdict the label stands for; null when it is vague (an extra call against one reference plan). */
  readonly verdict: StepVerdict | null;
  /** `candidate` when the grader is not sure (worth a look); `definite` otherwise. */
  readonly certainty: Certainty;
}

/**
 * The one decision a reviewer makes on a step about what the graders said:
 * every label on the step that agrees, merged. Labels standing for the same
 * verdict agree; vague labels (no verdict of their own) support the definite
 * ones and never decide the verdict; a grader's candidate labels decide it
 * only when no definite label stands for a verdict. Labels that stand for
 * another verdict are kept apart as `dissent`, shown beside the suggestion.
 */
export interface StepSuggestion {
  readonly eventId: string;
  /** The verdict accepting gives: the definite labels' verdict, or `other` when every label is vague. */
  readonly verdict: StepVerdict;
  /** True when at least one label stands for `verdict`. */
  readonly definite: boolean;
  /** True when every label standing for `verdict` is a grader's candidate rather than a definite label. */
  readonly candidate: boolean;
  /** True when any label (agreeing or dissenting) flags the step. */
  readonly flagged: boolean;
  /** The labels merged into this suggestion: those standing for `verdict`, then the vague ones. */
  readonly sources: readonly GraderSuggestion[];
  /** Definite labels that stand for another verdict. */
  readonly dissent: readonly GraderSuggestion[];
}

/**
 * Severity order among definite verdicts: when graders disagree and are as
 * many on each side, the graver verdict is the suggestion, so accepting never
 * hides a harm another grader saw.
 */
const SEVERITY: readonly StepVerdict[] = ["harmful", "wrong_tool", "wrong_args", "skippable", "other", "correct"];

/** Merges a step's grader labels into one suggestion, or undefined when no grader labelled the step. */
export function mergeSuggestions(labels: readonly GraderSuggestion[]): StepSuggestion | undefined {
  const first = labels[0];
  if (!first) return undefined;
  const byVerdict = new Map<StepVerdict, GraderSuggestion[]>();
  for (const label of labels) {
    if (label.verdict === null) continue;
    byVerdict.set(label.verdict, [...(byVerdict.get(label.verdict) ?? []), label]);
  }
  const vague = labels.filter((label) => label.verdict === null);
  const flagged = labels.some((label) => label.flagged);
  const sure = (list: readonly GraderSuggestion[]): number => list.filter((label) => label.certainty === "definite").length;
  const ranked = [...byVerdict.entries()].sort(
    ([a, left], [b, right]) => sure(right) - sure(left) || right.length - left.length || rank(a) - rank(b),
  );
  const winner = ranked[0];
  if (!winner) return { eventId: first.eventId, verdict: "other", definite: false, candidate: false, flagged, sources: vague, dissent: [] };
  return {
    eventId: first.eventId,
    verdict: winner[0],
    definite: true,
    candidate: sure(winner[1]) === 0,
    flagged,
    sources: [...winner[1], ...vague],
    dissent: ranked.slice(1).flatMap(([, list]) => list),
  };
}

function rank(verdict: StepVerdict): number {
  const index = SEVERITY.indexOf(verdict);
  return index < 0 ? SEVERITY.length : index;
}

/** Every grader label a decision on the suggestion covers: its sources and its dissent. */
export function labelsOf(suggestion: StepSuggestion): GraderSuggestion[] {
  return [...suggestion.sources, ...suggestion.dissent];
}

/**
 * Where the reviewer stands on a step's suggestion: `open` while any of its
 * labels has no decision, else the decision on its sources.
 */
export function suggestionState(suggestion: StepSuggestion, review: TrajectoryReview): SuggestionDecision | "open" {
  let state: SuggestionDecision | "open" | undefined;
  for (const label of labelsOf(suggestion)) {
    const decision = review.suggestions.get(suggestionKey(label.eventId, label.grader, label.label))?.verdict;
    if (decision !== "accepted" && decision !== "rejected" && decision !== "modified") return "open";
    if (suggestion.sources.includes(label)) state ??= decision;
  }
  return state ?? "open";
}

/** The reasons of the suggestion's sources, one per line, without repeats: the note an accepted suggestion leaves. */
export function reasonsOf(suggestion: StepSuggestion): string {
  return [...new Set(suggestion.sources.map((source) => source.reason.trim()).filter(Boolean))].join("\n");
}
