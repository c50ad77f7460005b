import * as z from "zod";
import type { LabelMeaning } from "../harness/core.js";

/**
 * Review records: what a person said about a trajectory, one JSON line each in
 * `runs/<run>/reviews/<reviewer>.jsonl`.
 *
 * Every record is a complete snapshot of one reviewer's judgement of one
 * target, so the file never needs editing: the latest record per reviewer and
 * target wins, and undo appends the snapshot that was there before (or a
 * cleared record when there was none).
 */
export const REVIEW_SCHEMA_VERSION = 2 as const;

/**
 * A reviewer's verdict on one step. Which verdicts fit depends on the step's
 * kind ({@link STEP_VERDICTS_BY_KIND}): tool calls, handoffs between agents,
 * and what a model said (its messages and the final answer).
 */
export const StepVerdictSchema = z.enum([
  "correct",
  "skippable",
  "wrong_tool",
  "wrong_args",
  "harmful",
  "other",
  "right_agent",
  "wrong_agent",
  "unnecessary_handoff",
  "wrong",
]);
export type StepVerdict = z.infer<typeof StepVerdictSchema>;

/** Every step verdict. */
export const STEP_VERDICTS: readonly StepVerdict[] = StepVerdictSchema.options;

/** The kinds of step a reviewer judges: a tool call, a handoff to another agent, or a model's message to the user. */
export type StepKind = "call" | "handoff" | "message";

/** The verdicts that fit each kind of step, in the order the digit keys pick them (1 is the step being right). */
export const STEP_VERDICTS_BY_KIND: Readonly<Record<StepKind, readonly StepVerdict[]>> = {
  call: ["correct", "skippable", "wrong_tool", "wrong_args", "harmful", "other"],
  handoff: ["right_agent", "wrong_agent", "unnecessary_handoff", "other"],
  message: ["correct", "wrong", "harmful", "other"],
};

/** Words a reviewer reads for each verdict. */
export const STEP_VERDICT_TITLES: Readonly<Record<StepVerdict, string>> = {
  correct: "correct",
  skippable: "skippable",
  wrong_tool: "wrong tool",
  wrong_args: "wrong arguments",
  harmful: "harmful",
  other: "other",
  right_agent: "right agent",
  wrong_agent: "wrong agent",
  unnecessary_handoff: "unnecessary handoff",
  wrong: "wrong",
};

/**
 * A grader label's verdict as it applies to a kind of step. Graders speak of
 * calls (`skippable`, `wrong_tool`); on a handoff those mean an unnecessary
 * handoff and the wrong agent, on a model's message a wrong claim. Null when
 * the verdict has no meaning for the kind.
 */
export function verdictForStepKind(kind: StepKind, verdict: StepVerdict): StepVerdict | null {
  if (STEP_VERDICTS_BY_KIND[kind].includes(verdict)) return verdict;
  const translated: Partial<Record<StepVerdict, StepVerdict>> =
    kind === "handoff"
      ? { correct: "right_agent", skippable: "unnecessary_handoff", wrong_tool: "wrong_agent", wrong_args: "wrong_agent", harmful: "other" }
      : kind === "message"
        ? { wrong_tool: "wrong", wrong_args: "wrong", skippable: "other" }
        : { right_agent: "correct", wrong_agent: "wrong_tool", unnecessary_handoff: "skippable", wrong: "other" };
  return translated[verdict] ?? null;
}

/** The verdict that says a step of this kind was right (what `1` gives, and what rejecting a flag leaves). */
export function rightVerdict(kind: StepKind): StepVerdict {
  return STEP_VERDICTS_BY_KIND[kind][0]!;
}

/** Verdict on a whole plan (the trajectory as a whole). */
export const PlanVerdictSchema = z.enum(["pass", "fail"]);
export type PlanVerdict = z.infer<typeof PlanVerdictSchema>;

/** Which of two trajectories a reviewer prefers. */
export const PairVerdictSchema = z.enum(["a", "b", "tie"]);
export type PairVerdict = z.infer<typeof PairVerdictSchema>;

/**
 * What a reviewer decided about one grader's suggestion: taken as it was,
 * refused, or taken with a correction (another verdict, reason or "should
 * have called", which the step record holds).
 */
export const SuggestionDecisionSchema = z.enum(["accepted", "rejected", "modified"]);
export type SuggestionDecision = z.infer<typeof SuggestionDecisionSchema>;

/** A run of consecutive steps, by event id, both ends included. */
export const StepRangeSchema = z.object({ from: z.string(), to: z.string() });
export type StepRange = z.infer<typeof StepRangeSchema>;

/**
 * What a record is about: one step, the plan, a pair of trajectories of the
 * same scenario, or one grader's suggestion on a step.
 */
export const ReviewTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("step"), eventId: z.string() }),
  z.object({ kind: z.literal("plan") }),
  z.object({ kind: z.literal("pair"), a: z.string(), b: z.string() }),
  z.object({ kind: z.literal("suggestion"), eventId: z.string(), grader: z.string(), label: z.string() }),
]);
export type ReviewTarget = z.infer<typeof ReviewTargetSchema>;

