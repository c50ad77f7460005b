import * as z from "zod";
import type { Conversation, Outcome, OutcomeCheck, ReferencePlan, Termination, TrajectoryEvent } from "../trajectory/schema.js";
import { ChatLog } from "./chat-log.js";
import { CHAT_MESSAGE_HINT, readChatMessages } from "./chat-messages.js";
import { readTau2Messages, tau2ToolEffects } from "./tau2-messages.js";
import {
  COMPLETED,
  fromEvents,
  invalidInput,
  parseWith,
  pointerTo,
  type ConvertedRecord,
  type ImportContext,
  type ImportFormat,
  type ParsedFile,
  type SourceRecord,
} from "./format.js";

// ----- τ-bench historical trajectories ----------------------------------------------------------

const TauActionSchema = z.looseObject({ name: z.string().min(1), kwargs: z.record(z.string(), z.unknown()) });

/** τ-bench's `EnvRunResult`: `{ task_id, trial, reward, info, traj }`. */
const TauRunSchema = z.looseObject({
  task_id: z.union([z.number().int(), z.string()]),
  trial: z.number().int().nonnegative().nullish(),
  reward: z.number(),
  info: z.looseObject({
    task: z
      .looseObject({
        user_id: z.string().nullish(),
        actions: z.array(TauActionSchema).nullish(),
        instruction: z.string().nullish(),
        outputs: z.array(z.string()).nullish(),
      })
      .nullish(),
    source: z.string().nullish(),
    user_cost: z.number().nullish(),
    reward_info: z
      .looseObject({
        reward: z.number().nullish(),
        info: z.record(z.string(), z.unknown()).nullish(),
      })
      .nullish(),
    error: z.string().nullish(),
  }),
  traj: z.array(z.unknown()),
});

const TAU_HINT = `each τ-bench record is { task_id, trial, reward, info: { task, source, reward_info }, traj: [chat messages] }; ${CHAT_MESSAGE_HINT}`;

/** τ-bench marks a failed tool call by its result text. */
const TAU_ERROR_PREFIX = "Error:";

function convertTauRun(record: SourceRecord, { effects, options }: ImportContext): ConvertedRecord {
  const run = parseWith(TauRunSchema, record.value, "", TAU_HINT);
  const { info } = run;
  const log = new ChatLog({ rootAgent: options.agent ?? "assistant", effects });
  const model = options.model ?? null;
  readChatMessages(run.traj, "/traj", log, {
    model,
    toolError: (_message, content) => (content.startsWith(TAU_ERROR_PREFIX) ? content : null),
  });
  const events = log.events();
  const domain = options.domain ?? "tau-bench";
  const rewardInfo = info.reward_info ?? null;
  const termination: Termination = info.error
    ? { reason: "error", message: info.error }
    : rewardInfo === null && run.traj.length > 0
      ? { reason: "max_steps", message: "ended without τ-bench's done signal (no reward_info): the step limit was reached" }
      : COMPLETED;
  const actions = info.task?.actions ?? null;
  const outputs = info.task?.outputs ?? [];
  const reference: ReferencePlan | null = actions
    ? {
        calls: actions.map((action) => ({ name: action.name, args: action.kwargs })),
        answer: null,
        ...(outputs.length > 0 ? { answerIncludes: outputs } : {}),
      }
    : null;
  const { reward_info: _rewardInfo, task: _task, ...rest } = info;
  return {
    scenarioId: `${domain}.task-${run.task_id}`,
    domain,
    agent: log.agents()[0]!,
    model,
    trial: run.trial ?? 0,
    seed: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    termination,
    tools: null,
    ...fromEvents(events),
    // τ-bench's info.source is what ended the run: the user, or the agent's last action.
    conversation: conversationOf(
      events,
      termination.reason !== "completed" || !info.source ? null : info.source === "user" ? "user_stop" : "agent_stop",
    ),
    environment: null,
    outcome: tauOutcome(run.reward, rewardInfo?.info ?? null),
    reference,
    originalId: null,
    metadata: {
      task_id: run.task_id,
      trial: run.trial ?? null,
      reward: run.reward,
      ...rest,
      ...(info.task?.user_id ? { user_id: info.task.user_id } : {}),
      ...(info.task?.instruction ? { instruction: info.task.instruction } : {}),
      reward_info: rewardInfo ? { reward: rewardInfo.reward ?? null, info: rewardInfo.info ?? null } : null,
    },
  };
}

