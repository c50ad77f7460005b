import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { MemorySaver } from "@langchain/langgraph";
import { resolveModel, type AgentDefinition, type ResolvedModel } from "../../../agents/index.js";
import { ToolFailure, type Policy, type Scenario, type ToolDefinition } from "../../../scenarios/index.js";
import { TrajlabError, isTrajlabError } from "../../../errors/index.js";
import { driveTrial, finalAnswerOf, type DriveResult } from "../../runner/drive.js";
import { finishTrial, prepareTrial, type TrialSpec } from "../../runner/run-trial.js";
import type { GradableTrajectory, LlmCallEvent, RecordedTrajectory, ToolCallEvent, TrajectoryEvent } from "../../trajectory/schema.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { eventOrder } from "../../graders/grade.js";
import { rebuildState } from "../../graders/state-trace.js";
import { RecordedPrefixModel } from "./recorded-prefix-model.js";
import { replayId, type ReplayRecord } from "./replay-store.js";

/** What the skipped call's answer says, to a policy and to a language model alike. */
export const SKIPPED_RESULT = "skipped: this call was not made, so no result is available";

/** What a replay needs besides the trajectory and its scenario. */
export interface ReplayContext {
  /** Agent builders, to rebuild the agent the trajectory ran (by `trajectory.agent`). */
  readonly agents: readonly AgentDefinition[];
  /** Offline policies, for `policy:<id>` models. */
  readonly policies: readonly Policy[];
  /** Time limit of one replay (default 120 s). */
  readonly timeoutMs?: number;
}

/** Graphs that can be forked: compiled LangGraph graphs (createAgent keeps one in `.graph`). */
interface ForkableGraph {
  updateState(config: RunnableConfig, values: Record<string, unknown>, asNode?: string): Promise<RunnableConfig>;
  invoke(input: unknown, config?: RunnableConfig): Promise<unknown>;
}

/**
 * Replays a trajectory without one of its calls and says whether the call
 * could be skipped: the outcome still passes, the run completes, and the
 * agent does not simply make the same call again.
 *
 * Two ways, chosen by what the trajectory allows:
 * - `fork` (single-agent graphs with a model node and a tools node, e.g.
 *   `react`): a fresh graph with a checkpointer is given the conversation as
 *   it stood when the model requested the call (a checkpoint rebuilt from the
 *   recording), the call is answered with {@link SKIPPED_RESULT} as the tools
 *   node, and the graph continues from there with the same model. The
 *   environment lives outside LangGraph, so it is rebuilt at the fork point by
 *   applying the recorded calls before it to a fresh state (tools are
 *   deterministic). Works for any model, with no re-run of the prefix.
 * - `rerun` (other graphs, such as a supervisor team or plan-and-execute,
 *   and conversations with a simulated user): the trial runs again,
 *   conversation included, from the start, and the tool answers that one
 *   call (by its occurrence among identical calls) with the skipped result.
 *   Everything before the call happens again exactly: a policy model is a
 *   pure function of the conversation (same policy, same seed), and any
 *   other model is given its recorded replies up to the one that asked for
 *   the call ({@link RecordedPrefixModel}), then answers for itself.
 *   A rerun whose calls before the skip differ from the recording is
 *   refused rather than judged.
 */
export async function replayWithout(
  trajectory: GradableTrajectory,
  scenario: Scenario,
  eventId: string,
  context: ReplayContext,
): Promise<ReplayRecord> {
  const candidate = trajectory.events.find((event): event is ToolCallEvent => event.id === eventId && event.kind === "tool_call");
  if (!candidate) {
    throw new TrajlabError("REPLAY_TARGET", `trajectory ${trajectory.id} has no tool call ${eventId} to skip`, {
      hint: "replay targets are tool-call event ids such as e10",
    });
  }
  const agent = context.agents.find((candidateAgent) => candidateAgent.id === trajectory.agent);
  if (!agent) {
    throw new TrajlabError("REPLAY_AGENT", `trajectory ${trajectory.id} ran agent "${trajectory.agent}", which is not loaded`, {
      hint: `agents: ${context.agents.map((a) => a.id).join(", ")}; register it in trajlab.config.ts`,
    });
  }
  if (trajectory.model === null) {
    throw new TrajlabError("REPLAY_MODEL", `trajectory ${trajectory.id} does not say which model ran it, so it cannot be re-run`, {
      hint: "replay needs the model spec; trajectories imported without one cannot be replayed",
    });
  }
  const spec: TrialSpec = {
    runId: trajectory.runId,
    scenario,
    agent,
    model: trajectory.model,
    trial: trajectory.trial,
    seed: trajectory.seed ?? 0,
    timeoutMs: context.timeoutMs ?? 120_000,
    policies: context.policies,
  };
  const plan = forkPlan(trajectory, candidate);
  let replayed: { trajectory: RecordedTrajectory; strategy: "fork" | "rerun" } | null = null;
  if (plan) replayed = await forkReplay(trajectory, spec, candidate, plan);
  replayed ??= { trajectory: await rerunReplay(trajectory, spec, candidate), strategy: "rerun" };
  const id = replayId(trajectory.id, eventId);
  const { groundTruth: _ignored, ...rest } = replayed.trajectory;
  const replay: RecordedTrajectory = { ...rest, id };
  const verdict = judge(replay, candidate, replayed.strategy);
  return {
    replayId: id,
    trajectoryId: trajectory.id,
    eventId,
    strategy: replayed.strategy,
    verdict: verdict.skippable ? "skippable" : "needed",
    reason: verdict.reason,
    trajectory: replay,
  };
}

