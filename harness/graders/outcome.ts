import {
  describeDifferences,
  diffStates,
  evaluateOutcome,
  referenceExecution,
  type Scenario,
  type StateDifference,
} from "../../scenarios/index.js";
import type { GradableTrajectory } from "../trajectory/schema.js";
import { notApplicable, type Grader, type StepLabel } from "./grade.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";
import { pathsOverlap, traceState } from "./state-trace.js";

/** How many state differences the comment spells out before summarising. */
const SHOWN_DIFFERENCES = 8;

/**
 * Outcome: the scenario's own check, re-evaluated from the trajectory's final
 * state and final answer (τ-bench's reward: the final state must match the
 * state the reference plan leaves, and the answer must state the required
 * facts), saying what differed: each state path as expected-vs-actual, and
 * the facts the answer lacks.
 *
 * With the scenario loaded, each wrong state path is traced back to the
 * write that made it (the recorded calls are applied again to a fresh state),
 * and that write is labelled `wrong_write`. Without the scenario, the
 * recorded outcome is reported as it is.
 */
export const outcomeGrader: Grader = defineGrader({
  id: "outcome",
  description: "the scenario's check over the final state and the final answer, with the state diff and missing facts",
  labels: BUILTIN_LABELS["outcome"],
  grade(trajectory, scenario) {
    const { environment } = trajectory;
    // The scenario's check needs the final state; without it, what the source recorded is all there is.
    const outcome =
      scenario && environment
        ? evaluateOutcome(scenario, {
            finalState: environment.after,
            finalAnswer: trajectory.finalAnswer,
            initialState: environment.before,
          })
        : trajectory.outcome;
    if (outcome === null)
      return notApplicable(
        scenario
          ? "the final state was not recorded and no outcome was, so the scenario's check cannot be run"
          : "the outcome was not recorded and the scenario is not loaded",
      );
    const failed = outcome.checks.filter((check) => !check.pass);
    // The full diff is only worth computing when the state check failed.
    const stateFailed = failed.some((check) => check.name === "state");
    const differences = scenario && environment && stateFailed ? stateDifferences(scenario, environment.after) : [];
    const parts = failed.map((check) =>
      check.name === "state" && differences.length > 0
        ? `state: ${differences.length} path(s) differ from the reference (expected vs actual): ${describeDifferences(differences, SHOWN_DIFFERENCES)}`
        : `${check.name}: ${check.message}`,
    );
    const ended = trajectory.termination.reason === "completed" ? "" : ` (run ended: ${trajectory.termination.reason})`;
    return {
      score: outcome.score,
      pass: outcome.pass,
      comment: (failed.length === 0 ? `all ${outcome.checks.length} check(s) passed` : parts.join("; ")) + ended,
      steps: scenario && differences.length > 0 ? wrongWrites(trajectory, scenario, differences) : [],
    };
  },
});

/** Differences between the state the reference plan leaves (expected) and the final state (actual). */
function stateDifferences(scenario: Scenario, finalState: unknown): StateDifference[] {
  const reference = referenceExecution(scenario);
  if (reference.failure) return [];
  return diffStates(reference.state, finalState);
}

/**
 * The writes whose changes touch a wrong path: the last write to touch each
 * path is the one that left it wrong. Paths the run should have changed but
 * never touched have no write to blame; the comment lists them.
 */
function wrongWrites(trajectory: GradableTrajectory, scenario: Scenario, differences: readonly StateDifference[]): StepLabel[] {
  const trace = traceState(trajectory, scenario);
  const blamed = new Map<string, { paths: string[] }>();
  for (const difference of differences) {
    const last = [...trace.effects].reverse().find((effect) => effect.changes.some((change) => pathsOverlap(change.path, difference.path)));
    if (!last) continue;
    const entry = blamed.get(last.call.id) ?? { paths: [] };
    entry.paths.push(difference.path);
    blamed.set(last.call.id, entry);
  }
  return [...blamed.entries()].map(([eventId, { paths }]) => {
    const call = trace.effects.find((effect) => effect.call.id === eventId)!.call;
    const own = differences.filter((d) => paths.includes(d.path));
    return {
      eventId,
      label: "wrong_write",
      reason: `${call.name} left ${paths.length === 1 ? "a path" : `${paths.length} paths`} unlike the reference's final state: ${describeDifferences(own, 3)}`,
    };
  });
}
