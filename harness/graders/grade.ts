import { z } from "zod";
import type { Scenario } from "../../scenarios/index.js";
import type { GradableTrajectory } from "../trajectory/schema.js";

/** A grader's label on one step of a trajectory, with its evidence. */
export const StepLabelSchema = z.object({
  eventId: z.string(),
  /** e.g. `skippable`, `wrong_tool`, `unused_result`. */
  label: z.string(),
  reason: z.string(),
});
export type StepLabel = z.infer<typeof StepLabelSchema>;

/** One grader's verdict on one trajectory; a line of `grades.jsonl`. */
export const GradeSchema = z.object({
  grader: z.string(),
  trajectoryId: z.string(),
  score: z.number().min(0).max(1),
  pass: z.boolean(),
  comment: z.string(),
  steps: z.array(StepLabelSchema),
});
export type Grade = z.infer<typeof GradeSchema>;

/** What a grader returns; the harness adds the trajectory id. */
export type GraderResult = Omit<Grade, "grader" | "trajectoryId">;

/**
 * A grader is a pure function of a trajectory (without ground truth) and its
 * scenario. `scenario` is undefined for trajectories whose scenario is not
 * loaded (imported from elsewhere); graders then use what the trajectory holds.
 */
export interface Grader {
  readonly id: string;
  readonly description: string;
  grade(trajectory: GradableTrajectory, scenario: Scenario | undefined): GraderResult;
}
