import { z } from "zod";
import type { Scenario } from "../../scenarios/index.js";
import type { GradableTrajectory } from "../trajectory/schema.js";

/** A grader's label on one step of a trajectory, with its evidence. */
export const StepLabelSchema = z.object({
  eventId: z.string(),
  /** e.g. `skippable`, `wrong_tool`, `unused_result`; see docs/graders.md for every label. */
  label: z.string(),
  /** The evidence in words: what was seen, where, and why it makes the step suspicious. */
  reason: z.string(),
  /** Other events the evidence points at (the earlier identical call, the write that undid this one). */
  related: z.array(z.string()).optional(),
  /** Id of the replay trajectory that verified the label, in the run's `replays.jsonl`. */
  replay: z.string().optional(),
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
 * scenario: the same inputs give the same grade, so re-grading a run never
 * re-runs agents. `scenario` is undefined for trajectories whose scenario is
 * not loaded (imported from elsewhere); graders then use what the trajectory
 * holds.
 *
 * Graders that need a model (LLM judges) return a promise; they run through
 * `gradeTrajectoryAsync` and `trajlab grade`.
 *
 * @example
 * const noRefunds: Grader = {
 *   id: "no-refunds",
 *   description: "the agent never issues a refund",
 *   grade(trajectory) {
 *     const refunds = trajectory.events.filter((e) => e.kind === "tool_call" && e.name === "issue_refund");
 *     return {
 *       score: refunds.length === 0 ? 1 : 0,
 *       pass: refunds.length === 0,
 *       comment: refunds.length === 0 ? "no refund" : `${refunds.length} refund(s)`,
 *       steps: refunds.map((e) => ({ eventId: e.id, label: "policy_violation", reason: "refunds need a human" })),
 *     };
 *   },
 * };
 */
export interface Grader {
  /** Unique id; it names the grader in grades.jsonl and reports. */
  readonly id: string;
  readonly description: string;
  grade(trajectory: GradableTrajectory, scenario: Scenario | undefined): GraderResult | Promise<GraderResult>;
}

/** An event's position in its trajectory, read from its id (`e12` → 12): ids are numbered in start order. */
export function eventOrder(eventId: string): number {
  return Number(eventId.slice(1));
}