interface ForkPlan {
  /** The model call that requested the candidate (and maybe other calls alongside it). */
  readonly request: LlmCallEvent;
  /** Calls requested together with the candidate, the candidate included. */
  readonly siblings: ToolCallEvent[];
  readonly modelNode: string;
  readonly toolsNode: string;
}

/** The fork is possible when one agent alternates a model node and a tools node, over one user message. */
function forkPlan(trajectory: GradableTrajectory, candidate: ToolCallEvent): ForkPlan | null {
  const events = trajectory.events;
  if (events.some((event) => event.kind === "handoff")) return null;
  if (events.filter((event) => event.kind === "message" && event.role === "user").length > 1) return null;
  const llmCalls = events.filter((event): event is LlmCallEvent => event.kind === "llm_call");
  const modelNodes = new Set(llmCalls.map((call) => call.node));
  const toolNodes = new Set(events.filter((event): event is ToolCallEvent => event.kind === "tool_call").map((call) => call.node));
  if (modelNodes.size !== 1 || toolNodes.size !== 1 || candidate.toolCallId === null) return null;
  const modelNode = [...modelNodes][0];
  const toolsNode = [...toolNodes][0];
  if (!modelNode || !toolsNode) return null;
  const request = llmCalls.find((call) => call.output.toolCalls.some((requested) => requested.id === candidate.toolCallId));
  if (!request) return null;
  const ids = new Set(request.output.toolCalls.map((requested) => requested.id));
  const siblings = events.filter(
    (event): event is ToolCallEvent => event.kind === "tool_call" && event.toolCallId !== null && ids.has(event.toolCallId),
  );
  if (siblings.length !== ids.size) return null;
  return { request, siblings, modelNode, toolsNode };
}

async function forkReplay(
  trajectory: GradableTrajectory,
  spec: TrialSpec,
  candidate: ToolCallEvent,
  plan: ForkPlan,
): Promise<{ trajectory: RecordedTrajectory; strategy: "fork" } | null> {
  const session = await prepareTrial(spec, { checkpointer: new MemorySaver() });
  const graph = forkable(session.graph);
  if (!graph) return null;
  const order = new Map(trajectory.events.map((event, index) => [event.id, index]));
  const requestIndex = order.get(plan.request.id)!;
  const siblingIds = new Set(plan.siblings.map((call) => call.id));
  // The environment as the tools left it when the model asked for the call,
  // plus the calls answered alongside the skipped one.
  const mismatches = rebuildState(
    trajectory,
    spec.scenario,
    session.state,
    (call) => (order.get(call.id)! < requestIndex || siblingIds.has(call.id)) && call.id !== candidate.id,
  );
  if (mismatches.length > 0) {
    throw new TrajlabError(
      "REPLAY_STATE",
      `cannot rebuild the environment of ${trajectory.id} before ${candidate.id}: ${mismatches.map((call) => call.id).join(", ")} gave other results when applied again`,
      {
        hint: "tools must be deterministic: the same arguments over the same state give the same result",
      },
    );
  }
  const prefix = [
    ...plan.request.inputEventIds.map((id) => messageOf(trajectory.events[order.get(id)!]!)).filter((m): m is BaseMessage => m !== null),
    aiMessageOf(plan.request),
  ];
  const base: RunnableConfig = { configurable: { thread_id: `replay:${trajectory.id}:${candidate.id}` } };
  const checkpoint = await graph.updateState(base, { messages: prefix }, plan.modelNode);
  const answers = plan.siblings.map((call) => (call.id === candidate.id ? skippedMessage(call) : toolMessageOf(call)));
  const fork = await graph.updateState(checkpoint, { messages: answers }, plan.toolsNode);
  const config: RunnableConfig = { ...session.config, configurable: { ...session.config.configurable, ...fork.configurable } };
  let drive: DriveResult;
  try {
    drive = { ok: true, finalAnswer: finalAnswerOf(await graph.invoke(null, config)) };
  } catch (error) {
    drive = { ok: false, error };
  }
  return { trajectory: finishTrial(session, drive), strategy: "fork" };
}

