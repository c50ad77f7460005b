import { FLAG_LABELS, type Grade } from "../harness/core.js";
import { verdictForGraderLabel, type StepVerdict } from "./record.js";

/**
 * What a grader's label means to the review: whether it flags the step (the
 * queue's ⚑ count and the timeline's ⚑ both come from here, so they always
 * agree) and which step verdict accepting it gives (null when the label is
 * vague: it supports a definite suggestion but never decides one).
 */
export interface ReviewLabelMeaning {
  readonly flagged: boolean;
  readonly verdict: StepVerdict | null;
}

/** The meaning of `label` as given by the grader of `grade`. */
export function labelMeaning(_grade: Grade, label: string): ReviewLabelMeaning {
  const verdict = verdictForGraderLabel(label);
  return { flagged: FLAG_LABELS.has(label), verdict: verdict === "other" ? null : verdict };
}

/** Event ids of the steps a trajectory's grades flag (what the queue counts and the timeline marks ⚑). */
export function flaggedSteps(grades: readonly Grade[]): Set<string> {
  const ids = new Set<string>();
  for (const grade of grades) for (const step of grade.steps) if (labelMeaning(grade, step.label).flagged) ids.add(step.eventId);
  return ids;
}