/** One line of a reviewer's file. Fields a target kind does not use are null or empty. */
export const ReviewRecordSchema = z
  .object({
    /** 2 since records carry `batch`; version 1 files still read (their batches are told by `at`). */
    schemaVersion: z.union([z.literal(1), z.literal(REVIEW_SCHEMA_VERSION)]),
    reviewer: z.string().min(1),
    at: z.iso.datetime().describe("When the judgement was given"),
    /**
     * Records given together (an accepted suggestion and the verdict it stands
     * for) share a batch id, unique per reviewer file; undo takes a batch back
     * whole. Null in version 1 records, whose batches share `at`.
     */
    batch: z.string().min(1).nullable().default(null),
    runId: z.string(),
    trajectoryId: z.string().describe("For pairs: trajectory A"),
    scenarioId: z.string(),
    target: ReviewTargetSchema,
    /**
     * step: a {@link StepVerdict}; plan: pass or fail; pair: a, b or tie;
     * suggestion: accepted or rejected. Null when not (yet) given, or when the
     * record clears the target.
     */
    verdict: z.string().nullable(),
    /** Free tags, e.g. `suggested-by:repeated-calls` when a step verdict came from a grader. */
    labels: z.array(z.string()),
    /** 0..1 like every grader score; plans: (rating - 1) / 4. */
    score: z.number().min(0).max(1).nullable(),
    /** Plans: the 1-5 rating the reviewer gave. */
    rating: z.number().int().min(1).max(5).nullable(),
    /** Step: the reason; plan: the critique; pair: why. */
    note: z.string().nullable(),
    /** Step: what the agent should have called instead. */
    shouldHaveCalled: z.string().nullable(),
    /** Plan: steps that could have been skipped. */
    skippable: z.array(StepRangeSchema),
    /** Plan: steps a good agent would have taken that this one did not. */
    missing: z.array(z.string()),
    /** True when the record removes the reviewer's judgement of the target (undo of a first grade). */
    cleared: z.boolean(),
    /** Set on records written by undo: the batch of the record being undone (version 1: its `at`). */
    undoes: z.string().nullable(),
    /**
     * Seconds the reviewer was active on the target before giving this record
     * (pauses longer than a minute count as a minute); null when unknown
     * (version 1 records, records written by undo).
     */
    activeSeconds: z.number().min(0).nullable().default(null),
  })
  .superRefine((record, context) => {
    if (record.verdict === null) return;
    const allowed = VERDICTS_BY_TARGET[record.target.kind];
    if (!allowed.includes(record.verdict)) {
      context.addIssue({
        code: "custom",
        path: ["verdict"],
        message: `${JSON.stringify(record.verdict)} is not a ${record.target.kind} verdict; expected one of ${allowed.join(", ")}`,
      });
    }
  })
  .describe("trajlab review record v2");
export type ReviewRecord = z.infer<typeof ReviewRecordSchema>;

const VERDICTS_BY_TARGET: Readonly<Record<ReviewTarget["kind"], readonly string[]>> = {
  step: StepVerdictSchema.options,
  plan: PlanVerdictSchema.options,
  pair: PairVerdictSchema.options,
  suggestion: SuggestionDecisionSchema.options,
};

/** The judgement part of a record, as the TUI builds it; the store adds who, when and where. */
export type ReviewJudgement = Pick<ReviewRecord, "trajectoryId" | "target"> &
  Partial<
    Pick<
      ReviewRecord,
      "verdict" | "labels" | "score" | "rating" | "note" | "shouldHaveCalled" | "skippable" | "missing" | "cleared" | "undoes"
    >
  >;

/** The batch a record belongs to: its batch id, or for version 1 records the time they shared. */
export function batchOf(record: Pick<ReviewRecord, "batch" | "at">): string {
  return record.batch ?? record.at;
}

/**
 * A stable key for a target within one reviewer's file. Pairs are keyed by
 * both trajectory ids in sorted order, so (A, B) and (B, A) are one target.
 */
export function targetKey(trajectoryId: string, target: ReviewTarget): string {
  switch (target.kind) {
    case "step":
      return `${trajectoryId}#step:${target.eventId}`;
    case "plan":
      return `${trajectoryId}#plan`;
    case "pair":
      return `pair:${[target.a, target.b].sort().join("|")}`;
    case "suggestion":
      return `${trajectoryId}#suggestion:${target.eventId}:${target.grader}:${target.label}`;
  }
}

/** A plan rating 1-5 as a 0..1 score. */
export function ratingScore(rating: number): number {
  return (rating - 1) / 4;
}

/**
 * The step verdict a grader's label stands for when a reviewer accepts it:
 * the verdict the grader declared for the label, or `other` (the grader's
 * reason goes with it) when it declared none or one the review does not know.
 */
export function verdictForLabel(meaning: Pick<LabelMeaning, "verdict"> | undefined): StepVerdict {
  const parsed = StepVerdictSchema.safeParse(meaning?.verdict);
  return parsed.success ? parsed.data : "other";
}
