import * as z from "zod";

import { jsonSchemaOf } from "../util/json-schema.js";
import { upgradeTrajectory } from "./upgrade.js";

/**
 * Trajectory format v2: one agent attempt at one scenario, recorded by
 * trajlab or imported from another system's log.
 *
 * This module is the single source of truth for the format: the recorder and
 * the importers produce values of these types, every reader parses lines with
 * {@link TrajectorySchema} (which reads v1 lines too, upgrading them), and
 * `trajlab schema` publishes it as JSON Schema. Times are milliseconds;
 * `startMs` is measured from the trajectory's start so that two trajectories
 * can be compared with timings set aside.
 *
 * What a source did not record is `null`, never a made-up value: timing
 * (`startedAt`, `durationMs`, each event's `startMs`/`durationMs`), token
 * counts (with `usage.source` saying where counts came from), the model, the
 * tools offered, the environment's state, the outcome and the reference plan.
 * Readers test for `null` and say "not recorded"; graders that need such a
 * field do not apply.
 */
export const TRAJECTORY_SCHEMA_VERSION = 2 as const;

/** Milliseconds, or null when the source did not record the time. */
const maybeMs = z.number().nonnegative().nullable();
/** A token count, or null when it was not recorded. */
const maybeTokens = z.number().int().nonnegative().nullable();

/**
 * Where token counts came from: reported by the model `provider`,
 * `estimated` (by trajlab's policy models or the source, from text length),
 * or `unknown` (not recorded: every count is null).
 */
export const TokenSourceSchema = z.enum(["provider", "estimated", "unknown"]);
export type TokenSource = z.infer<typeof TokenSourceSchema>;

/** Token counts for one model call or a whole trajectory; a count the source lacks is null. */
export const TokenUsageSchema = z
  .object({
    source: TokenSourceSchema,
    inputTokens: maybeTokens,
    outputTokens: maybeTokens,
    totalTokens: maybeTokens,
  })
  .describe("Token usage");
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** Token usage when nothing was recorded. */
export const UNKNOWN_USAGE: TokenUsage = Object.freeze({ source: "unknown", inputTokens: null, outputTokens: null, totalTokens: null });

/**
 * Where a tool's read/write effect came from: the `source` (the tool's own
 * definition, or the log that was imported), an `effects_file` given to
 * `trajlab import --effects`, or `inferred` from the tool's name. Null when
 * the effect is `unknown`.
 */
export const EffectSourceSchema = z.enum(["source", "effects_file", "inferred"]).nullable();
export type EffectSource = z.infer<typeof EffectSourceSchema>;

/** Where an imported event came from inside its record, so labels made on the source's own steps can be joined. */
export const EventOriginSchema = z
  .object({
    path: z
      .string()
      .describe("JSON Pointer (RFC 6901) into the source record, e.g. /traj/3 (a message) or /traj/3/tool_calls/0 (a requested call)"),
    resultPath: z.string().optional().describe("For a tool call: the pointer to the message or span that gave its result"),
    id: z.string().nullable().describe("The source's own id for it (tool_call_id, span id, run id), when it had one"),
    call: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "For a tool call or handoff call: its position among all the calls the record requested, in order, from 1 (how labels made on the source count calls)",
      ),
  })
  .describe("Present on imported events");
export type EventOrigin = z.infer<typeof EventOriginSchema>;

/** A tool call as the model requested it. */
export const RequestedToolCallSchema = z.object({
  id: z.string().describe("The model's tool_call_id"),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
});
export type RequestedToolCall = z.infer<typeof RequestedToolCallSchema>;

const EventBase = {
  id: z
    .string()
    .regex(/^e\d+$/)
    .describe("Stable id: e1, e2, ... in start order"),
  parentId: z.string().nullable().describe("Enclosing event (agent node, graph node) or null at the root"),
  agent: z.string().describe("Agent the event belongs to"),
  startMs: maybeMs.describe("Start, in ms since the trajectory started; null when not recorded"),
  durationMs: maybeMs.describe("Null when not recorded"),
  origin: EventOriginSchema.optional(),
};

/** A message that entered the conversation without being produced by a recorded call. */
export const MessageEventSchema = z.object({
  ...EventBase,
  kind: z.literal("message"),
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string(),
  name: z.string().optional(),
  /** For tool messages written without a tool callback (e.g. handoff acknowledgements). */
  toolCallId: z.string().optional(),
});
export type MessageEvent = z.infer<typeof MessageEventSchema>;