/** τ-bench's reward as the outcome: it passes at reward 1; r_actions and r_outputs become checks. */
function tauOutcome(reward: number, rewardInfo: Record<string, unknown> | null): Outcome {
  const pass = reward === 1;
  const checks: OutcomeCheck[] = [];
  if (rewardInfo && typeof rewardInfo.r_actions === "number") {
    const ok = rewardInfo.r_actions === 1;
    checks.push({
      name: "actions",
      pass: ok,
      message: `r_actions ${rewardInfo.r_actions}: the final database ${ok ? "matches" : "differs from"} the gold actions' result`,
    });
  }
  if (rewardInfo && typeof rewardInfo.r_outputs === "number") {
    const found = rewardInfo.outputs && typeof rewardInfo.outputs === "object" ? (rewardInfo.outputs as Record<string, unknown>) : {};
    const missing = Object.entries(found)
      .filter(([, present]) => present !== true)
      .map(([output]) => output);
    checks.push({
      name: "outputs",
      pass: rewardInfo.r_outputs === 1,
      message: `r_outputs ${rewardInfo.r_outputs}${missing.length > 0 ? `: the answers lack ${missing.map((m) => JSON.stringify(m)).join(", ")}` : ""}`,
    });
  }
  if (checks.length === 0)
    checks.push({ name: "reward", pass, message: `reward ${reward}${rewardInfo ? "" : "; τ-bench recorded no reward_info"}` });
  return { pass, score: Math.min(1, Math.max(0, reward)), checks };
}

/** A conversation with a simulated user: the replies it gave after its first message, and who ended it (null: cut short). */
function conversationOf(events: readonly TrajectoryEvent[], endedBy: Conversation["endedBy"]): Conversation {
  const userTurns = events.filter((event) => event.kind === "message" && event.role === "user").length;
  return { userTurns: Math.max(0, userTurns - 1), endedBy };
}

// ----- τ²-bench simulation results -------------------------------------------------------------

const Tau2ActionSchema = z.looseObject({
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).nullish(),
  requestor: z.string().nullish(),
});

const Tau2TaskSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  evaluation_criteria: z
    .looseObject({
      actions: z.array(Tau2ActionSchema).nullish(),
      communicate_info: z.array(z.string()).nullish(),
    })
    .nullish(),
});

const Tau2SimulationSchema = z.looseObject({
  id: z.string().nullish(),
  task_id: z.union([z.string(), z.number()]),
  start_time: z.string().nullish(),
  end_time: z.string().nullish(),
  duration: z.number().nullish(),
  termination_reason: z.string().nullish(),
  agent_cost: z.number().nullish(),
  user_cost: z.number().nullish(),
  reward_info: z
    .looseObject({
      reward: z.number(),
      db_check: z.looseObject({ db_match: z.boolean(), db_reward: z.number().nullish() }).nullish(),
      action_checks: z
        .array(z.looseObject({ action: Tau2ActionSchema, action_match: z.boolean(), tool_type: z.string().nullish() }))
        .nullish(),
      nl_assertions: z.array(z.looseObject({ nl_assertion: z.string(), met: z.boolean(), justification: z.string().nullish() })).nullish(),
      communicate_checks: z.array(z.looseObject({ info: z.string(), met: z.boolean(), justification: z.string().nullish() })).nullish(),
      env_assertions: z.array(z.looseObject({ met: z.boolean(), env_assertion: z.unknown() })).nullish(),
    })
    .nullish(),
  messages: z.array(z.unknown()),
  trial: z.number().int().nonnegative().nullish(),
  seed: z.number().int().nullish(),
});

