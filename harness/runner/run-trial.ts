import { createHash } from "node:crypto";
import { z } from "zod";
import {
  evaluateOutcome,
  diffStates,
  initialStateOf,
  isHandoffStep,
  referenceExecution,
  routeScript,
  teamOf,
  toLangChainTools,
  type Policy,
  type Scenario,
} from "../../scenarios/index.js";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { resolveModel, type AgentDefinition, type AgentGraph, type ResolvedModel } from "../../agents/index.js";
import { TrajectoryRecorder } from "../recorder/recorder.js";
import {
  TRAJECTORY_SCHEMA_VERSION,
  TrajectorySchema,
  type RecordedTrajectory,
  type ReferencePlan,
  type Termination,
  type ToolSpec,
} from "../trajectory/schema.js";
import { usageTotals } from "../trajectory/usage.js";
import { driveTrial, type DriveResult } from "./drive.js";
import { groundTruthOf } from "./ground-truth.js";
import { describeIssues } from "../store/jsonl.js";
import { TrajlabError } from "../../errors/index.js";

/** One agent attempt at one scenario. */
export interface TrialSpec {
  readonly runId: string;
  readonly scenario: Scenario;
  readonly agent: AgentDefinition;
  /** Model spec: `policy:<id>` or `<provider>:<model>`. */
  readonly model: string;
  readonly trial: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** Overrides the scenario's superstep budget. */
  readonly maxSteps?: number;
  readonly policies: readonly Policy[];
}

/** Deterministic trajectory id from what identifies a trial. */
export function trajectoryId(
  spec: Pick<TrialSpec, "runId" | "model" | "trial" | "seed"> & { scenarioId: string; agentId: string },
): string {
  const digest = createHash("sha256")
    .update([spec.runId, spec.scenarioId, spec.agentId, spec.model, spec.trial, spec.seed].join("\u0000"))
    .digest("hex");
  return `tr-${digest.slice(0, 12)}`;
}

/** A trial being run: everything between building the agent and writing the trajectory. */
export interface TrialSession {
  readonly spec: TrialSpec;
  readonly startedAt: Date;
  /** The environment state the tools mutate (a fresh deep copy). */
  readonly state: unknown;
  /** A snapshot of `state` before the agent acted. */
  readonly before: unknown;
  readonly resolved: ResolvedModel;
  readonly graph: AgentGraph;
  readonly recorder: TrajectoryRecorder;
  /** Run config for `graph.invoke`: callbacks, limits, abort signal, thread id. */
  readonly config: RunnableConfig;
}

/** Options for {@link prepareTrial}. */
export interface PrepareOptions {
  /** Give the graph a checkpointer (needed to fork it later, e.g. for counterfactual replay). */
  readonly checkpointer?: BaseCheckpointSaver;
  /** Use this model instead of resolving `spec.model` (e.g. a scripted replacement). */
  readonly resolved?: ResolvedModel;
}

/**
 * Sets up one trial: a fresh copy of the scenario's state, its tools bound
 * to that copy, the model, the agent graph and a {@link TrajectoryRecorder}.
 */
export async function prepareTrial(spec: TrialSpec, options: PrepareOptions = {}): Promise<TrialSession> {
  const { scenario, agent } = spec;
  const startedAt = new Date();
  const state = initialStateOf(scenario);
  const before = structuredClone(state);
  const resolved = options.resolved ?? (await resolveModel(spec.model, { scenario, seed: spec.seed, policies: spec.policies }));
  const tools = toLangChainTools(scenario.environment.tools, state);
  const toolEffects = Object.fromEntries(scenario.environment.tools.map((tool) => [tool.name, tool.effect]));
  const recorder = new TrajectoryRecorder({ rootAgent: agent.rootAgent, toolEffects });
  const graph = await agent.build({ model: resolved.chatModel, tools, scenario, checkpointer: options.checkpointer });
  const config: RunnableConfig = {
    callbacks: [recorder],
    recursionLimit: spec.maxSteps ?? scenario.maxSteps,
    signal: AbortSignal.timeout(spec.timeoutMs),
    configurable: { thread_id: `${spec.runId}:${scenario.id}:${agent.id}:${spec.model}:${spec.trial}` },
  };
  return { spec, startedAt, state, before, resolved, graph, recorder, config };
}

/**
 * Builds the trajectory of a finished session: events, termination, final
 * answer, state before/after with the diff, the outcome, and (for policies
 * that inject faults) the ground truth. Validated against the trajectory schema.
 */
