import type { Scenario } from "../../scenarios/index.js";
import { stripGroundTruth, type Trajectory } from "../trajectory/schema.js";
import type { Grade, Grader } from "./grade.js";
import { outcomeGrader } from "./outcome.js";
import { repeatedCallsGrader } from "./repeated-calls.js";
import { unusedResultsGrader } from "./unused-results.js";

/** Graders that ship with trajlab, in the order they run. */
export const builtinGraders: readonly Grader[] = [outcomeGrader, repeatedCallsGrader, unusedResultsGrader];

/**
 * Grades one trajectory with every grader. Ground truth is stripped first, so
 * no grader can read injected faults. A grader that throws yields a failing
 * grade that says so, rather than stopping the run.
 */
export function gradeTrajectory(trajectory: Trajectory, scenario: Scenario | undefined, graders: readonly Grader[] = builtinGraders): Grade[] {
  const visible = stripGroundTruth(trajectory);
  return graders.map((grader) => {
    try {
      return { grader: grader.id, trajectoryId: trajectory.id, ...grader.grade(visible, scenario) };
    } catch (error) {
      return {
        grader: grader.id,
        trajectoryId: trajectory.id,
        score: 0,
        pass: false,
        comment: `grader failed: ${error instanceof Error ? error.message : String(error)}`,
        steps: [],
      };
    }
  });
}
