import { evaluateOutcome } from "../../scenarios/index.js";
import type { Grader } from "./grade.js";

/**
 * Outcome: the scenario's own check, re-evaluated from the trajectory's final
 * state and final answer (state matches the reference plan's, required facts
 * in the answer, custom checks). Without the scenario, the recorded outcome.
 */
export const outcomeGrader: Grader = {
  id: "outcome",
  description: "the scenario's check over the final state and the final answer",
  grade(trajectory, scenario) {
    const outcome = scenario
      ? evaluateOutcome(scenario, { finalState: trajectory.environment.after, finalAnswer: trajectory.finalAnswer })
      : trajectory.outcome;
    const failed = outcome.checks.filter((check) => !check.pass);
    const ended = trajectory.termination.reason === "completed" ? "" : ` (run ended: ${trajectory.termination.reason})`;
    return {
      score: outcome.score,
      pass: outcome.pass,
      comment: (failed.length === 0
        ? `all ${outcome.checks.length} check(s) passed`
        : failed.map((check) => `${check.name}: ${check.message}`).join("; ")) + ended,
      steps: [],
    };
  },
};
