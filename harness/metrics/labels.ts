import type { Grade } from "../graders/grade.js";

/**
 * Labels that mark a step as one a better agent would not have taken (or
 * would have taken differently). `extra_call` (not in the reference plan) is
 * informational: a reference is one good plan, not the only one.
 */
export const FLAG_LABELS: ReadonlySet<string> = new Set([
  "skippable",
  "loop",
  "unused_result",
  "undone_write",
  "noop_write",
  "wrong_tool",
  "wrong_args",
  "wrong_write",
  "premature_answer",
  "missing_call",
  "detour",
  "pass_through",
  "wrong_specialist",
  "ping_pong",
  "wrong_step",
]);

/** Labels that say a call could have been skipped with the outcome unchanged. */
export const SKIP_LABELS: ReadonlySet<string> = new Set(["skippable", "unused_result", "undone_write", "noop_write"]);

/** Steps (tool calls, handoffs, model calls) flagged by any grader in a trajectory's grades, by event id. */
export function flaggedEventIds(grades: readonly Grade[]): Set<string> {
  const ids = new Set<string>();
  for (const grade of grades) for (const step of grade.steps) if (FLAG_LABELS.has(step.label)) ids.add(step.eventId);
  return ids;
}