/** What a τ² results file says about all its simulations: its tasks and run info. */
interface Tau2Context {
  readonly tasks: ReadonlyMap<string, z.infer<typeof Tau2TaskSchema>>;
  readonly model: string | null;
  readonly domain: string | null;
}

const TAU2_HINT =
  "each τ²-bench simulation is { id, task_id, trial, termination_reason, reward_info, messages: [...] }; a results file is { info, tasks, simulations: [...] }";

const TERMINATIONS: Record<string, Termination["reason"]> = {
  user_stop: "completed",
  agent_stop: "completed",
  max_steps: "max_steps",
  timeout: "timeout",
};

function convertTau2Simulation(record: SourceRecord, context: Tau2Context, { effects, options }: ImportContext): ConvertedRecord {
  const simulation = parseWith(Tau2SimulationSchema, record.value, "", TAU2_HINT);
  const taskId = String(simulation.task_id);
  const task = context.tasks.get(taskId);
  const model = options.model ?? context.model;
  const domain = options.domain ?? context.domain ?? "tau2-bench";
  const rewardInfo = simulation.reward_info ?? null;
  const log = new ChatLog({ rootAgent: options.agent ?? "assistant", effects: tau2ToolEffects(effects, rewardInfo?.action_checks ?? []) });
  const startedMs = timestampMs(simulation.start_time);
  readTau2Messages(simulation.messages, "/messages", log, { model, startedMs });
  const events = log.events();
  const reason = simulation.termination_reason ?? null;
  const termination: Termination = reason === null ? COMPLETED : { reason: TERMINATIONS[reason] ?? "error", message: reason };
  const actions = task?.evaluation_criteria?.actions ?? null;
  const communicate = task?.evaluation_criteria?.communicate_info ?? [];
  const { messages: _messages, reward_info: _reward, ...metadata } = record.value as Record<string, unknown>;
  return {
    scenarioId: `${domain}.task-${taskId}`,
    domain,
    agent: log.agents()[0]!,
    model,
    trial: simulation.trial ?? 0,
    seed: simulation.seed ?? null,
    startedAt: isoWithZone(simulation.start_time),
    endedAt: isoWithZone(simulation.end_time),
    durationMs: typeof simulation.duration === "number" ? simulation.duration * 1000 : null,
    termination,
    tools: null,
    ...fromEvents(events),
    conversation: conversationOf(events, reason === "user_stop" || reason === "agent_stop" ? reason : null),
    environment: null,
    outcome: rewardInfo ? tau2Outcome(rewardInfo) : null,
    reference: actions
      ? {
          calls: actions.map((action) => ({
            name: action.name,
            args: action.arguments ?? {},
            ...(action.requestor === "user" ? { agent: "user" } : {}),
          })),
          answer: null,
          ...(communicate.length > 0 ? { answerIncludes: communicate } : {}),
        }
      : null,
    originalId: simulation.id ?? null,
    metadata: { ...metadata, reward: rewardInfo?.reward ?? null },
  };
}

function tau2Outcome(info: NonNullable<z.infer<typeof Tau2SimulationSchema>["reward_info"]>): Outcome {
  const checks: OutcomeCheck[] = [];
  if (info.db_check)
    checks.push({
      name: "db",
      pass: info.db_check.db_match,
      message: `the final database ${info.db_check.db_match ? "matches" : "differs from"} the expected one`,
    });
  for (const check of info.action_checks ?? [])
    checks.push({
      name: `action ${check.action.name}`,
      pass: check.action_match,
      message: check.action_match ? "made as expected" : "not made as expected",
    });
  for (const check of info.env_assertions ?? [])
    checks.push({ name: "env_assertion", pass: check.met, message: JSON.stringify(check.env_assertion) ?? "" });
  for (const check of info.nl_assertions ?? [])
    checks.push({
      name: "nl_assertion",
      pass: check.met,
      message: `${check.nl_assertion}${check.justification ? `: ${check.justification}` : ""}`,
    });
  for (const check of info.communicate_checks ?? [])
    checks.push({ name: "communicate", pass: check.met, message: `${check.info}${check.justification ? `: ${check.justification}` : ""}` });
  if (checks.length === 0) checks.push({ name: "reward", pass: info.reward === 1, message: `reward ${info.reward}` });
  return { pass: info.reward === 1, score: Math.min(1, Math.max(0, info.reward)), checks };
}

