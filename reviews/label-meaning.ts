import { labelMeaning as declaredMeaning, type Certainty, type Grade } from "../harness/core.js";
import { verdictForLabel, type StepVerdict } from "./record.js";

/**
 * What a grader's label means to the review, read from the meaning its
 * grader declared (carried in the grade): whether it flags the step (the
 * queue's ⚑ count and the timeline's ⚑ both come from here, so they always
 * agree) and which step verdict accepting it gives (null when the label is
 * vague: it supports a definite suggestion but never decides one).
 */
export interface ReviewLabelMeaning {
  readonly flagged: boolean;
  readonly verdict: StepVerdict | null;
}

/** The meaning of `label` as declared by the grader of `grade`; a label nothing declares flags nothing and is vague. */
export function labelMeaning(grade: Pick<Grade, "grader" | "labels">, label: string): ReviewLabelMeaning {
  const meaning = declaredMeaning(grade, label);
  const verdict = verdictForLabel(meaning);
  return { flagged: meaning?.flagged ?? false, verdict: verdict === "other" ? null : verdict };
}

/** How sure a grader is of one of its step labels (absent: definite). */
export function certaintyOf(step: { readonly certainty?: Certainty }): Certainty {
  return step.certainty ?? "definite";
}

/** Event ids of the steps a trajectory's grades flag (what the queue counts and the timeline marks ⚑), candidates included. */
export function flaggedSteps(grades: readonly Pick<Grade, "grader" | "labels" | "steps">[]): Set<string> {
  const ids = new Set<string>();
  for (const grade of grades) for (const step of grade.steps) if (labelMeaning(grade, step.label).flagged) ids.add(step.eventId);
  return ids;
}