/** One chat-model call. */
export const LlmCallEventSchema = z.object({
  ...EventBase,
  kind: z.literal("llm_call"),
  model: z.string().nullable().describe("Null when the source did not name the model"),
  node: z.string().nullable().describe("Graph node the call ran in"),
  /** The prompt, as ids of the events that produced each message, in order. */
  inputEventIds: z.array(z.string()),
  output: z.object({
    content: z.string(),
    toolCalls: z.array(RequestedToolCallSchema),
  }),
  usage: TokenUsageSchema,
  finishReason: z.string().nullable(),
  error: z.string().nullable(),
  /**
   * How a call to a real model reached it: attempts (0 when the reply came
   * from the model-call cache), each failed attempt with the wait after it,
   * and whether it was cached. Absent for offline policy models and for
   * trajectories recorded elsewhere.
   */
  transport: z
    .object({
      attempts: z.number().int().min(0),
      retries: z.array(z.object({ error: z.string(), waitMs: z.number().min(0) })),
      cached: z.boolean(),
    })
    .optional(),
  /** The call's tokens at list price, in US dollars (also when cached); null when the model has no price; absent when not known. */
  costUsd: z.number().min(0).nullable().optional(),
});
export type LlmCallEvent = z.infer<typeof LlmCallEventSchema>;

/**
 * Why a tool call failed: the tool does not exist, the arguments were
 * rejected, the tool itself failed, or (`no_result`, imported logs only) the
 * log holds no result for a call the model requested.
 */
export const ToolErrorKindSchema = z.enum(["unknown_tool", "invalid_args", "tool_error", "no_result"]);
export type ToolErrorKind = z.infer<typeof ToolErrorKindSchema>;

/** One tool call, including calls LangGraph rejected before running a tool. */
export const ToolCallEventSchema = z.object({
  ...EventBase,
  kind: z.literal("tool_call"),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  toolCallId: z.string().nullable(),
  effect: z.enum(["read", "write", "unknown"]),
  effectSource: EffectSourceSchema,
  node: z.string().nullable(),
  status: z.enum(["ok", "error"]),
  /** Parsed result (JSON when the tool returned JSON), or null on error. */
  result: z.unknown(),
  /** The text the model saw as the tool's answer. */
  resultText: z.string(),
  error: z.object({ kind: ToolErrorKindSchema, message: z.string() }).nullable(),
});
export type ToolCallEvent = z.infer<typeof ToolCallEventSchema>;

/** Control passing from one agent to another. */
export const HandoffEventSchema = z.object({
  ...EventBase,
  kind: z.literal("handoff"),
  from: z.string(),
  to: z.string(),
  /**
   * `tool`: a handoff tool the model called; `return`: control came back by a
   * graph edge (or, in a trace, a nested agent's span ended); `speaker`: in an
   * imported multi-agent chat log, another agent spoke next; `invoke`: in a
   * trace, an agent's span started inside another agent's.
   */
  via: z.enum(["tool", "return", "speaker", "invoke"]),
  toolName: z.string().nullable(),
  toolCallId: z.string().nullable(),
  args: z.record(z.string(), z.unknown()),
});
export type HandoffEvent = z.infer<typeof HandoffEventSchema>;

/** A graph node was entered. */
export const NodeEventSchema = z.object({
  ...EventBase,
  kind: z.literal("node"),
  name: z.string(),
  step: z.number().int().nullable().describe("LangGraph superstep"),
  namespace: z.string().describe("Checkpoint namespace with task ids removed"),
});
export type NodeEvent = z.infer<typeof NodeEventSchema>;

/** An error that ended or interrupted the run (tool errors are on their tool calls). */
export const ErrorEventSchema = z.object({
  ...EventBase,
  kind: z.literal("error"),
  name: z.string(),
  message: z.string(),
  code: z.string().nullable(),
});
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;

export const TrajectoryEventSchema = z.discriminatedUnion("kind", [
  MessageEventSchema,
  LlmCallEventSchema,
  ToolCallEventSchema,
  HandoffEventSchema,
  NodeEventSchema,
  ErrorEventSchema,
]);
export type TrajectoryEvent = z.infer<typeof TrajectoryEventSchema>;
export type EventKind = TrajectoryEvent["kind"];

/** One changed value between the environment's state before and after the run. */
export const StateChangeSchema = z.object({
  /** Path into the state, e.g. `orders.O-1001.status`. */
  path: z.string(),
  op: z.enum(["add", "remove", "change"]),
  /** Absent for `add`. */
  before: z.unknown().optional(),
  /** Absent for `remove`. */
  after: z.unknown().optional(),
});
export type StateChange = z.infer<typeof StateChangeSchema>;

