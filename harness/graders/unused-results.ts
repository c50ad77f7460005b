import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";
import type { Grader, StepLabel } from "./grade.js";
import { traceValueFlow, type UnusedRead } from "./value-flow.js";

/**
 * Results never used: a successful read whose result contributed nothing
 * that flows anywhere later (see {@link traceValueFlow} for what counts as a
 * use). Labelled `unused_result`: definite when the read came after the one
 * that found what was being looked for (or, with a reference plan that says
 * which reads are needed, when it is off the plan, or when it found nothing
 * for a day already past that the user never named, or, for a computation,
 * when the agent quoted its figures but gave a result of its own), a
 * candidate otherwise.
 * Tools that only record thoughts are never labelled, and a computation whose
 * figure went nowhere only as a candidate.
 */
export const unusedResultsGrader: Grader = defineGrader({
  id: "unused-results",
  description: "reads whose results flow into nothing later (arguments, handoffs, agent text, final answer)",
  labels: BUILTIN_LABELS["unused-results"],
  grade(trajectory) {
    const flow = traceValueFlow(trajectory);
    const steps: StepLabel[] = flow.unused.map((read) => ({
      eventId: read.call.id,
      label: "unused_result",
      reason: reasonOf(read),
      certainty: read.certainty,
      ...(read.foundBy ? { related: [read.foundBy.id] } : {}),
    }));
    const definite = steps.filter((step) => step.certainty === "definite").length;
    return {
      score: flow.reads === 0 ? 1 : 1 - definite / flow.reads,
      pass: definite === 0,
      comment:
        steps.length === 0
          ? (flow.note ?? "every read's result was used")
          : `${definite} read(s) with unused results${steps.length > definite ? `, ${steps.length - definite} more candidate(s)` : ""}: ${steps.map((s) => s.eventId).join(", ")}${flow.note ? `; ${flow.note}` : ""}`,
      steps,
    };
  },
});

function reasonOf(read: UnusedRead): string {
  const { call, fresh } = read;
  if (read.past) {
    return `${call.name} found nothing for ${read.past.dates.join(", ")}, already past (the conversation says it is ${read.past.today}) and never named by the user: nothing found for a day gone by could be acted on`;
  }
  const values = fresh
    .slice(0, 3)
    .map((v) => JSON.stringify(v.shown))
    .join(", ");
  const what =
    fresh.length === 0
      ? `${call.name} returned nothing that was not already known`
      : `none of what ${call.name} returned (${values}${fresh.length > 3 ? ", ..." : ""}) reaches a later write, handoff, message or the final answer`;
  if (read.foundBy)
    return `${what}; it was read after ${read.foundBy.id} (${call.name} ${JSON.stringify(read.foundBy.args)}) had turned up the item looked for`;
  if (read.setAside)
    return `${what}: the agent quoted its figures (${read.setAside.join(", ")}) right after, but worked the result out again itself and gave another, so the computation was set aside`;
  if (read.behaviour === "arithmetic") return `${what} (a computation: its figure was never quoted or used)`;
  return what;
}