async function rerunReplay(trajectory: GradableTrajectory, spec: TrialSpec, candidate: ToolCallEvent): Promise<RecordedTrajectory> {
  const key = canonicalJson(candidate.args);
  const occurrence = trajectory.events.filter(
    (event): event is ToolCallEvent =>
      event.kind === "tool_call" &&
      event.name === candidate.name &&
      canonicalJson(event.args) === key &&
      eventOrder(event.id) <= eventOrder(candidate.id),
  ).length;
  // Intercept only while the agent runs: preparing the trial (policy scripts)
  // and scoring it (reference plan) call the same tools on other states.
  const interception = { armed: false, seen: 0 };
  const tools = spec.scenario.environment.tools.map((tool): ToolDefinition =>
    tool.name !== candidate.name
      ? tool
      : {
          ...tool,
          run(args: unknown, state: unknown) {
            if (interception.armed && canonicalJson(args) === key) {
              interception.seen += 1;
              if (interception.seen === occurrence) throw new ToolFailure(SKIPPED_RESULT);
            }
            return tool.run(args, state);
          },
        },
  );
  const scenario: Scenario = { ...spec.scenario, environment: { ...spec.scenario.environment, tools } };
  const resolved = spec.model.startsWith("policy:") ? undefined : await recordedPrefix(trajectory, spec, candidate);
  const session = await prepareTrial({ ...spec, scenario }, { resolved });
  interception.armed = true;
  const drive = await driveTrial(session);
  interception.armed = false;
  // A recorded reply refused (the path diverged) says more than the calls compared afterwards would.
  if (!drive.ok && isTrajlabError(drive.error, "REPLAY_DIVERGED")) throw drive.error;
  const replay = finishTrial(session, drive);
  assertSamePrefix(trajectory, replay, candidate);
  return replay;
}

/** The trial's model behind the recorded replies up to (and including) the one that requested `candidate`. */
async function recordedPrefix(trajectory: GradableTrajectory, spec: TrialSpec, candidate: ToolCallEvent): Promise<ResolvedModel> {
  const llmCalls = trajectory.events.filter((event): event is LlmCallEvent => event.kind === "llm_call");
  const requestIndex = llmCalls.findIndex(
    (call) => candidate.toolCallId !== null && call.output.toolCalls.some((requested) => requested.id === candidate.toolCallId),
  );
  if (requestIndex < 0) {
    throw new TrajlabError("REPLAY_UNSUPPORTED", `cannot replay ${candidate.id} of ${trajectory.id}: no recorded model call requested it`, {
      hint: "only calls a model asked for can be replayed without; this trajectory's recording may be incomplete",
    });
  }
  const prefix = llmCalls.slice(0, requestIndex + 1);
  const failed = prefix.find((call) => call.error !== null);
  if (failed) {
    throw new TrajlabError(
      "REPLAY_UNSUPPORTED",
      `cannot replay ${candidate.id} of ${trajectory.id}: model call ${failed.id} before it failed (${failed.error})`,
      {
        hint: "a recorded model error cannot be given back as a reply; replay calls after it only",
      },
    );
  }
  const resolved = await resolveModel(spec.model, { scenario: spec.scenario, seed: spec.seed, policies: spec.policies });
  const toolCalls = trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
  return { ...resolved, chatModel: RecordedPrefixModel.over(resolved.chatModel, prefix, toolCalls) };
}

