import { diffStates } from "../../scenarios/index.js";
import { eventOrder, notApplicable, type Grader, type StepLabel } from "./grade.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";
import { pathsOverlap, traceState, type CallEffect } from "./state-trace.js";

/**
 * Writes that a later write undoes, and writes that change nothing.
 *
 * The recorded calls are applied again to a fresh copy of the scenario's
 * state (tools are deterministic), so the grader sees what each write
 * changed. A write W is undone by a later write U when U touches W's paths
 * and, after U, each of them holds its value from before W again: neither
 * was needed for the final state. W is labelled `undone_write`; U too when
 * all it changed was to revert W. A successful write that changed nothing is
 * labelled `noop_write`.
 *
 * Needs the scenario (its tools); without it the grader reports nothing.
 */
export const undoneWritesGrader: Grader = defineGrader({
  id: "undone-writes",
  description: "writes a later write reverts, and writes that change nothing (found by applying the calls again)",
  labels: BUILTIN_LABELS["undone-writes"],
  grade(trajectory, scenario) {
    if (!scenario) return notApplicable("needs the scenario's tools to apply the calls again, and the scenario is not loaded");
    const trace = traceState(trajectory, scenario);
    const writes = trace.effects.filter((effect) => effect.call.effect !== "read" && effect.call.status === "ok");
    const steps: StepLabel[] = [];
    const labelled = new Set<string>();
    for (const [i, write] of writes.entries()) {
      if (write.changes.length === 0) {
        if (write.call.effect === "write") {
          steps.push({ eventId: write.call.id, label: "noop_write", reason: `${write.call.name} changed nothing in the environment` });
          labelled.add(write.call.id);
        }
        continue;
      }
      const undoer = writes.slice(i + 1).find((later) => reverts(later, write));
      if (!undoer || labelled.has(write.call.id)) continue;
      const paths = write.changes.map((change) => change.path);
      steps.push({
        eventId: write.call.id,
        label: "undone_write",
        reason: `${write.call.name} changed ${describePaths(paths)}, and ${undoer.call.id} (${undoer.call.name}) set ${paths.length === 1 ? "it" : "them"} back`,
        related: [undoer.call.id],
      });
      labelled.add(write.call.id);
      const onlyReverts = undoer.changes.every((change) => paths.some((path) => pathsOverlap(path, change.path)));
      if (onlyReverts && !labelled.has(undoer.call.id)) {
        steps.push({
          eventId: undoer.call.id,
          label: "undone_write",
          reason: `${undoer.call.name} only reverted what ${write.call.id} (${write.call.name}) had changed`,
          related: [write.call.id],
        });
        labelled.add(undoer.call.id);
      }
    }
    steps.sort((a, b) => eventOrder(a.eventId) - eventOrder(b.eventId));
    const comment =
      steps.length === 0
        ? writes.length === 0
          ? "no writes"
          : `none of ${writes.length} write(s) undone or without effect`
        : `${steps.length} write(s) wasted: ${steps.map((s) => `${s.eventId} ${s.label}`).join(", ")}`;
    return {
      score: writes.length === 0 ? 1 : 1 - labelled.size / writes.length,
      pass: steps.length === 0,
      comment: trace.faithful ? comment : `${comment} (some calls gave other results when applied again; the trace may be inexact)`,
      steps,
    };
  },
});

/** True when `later` touches `write`'s paths and leaves each as it was before `write`. */
function reverts(later: CallEffect, write: CallEffect): boolean {
  const touched = later.changes.some((change) => write.changes.some((own) => pathsOverlap(own.path, change.path)));
  if (!touched) return false;
  const remaining = diffStates(write.before, later.after).map((difference) => difference.path);
  return write.changes.every((own) => !remaining.some((path) => pathsOverlap(path, own.path)));
}

function describePaths(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(", ") : `${paths.slice(0, 3).join(", ")} and ${paths.length - 3} more`;
}