/** One named check inside an outcome. */
export const OutcomeCheckSchema = z.object({
  name: z.string(),
  pass: z.boolean(),
  message: z.string(),
});
export type OutcomeCheck = z.infer<typeof OutcomeCheckSchema>;

/** Whether the scenario's goal was reached. */
export const OutcomeSchema = z.object({
  pass: z.boolean(),
  score: z.number().min(0).max(1),
  checks: z.array(OutcomeCheckSchema),
});
export type Outcome = z.infer<typeof OutcomeSchema>;

/** How the run ended. */
export const TerminationSchema = z.object({
  reason: z.enum(["completed", "max_steps", "timeout", "error"]),
  message: z.string().nullable(),
});
export type Termination = z.infer<typeof TerminationSchema>;

/** How a conversation with a scenario's simulated user went. */
export const ConversationSchema = z
  .object({
    userTurns: z.number().int().nonnegative().describe("Replies the simulated user gave after the task"),
    endedBy: z
      .enum(["no_question", "nothing_to_say", "max_turns", "no_answer", "user_stop", "agent_stop"])
      .nullable()
      .describe(
        "Why the conversation ended: the agent's message asked nothing (no_question); it asked about nothing the user knows (nothing_to_say); the user's turn limit was reached (max_turns); the agent stopped without a text message (no_answer); in an imported log, the simulated user ended it (user_stop) or the agent did, e.g. with a tool that ends the conversation (agent_stop); null when the run ended otherwise (see termination)",
      ),
  })
  .describe("Present when the scenario has a simulated user");
export type Conversation = z.infer<typeof ConversationSchema>;