/** Refuses a rerun that did not repeat the recording up to the skipped call: its verdict would be about another run. */
function assertSamePrefix(original: GradableTrajectory, replay: RecordedTrajectory, candidate: ToolCallEvent): void {
  const signature = (call: ToolCallEvent): string => `${call.agent} ${call.name}(${canonicalJson(call.args)})`;
  const before = original.events
    .filter((event): event is ToolCallEvent => event.kind === "tool_call" && eventOrder(event.id) < eventOrder(candidate.id))
    .map(signature);
  const calls = replay.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
  const skippedAt = skippedCallIndex(calls);
  const replayed = (skippedAt < 0 ? calls : calls.slice(0, skippedAt)).map(signature);
  const differs = skippedAt < 0 || replayed.length !== before.length || replayed.some((call, index) => call !== before[index]);
  if (!differs) return;
  const at = replayed.findIndex((call, index) => call !== before[index]);
  const detail =
    skippedAt < 0
      ? `it never reached ${signature(candidate)}`
      : at >= 0
        ? `call ${at + 1} was ${replayed[at]} instead of ${before[at]}`
        : `it made ${replayed.length} call(s) before the skip instead of ${before.length}`;
  throw new TrajlabError(
    "REPLAY_DIVERGED",
    `the replay of ${original.id} without ${candidate.id} did not repeat the recorded run up to it: ${detail}`,
    {
      hint: "tools and simulated users must be deterministic, and the agent must be built as it was when the run was recorded",
    },
  );
}

function judge(replay: RecordedTrajectory, candidate: ToolCallEvent, strategy: "fork" | "rerun"): { skippable: boolean; reason: string } {
  const key = canonicalJson(candidate.args);
  const calls = replay.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
  // A rerun holds the skipped call itself (answered "skipped"); only what follows it counts.
  const skippedAt = skippedCallIndex(calls);
  const remade = calls
    .slice(skippedAt + 1)
    .find((call) => call.name === candidate.name && call.agent === candidate.agent && canonicalJson(call.args) === key);
  const how = strategy === "fork" ? "forked just before it" : "re-ran with it skipped";
  if (replay.termination.reason !== "completed")
    return { skippable: false, reason: `${how}; the run then ended by ${replay.termination.reason}` };
  const failed = replay.outcome.checks.filter((check) => !check.pass);
  if (failed.length > 0)
    return {
      skippable: false,
      reason: `${how}; the outcome then fails: ${failed.map((check) => `${check.name}: ${check.message}`).join("; ")}`,
    };
  if (remade) return { skippable: false, reason: `${how}; the agent made the same call again (${remade.id} of the replay)` };
  const after = calls.length - (skippedAt + 1);
  return {
    skippable: true,
    reason: `${how}; the outcome still passes (${replay.outcome.checks.length} check(s)) with ${after} tool call(s) after the skip`,
  };
}

/** Where a rerun answered the call with the skipped result (-1 when it never got there). */
function skippedCallIndex(calls: readonly ToolCallEvent[]): number {
  return calls.findIndex((call) => call.status === "error" && call.resultText.includes(SKIPPED_RESULT));
}

function forkable(graph: unknown): ForkableGraph | null {
  const inner = (graph as { graph?: unknown }).graph ?? graph;
  const candidate = inner as Partial<ForkableGraph>;
  return typeof candidate.updateState === "function" && typeof candidate.invoke === "function" ? (candidate as ForkableGraph) : null;
}

/** The message a recorded event put into the conversation (system prompts are the agent's own and stay out). */
function messageOf(event: TrajectoryEvent): BaseMessage | null {
  switch (event.kind) {
    case "message":
      if (event.role === "user") return new HumanMessage({ id: `replay-${event.id}`, content: event.content });
      if (event.role === "assistant") return new AIMessage({ id: `replay-${event.id}`, content: event.content });
      if (event.role === "tool" && event.toolCallId)
        return new ToolMessage({ id: `replay-${event.id}`, content: event.content, tool_call_id: event.toolCallId, name: event.name });
      return null;
    case "llm_call":
      return aiMessageOf(event);
    case "tool_call":
      return toolMessageOf(event);
    default:
      return null;
  }
}

function aiMessageOf(event: LlmCallEvent): AIMessage {
  return new AIMessage({
    id: `replay-${event.id}`,
    content: event.output.content,
    tool_calls: event.output.toolCalls.map((call) => ({ id: call.id, name: call.name, args: call.args, type: "tool_call" as const })),
  });
}

function toolMessageOf(event: ToolCallEvent): ToolMessage {
  return new ToolMessage({
    id: `replay-${event.id}`,
    content: event.resultText,
    tool_call_id: event.toolCallId ?? event.id,
    name: event.name,
    status: event.status === "error" ? "error" : "success",
  });
}

function skippedMessage(event: ToolCallEvent): ToolMessage {
  return new ToolMessage({
    id: `replay-skip-${event.id}`,
    content: SKIPPED_RESULT,
    tool_call_id: event.toolCallId ?? event.id,
    name: event.name,
    status: "error",
  });
}