export function finishTrial(session: TrialSession, drive: DriveResult): RecordedTrajectory {
  const { spec, recorder } = session;
  const { scenario, agent } = spec;
  let termination: Termination = { reason: "completed", message: null };
  let finalAnswer: string | null = null;
  if (drive.ok) {
    finalAnswer = drive.finalAnswer;
  } else {
    termination = classify(drive.error, spec);
    recorder.recordError(drive.error, termination.reason === "error" ? errorCode(drive.error) : termination.reason);
  }
  const after = structuredClone(session.state);
  const events = recorder.events();
  const durationMs = recorder.elapsed();
  const outcome = evaluateOutcome(scenario, { finalState: after, finalAnswer });
  const trajectory: RecordedTrajectory = {
    schemaVersion: TRAJECTORY_SCHEMA_VERSION,
    id: trajectoryId({ ...spec, scenarioId: scenario.id, agentId: agent.id }),
    runId: spec.runId,
    scenarioId: scenario.id,
    domain: scenario.domain,
    agent: agent.id,
    model: spec.model,
    trial: spec.trial,
    seed: spec.seed,
    startedAt: session.startedAt.toISOString(),
    endedAt: new Date(session.startedAt.getTime() + durationMs).toISOString(),
    durationMs,
    termination,
    usage: usageTotals(events),
    task: scenario.task,
    tools: toolSpecs(scenario, agent),
    events,
    finalAnswer,
    ...(drive.conversation ? { conversation: drive.conversation } : {}),
    environment: { before: session.before, after, diff: diffStates(session.before, after) },
    outcome,
    reference: referencePlanOf(scenario),
    provenance: null,
    ...(session.resolved.script ? { groundTruth: groundTruthOf(session.resolved.script, events, termination) } : {}),
  };
  const checked = TrajectorySchema.safeParse(trajectory);
  if (!checked.success) {
    throw new TrajlabError(
      "INVALID_TRAJECTORY",
      `trajectory of ${scenario.id} (trial ${spec.trial}) does not match the trajectory schema: ${describeIssues(checked.error)}`,
      { hint: "tool results must be JSON-serialisable; this is a bug if the scenario's tools return plain data" },
    );
  }
  // Parsing keeps nothing the schema does not know and changes no field the runner set.
  return checked.data as RecordedTrajectory;
}

/**
 * Runs one trial: prepare, drive the agent, build the trajectory. Failures
 * of the agent (step limit, timeout, errors) end up in the trajectory; only
 * setup errors (a model spec that cannot load) are thrown.
 */
export async function runTrial(spec: TrialSpec): Promise<RecordedTrajectory> {
  const session = await prepareTrial(spec);
  return finishTrial(session, await driveTrial(session));
}

function classify(error: unknown, spec: TrialSpec): Termination {
  const name = error instanceof Error ? error.name : "";
  const code = errorCode(error);
  if (name === "GraphRecursionError" || code === "GRAPH_RECURSION_LIMIT") {
    return { reason: "max_steps", message: `stopped after ${spec.maxSteps ?? spec.scenario.maxSteps} graph steps without a final answer` };
  }
  if (name === "TimeoutError" || name === "AbortError" || (error instanceof Error && /abort/i.test(error.message) && name !== "Error")) {
    return { reason: "timeout", message: `stopped after ${spec.timeoutMs} ms` };
  }
  return { reason: "error", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

function errorCode(error: unknown): string | null {
  const code = (error as { lc_error_code?: unknown; code?: unknown } | null)?.lc_error_code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

const referencePlanCache = new WeakMap<Scenario, ReferencePlan | null>();

/**
 * The reference plan with the arguments it resolved to, or null if it cannot
 * run. In multi-agent scenarios each call names the agent that makes it.
 * Computed once per scenario: every trial of it carries the same plan.
 */
function referencePlanOf(scenario: Scenario): ReferencePlan | null {
  if (!referencePlanCache.has(scenario)) referencePlanCache.set(scenario, computeReferencePlan(scenario));
  return referencePlanCache.get(scenario)!;
}

function computeReferencePlan(scenario: Scenario): ReferencePlan | null {
  const execution = referenceExecution(scenario);
  if (execution.failure) return null;
  const agents: (string | undefined)[] = [];
  if (scenario.team) {
    const routed = routeScript(
      { policy: "reference", steps: [...scenario.reference.calls], answer: scenario.reference.answer },
      teamOf(scenario),
    );
    for (const step of routed.steps) if (step.tool !== undefined && !isHandoffStep(scenario, step.tool)) agents.push(step.agent);
  }
  return {
    calls: execution.results.map((step, index) => ({
      name: step.tool,
      args: step.args,
      ...(agents[index] ? { agent: agents[index] } : {}),
    })),
    answer: execution.answer,
  };
}

const toolSpecCache = new WeakMap<Scenario, Map<string, ToolSpec[]>>();

/** The environment's tools, then the handoff tools the agent builder adds. */
function toolSpecs(scenario: Scenario, agent: AgentDefinition): ToolSpec[] {
  let byAgent = toolSpecCache.get(scenario);
  if (!byAgent) toolSpecCache.set(scenario, (byAgent = new Map()));
  let specs = byAgent.get(agent.id);
  if (!specs) {
    specs = scenario.environment.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      effect: tool.effect,
      effectSource: "source",
      parameters: z.toJSONSchema(tool.args) as Record<string, unknown>,
    }));
    for (const handoff of agent.handoffTools?.(scenario) ?? []) {
      if (specs.some((spec) => spec.name === handoff.name)) continue;
      specs.push({
        name: handoff.name,
        description: handoff.description,
        effect: "handoff",
        effectSource: "source",
        parameters: { type: "object", properties: {} },
      });
    }
    byAgent.set(agent.id, specs);
  }
  return specs;
}