/** A tool the agent was given. */
export const ToolSpecSchema = z.object({
  name: z.string(),
  description: z.string().nullable().describe("Null when the source gave none"),
  effect: z.enum(["read", "write", "handoff", "unknown"]),
  effectSource: EffectSourceSchema,
  parameters: z.record(z.string(), z.unknown()).nullable().describe("JSON Schema of the arguments; null when the source gave none"),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

/** A tool call a plan calls for: the tool, its arguments, and in a team the agent that makes it. */
export const PlannedCallSchema = z.object({
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  agent: z.string().optional(),
});
export type PlannedCall = z.infer<typeof PlannedCallSchema>;

/**
 * The scenario's reference plan with concrete arguments (as executed against
 * the initial state), so graders and reviewers can compare without loading
 * the scenario.
 */
export const ReferencePlanSchema = z.object({
  calls: z.array(PlannedCallSchema),
  answer: z.string().nullable(),
  /** Facts the final answer must state (τ-bench's outputs, a scenario's answerIncludes), when the source lists them. */
  answerIncludes: z.array(z.string()).optional(),
});
export type ReferencePlan = z.infer<typeof ReferencePlanSchema>;

/**
 * Faults a fault-injecting policy put into the trajectory on purpose. Graders
 * never see this field: {@link stripGroundTruth} removes it before grading.
 */
export const GroundTruthSchema = z.object({
  faults: z.array(
    z.object({
      kind: z.string(),
      eventIds: z.array(z.string()),
      detail: z.string().optional(),
      /** The reference call a wrong tool or wrong arguments stood in for, or the call left out (missing_step). */
      expected: PlannedCallSchema.optional(),
    }),
  ),
});
export type GroundTruth = z.infer<typeof GroundTruthSchema>;

/**
 * A policy rule to check on every step of a trajectory: a rule id (built in,
 * such as `unconfirmed_write`, or defined in trajlab.config.ts), with options
 * when the rule takes some.
 */
export const RuleReferenceSchema = z.union([
  z.string().min(1),
  z.object({ rule: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }),
]);
export type RuleReference = z.infer<typeof RuleReferenceSchema>;

/** Where an imported trajectory came from: enough to find its record again and join labels made on it. */
export const ProvenanceSchema = z.object({
  format: z
    .string()
    .describe("Importer that read it: tau-bench, openai, otel (also for traces captured live by trajlab collect), langsmith"),
  file: z.string().describe("The file it was read from, as given on the command line"),
  index: z.number().int().nonnegative().describe("Position of the record in the file (array index or JSONL record), from 0"),
  line: z.number().int().positive().nullable().describe("1-based line of the record in a JSONL file; null in a JSON document"),
  originalId: z.string().nullable().describe("The record's own id (simulation id, trace id, run id), when it had one"),
  metadata: z.record(z.string(), z.unknown()).describe("The source's own fields about the record: task id, trial, reward, ..."),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** The environment's state before and after the run, with their diff. */
export const EnvironmentStateSchema = z.object({
  before: z.unknown(),
  after: z.unknown(),
  diff: z.array(StateChangeSchema),
});
export type EnvironmentState = z.infer<typeof EnvironmentStateSchema>;

/** Trajectory v2 as written; {@link TrajectorySchema} also reads v1. */
export const TrajectoryV2Schema = z
  .object({
    schemaVersion: z.literal(TRAJECTORY_SCHEMA_VERSION),
    id: z.string().min(1),
    runId: z.string().min(1),
    scenarioId: z.string().min(1),
    domain: z.string(),
    agent: z.string().describe("Agent builder id (e.g. react), or for imported logs the agent the source names"),
    model: z
      .string()
      .nullable()
      .describe("Model spec, e.g. policy:reference or openai:gpt-4o-mini; null when the source did not name the model"),
    trial: z.number().int().nonnegative(),
    seed: z.number().int().nullable(),
    startedAt: z.iso.datetime().nullable().describe("Null when not recorded"),
    endedAt: z.iso.datetime().nullable().describe("Null when not recorded"),
    durationMs: maybeMs.describe("Null when not recorded"),
    termination: TerminationSchema,
    usage: TokenUsageSchema.extend({
      llmCalls: z.number().int().nonnegative(),
      toolCalls: z.number().int().nonnegative(),
    }),
    task: z.string().nullable().describe("The user's request that started the run; null when the log holds no user message"),
    tools: z.array(ToolSpecSchema).nullable().describe("Tools the agent was given; null when the source did not list them"),
    provenance: ProvenanceSchema.nullable().describe("Where an imported trajectory came from; null for trajectories trajlab recorded"),
    events: z.array(TrajectoryEventSchema),
    finalAnswer: z.string().nullable(),
    conversation: ConversationSchema.optional(),
    environment: EnvironmentStateSchema.nullable().describe("Null when the environment's state was not recorded"),
    outcome: OutcomeSchema.nullable().describe("Null when no check of the goal was recorded"),
    reference: ReferencePlanSchema.nullable().describe("Null when there is no reference plan"),
    rules: z
      .array(RuleReferenceSchema)
      .optional()
      .describe(
        "Policy rules to check on every step (the rules grader), declared by the importer; a loaded scenario's own rules apply too",
      ),
    groundTruth: GroundTruthSchema.optional(),
  })
  .describe("trajlab trajectory v2");

/**
 * Reads a trajectory line: v2 as it is, v1 upgraded to v2 first (see
 * `upgrade.ts`), so every consumer works on one shape. Told apart by
 * `schemaVersion` rather than by a transform in front of every line
 * (`z.preprocess`): a line read through one is kept alive past its parse, so
 * that streaming 100,000 recorded lines moved about 30 kB a line into the old
 * generation of the heap (over 200 MB of garbage before a full collection),
 * where v2 lines parsed directly leave nothing behind.
 */
export const TrajectorySchema = z.discriminatedUnion("schemaVersion", [
  TrajectoryV2Schema,
  z
    .looseObject({ schemaVersion: z.literal(1) })
    .transform(upgradeTrajectory)
    .pipe(TrajectoryV2Schema),
]);
export type Trajectory = z.infer<typeof TrajectoryV2Schema>;

/**
 * A trajectory trajlab recorded itself: everything a log may lack is there
 * (the runner knows its model, times, state and outcome).
 */
export type RecordedTrajectory = Trajectory & {
  model: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  task: string;
  tools: ToolSpec[];
  environment: EnvironmentState;
  outcome: Outcome;
};

/** A trajectory as graders see it: ground truth removed. */
export type GradableTrajectory = Omit<Trajectory, "groundTruth">;

/** Removes injected-fault ground truth so graders cannot read it. */
export function stripGroundTruth(trajectory: Trajectory): GradableTrajectory {
  const { groundTruth: _hidden, ...rest } = trajectory;
  return rest;
}

/** The JSON Schema (draft 2020-12) of trajectory v2, as `trajlab schema` prints it. */
export function trajectoryJsonSchema(): Record<string, unknown> {
  return jsonSchemaOf("trajectory-v2", "trajlab trajectory v2", TrajectoryV2Schema);
}

/** Narrowing helpers for event kinds. */
export function isToolCall(event: TrajectoryEvent): event is ToolCallEvent {
  return event.kind === "tool_call";
}
export function isLlmCall(event: TrajectoryEvent): event is LlmCallEvent {
  return event.kind === "llm_call";
}
export function isHandoff(event: TrajectoryEvent): event is HandoffEvent {
  return event.kind === "handoff";
}
