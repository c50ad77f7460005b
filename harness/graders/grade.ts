import * as z from "zod";
import type { Scenario } from "../../scenarios/index.js";
import type { GradableTrajectory } from "../trajectory/schema.js";

/**
 * How sure a label is. `definite`: a reviewer would agree from the evidence
 * in the reason alone. `candidate`: worth a look (or a replay), not counted
 * in rates.
 */
export const CertaintySchema = z.enum(["definite", "candidate"]);
export type Certainty = z.infer<typeof CertaintySchema>;

/**
 * What a label means, declared once by the grader that gives it; the report,
 * the review's suggestions, replay candidates and grader validation all read
 * this declaration instead of keeping tables of label names.
 */
export const LabelMeaningSchema = z.object({
  /** A step a better agent would not have taken, or would have taken otherwise: counted as flagged. */
  flagged: z.boolean(),
  /** The call could have been left out with the outcome unchanged: counted in the skippable-call rate. */
  skippable: z.boolean().default(false),
  /**
   * The review's step verdict the label stands for when a reviewer accepts it
   * (`skippable`, `wrong_tool`, `wrong_args`, `harmful`, `correct`, `other`);
   * null: accepting records the verdict `other`, with the grader's reason.
   */
  verdict: z.string().nullable().default(null),
  /** Fault kinds of the fault-injecting policies the label answers (scored by `trajlab validate-graders`). */
  faultKinds: z.array(z.string()).default([]),
  /**
   * How validation matches the label to its faults: `event` (the fault's
   * events), or `trajectory` (the fault has no event of its own, such as a
   * step left out: a label anywhere in the run finds it).
   */
  faultUnit: z.enum(["event", "trajectory"]).default("event"),
  /**
   * Other fault kinds on whose events the label is also a true statement (a
   * wrong-tool attempt whose result went unused is an unused read); validation
   * does not count such labels against precision (strict precision does).
   */
  alsoTrueOn: z.array(z.string()).default([]),
  /** What the label says, in a reviewer's words. */
  description: z.string().min(1),
});
/** A label's meaning as stored (defaults filled in). */
export type LabelMeaning = z.infer<typeof LabelMeaningSchema>;
/** A label's meaning as a grader declares it (fields with defaults may be left out). */
export type LabelDeclaration = z.input<typeof LabelMeaningSchema>;

/** A grader's label on one step of a trajectory, with its evidence. */
export const StepLabelSchema = z.object({
  eventId: z.string(),
  /** One of the labels the grader declares (see docs/graders.md for the built-in ones). */
  label: z.string(),
  /** The evidence in words: what was seen, where, and why it makes the step suspicious. */
  reason: z.string(),
  /** How sure the label is; absent means definite. */
  certainty: CertaintySchema.optional(),
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
  /** 0..1; null when the grader does not apply (see `applicable`). */
  score: z.number().min(0).max(1).nullable(),
  /** Null when the grader does not apply. */
  pass: z.boolean().nullable(),
  /**
   * False when the grader needs what the trajectory lacks (a loaded
   * scenario, the environment's state, a reference plan, a recorded
   * outcome): score and pass are null, `comment` says what was missing, and
   * the grade counts in no rate. Absent means it applied.
   */
  applicable: z.boolean().optional(),
  comment: z.string(),
  steps: z.array(StepLabelSchema),
  /**
   * The meanings of the labels used in `steps`, as the grader declared them,
   * so that every reader of the file (report, review, exports) knows what a
   * label stands for without loading the grader. Absent in files written
   * before graders declared their labels.
   */
  labels: z.record(z.string(), LabelMeaningSchema).optional(),
});
export type Grade = z.infer<typeof GradeSchema>;

/** What a grader that applies returns; the harness adds the trajectory id and the meanings of the labels used. */
export interface GradedResult {
  readonly score: number;
  readonly pass: boolean;
  readonly comment: string;
  readonly steps: StepLabel[];
}

/** What a grader returns when it does not apply to the trajectory, with the reason (made by {@link notApplicable}). */
export interface NotApplicable {
  readonly notApplicable: string;
}

/** What a grader returns: a grade, or that it does not apply. */
export type GraderResult = GradedResult | NotApplicable;

/**
 * The result of a grader that cannot judge this trajectory: it needs
 * something the trajectory lacks. Say what, e.g. `notApplicable("no
 * reference plan to compare with")`. Reports and the review show it as not
 * applicable and leave it out of rates, instead of counting a pass.
 */
export function notApplicable(reason: string): NotApplicable {
  return { notApplicable: reason };
}

/** True for a result (of a grader or a policy rule) saying it does not apply. */
export function isNotApplicable<T>(result: T | NotApplicable): result is NotApplicable {
  return typeof result === "object" && result !== null && typeof (result as Partial<NotApplicable>).notApplicable === "string";
}

/** True when a grade was given (the grader applied), with its score and pass. */
export function applies(grade: Grade): grade is Grade & { score: number; pass: boolean } {
  return grade.applicable !== false && grade.score !== null && grade.pass !== null;
}

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
 * Make graders with {@link defineGrader}, which declares what each label
 * means. A grader without `labels` still works, but its labels mean nothing
 * to the report (not flagged, not skippable) and a reviewer accepting one
 * records the verdict `other`.
 */
export interface Grader {
  /** Unique id; it names the grader in grades.jsonl and reports. */
  readonly id: string;
  readonly description: string;
  /** Every label the grader gives, with its meaning. */
  readonly labels?: Readonly<Record<string, LabelMeaning>>;
  /**
   * Whether there is anything for the grader to check on this trajectory
   * (default: always). A grader whose checks are declared per trajectory,
   * such as the policy rules a scenario or an import names, gives no grade
   * at all where none is declared: "not applicable" is for a grader that
   * was asked to check and lacks what it needs.
   */
  hasChecksFor?(trajectory: GradableTrajectory, scenario: Scenario | undefined): boolean;
  grade(trajectory: GradableTrajectory, scenario: Scenario | undefined): GraderResult | Promise<GraderResult>;
}

/** An event's position in its trajectory, read from its id (`e12` → 12): ids are numbered in start order. */
export function eventOrder(eventId: string): number {
  return Number(eventId.slice(1));
}