/** Milliseconds of a timestamp, or null when it is missing or unreadable. */
export function timestampMs(text: string | null | undefined): number | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** An ISO timestamp that names its time zone, normalised; null for one that does not (it cannot be placed without guessing). */
function isoWithZone(text: string | null | undefined): string | null {
  if (!text || !/(Z|[+-]\d\d:?\d\d)$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

// ----- the format ------------------------------------------------------------------------------

/** What kind of τ record a value is. */
function kindOf(value: unknown): "tau" | "tau2" | null {
  if (typeof value !== "object" || value === null) return null;
  if ("traj" in value) return "tau";
  if ("messages" in value && "task_id" in value) return "tau2";
  return null;
}

interface TauRecord extends SourceRecord {
  readonly tau2?: Tau2Context;
}

const NO_CONTEXT: Tau2Context = { tasks: new Map(), model: null, domain: null };

/** The tasks and run info of a τ² results file. */
function tau2Context(results: Record<string, unknown>): Tau2Context {
  const tasks = new Map<string, z.infer<typeof Tau2TaskSchema>>();
  if (Array.isArray(results.tasks)) {
    results.tasks.forEach((raw, index) => {
      const task = parseWith(Tau2TaskSchema, raw, pointerTo("", "tasks", index), TAU2_HINT);
      tasks.set(String(task.id), task);
    });
  }
  const info = (results.info ?? {}) as { agent_info?: { llm?: unknown }; environment_info?: { domain_name?: unknown } };
  return {
    tasks,
    model: typeof info.agent_info?.llm === "string" ? info.agent_info.llm : null,
    domain: typeof info.environment_info?.domain_name === "string" ? info.environment_info.domain_name : null,
  };
}

/**
 * τ-bench historical trajectories (a JSON array of `{ task_id, trial,
 * reward, info, traj }`) and τ²-bench simulation results (a results file
 * `{ info, tasks, simulations }`, a list of simulations, one simulation, or
 * JSONL of either kind). Tool errors are τ-bench results starting with
 * `Error:` and τ² tool messages with `error: true`; the gold actions become
 * the reference plan; the reward and its breakdown become the outcome.
 */
export const tauBenchFormat: ImportFormat = {
  id: "tau-bench",
  records(file: ParsedFile): TauRecord[] {
    if (file.kind === "jsonl") return file.lines.map(({ line, value }, index) => ({ value, index, line, pointer: "" }));
    const { value } = file;
    if (Array.isArray(value)) return value.map((item, index) => ({ value: item, index, line: null, pointer: `/${index}` }));
    if (typeof value === "object" && value !== null && Array.isArray((value as { simulations?: unknown }).simulations)) {
      const results = value as Record<string, unknown> & { simulations: unknown[] };
      const tau2 = tau2Context(results);
      return results.simulations.map((item, index) => ({ value: item, index, line: null, pointer: `/simulations/${index}`, tau2 }));
    }
    if (kindOf(value) !== null) return [{ value, index: 0, line: null, pointer: "" }];
    return invalidInput(
      "",
      "not a τ-bench or τ²-bench file",
      `expected a JSON array of { task_id, trial, reward, info, traj }, or a τ²-bench results file { info, tasks, simulations }`,
    );
  },
  convert(record: TauRecord, context): ConvertedRecord {
    switch (kindOf(record.value)) {
      case "tau":
        return convertTauRun(record, context);
      case "tau2":
        return convertTau2Simulation(record, record.tau2 ?? NO_CONTEXT, context);
      default:
        return invalidInput("", "neither a τ-bench run (with traj) nor a τ²-bench simulation (with task_id and messages)", TAU_HINT);
    }
  },
};
