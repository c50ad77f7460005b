import { createHash } from "node:crypto";
import * as z from "zod";
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
import type { StructuredToolInterface } from "@langchain/core/tools";
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
import { TrajlabError, describeThrown, describeValue } from "../../errors/index.js";
import { untilAborted } from "../util/promise.js";

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

/** A trial set up to run, before its agent is built: state, model, recorder and run config. */
export interface TrialSetup {
  readonly spec: TrialSpec;
  readonly startedAt: Date;
  /** The environment state the tools mutate (a fresh deep copy). */
  readonly state: unknown;
  /** A snapshot of `state` before the agent acted. */
  readonly before: unknown;
  readonly resolved: ResolvedModel;
  readonly recorder: TrajectoryRecorder;
  /** Run config for `graph.invoke`: callbacks, limits, abort signal, thread id. */
  readonly config: RunnableConfig;
  /** The scenario's tools bound to `state`, as the agent builder receives them. */
  readonly tools: StructuredToolInterface[];
}

/** A trial being run: everything between building the agent and writing the trajectory. */
export interface TrialSession extends TrialSetup {
  readonly graph: AgentGraph;
}

/** Options for {@link prepareTrial}. */
export interface PrepareOptions {
  /** Give the graph a checkpointer (needed to fork it later, e.g. for counterfactual replay). */
  readonly checkpointer?: BaseCheckpointSaver;
  /** Use this model instead of resolving `spec.model` (e.g. a scripted replacement). */
  readonly resolved?: ResolvedModel;
  /**
   * Ends the trial when it aborts: the agent's run config carries it, and
   * building the agent or driving it stops waiting then. Default: a timeout
   * of `spec.timeoutMs`.
   */
  readonly signal?: AbortSignal;
}

/**
 * Sets up one trial: a fresh copy of the scenario's state, its tools bound
 * to that copy, the model, the agent graph and a {@link TrajectoryRecorder}.
 */
export async function prepareTrial(spec: TrialSpec, options: PrepareOptions = {}): Promise<TrialSession> {
  const setup = await setUpTrial(spec, options);
  return { ...setup, graph: await buildAgentGraph(setup, options.checkpointer) };
}

/** Everything of {@link prepareTrial} but building the agent. */
async function setUpTrial(spec: TrialSpec, options: PrepareOptions): Promise<TrialSetup> {
  const { scenario, agent } = spec;
  const startedAt = new Date();
  const signal = options.signal ?? AbortSignal.timeout(spec.timeoutMs);
  const state = initialStateOf(scenario);
  const before = structuredClone(state);
  const resolved =
    options.resolved ?? (await untilAborted(resolveModel(spec.model, { scenario, seed: spec.seed, policies: spec.policies }), signal));
  const tools = toLangChainTools(scenario.environment.tools, state);
  const toolEffects = Object.fromEntries(scenario.environment.tools.map((tool) => [tool.name, tool.effect]));
  const recorder = new TrajectoryRecorder({ rootAgent: agent.rootAgent, toolEffects });
  const config: RunnableConfig = {
    callbacks: [recorder],
    recursionLimit: spec.maxSteps ?? scenario.maxSteps,
    signal,
    configurable: { thread_id: `${spec.runId}:${scenario.id}:${agent.id}:${spec.model}:${spec.trial}` },
  };
  return { spec, startedAt, state, before, resolved, recorder, config, tools };
}

/**
 * Calls the agent's builder, waiting no longer than the trial's signal
 * allows (its abort reason is thrown then). A builder that throws, or returns
 * something that cannot be invoked, is the user's code at fault: the error
 * names the agent, where it is defined, and the scenario.
 */
async function buildAgentGraph(setup: TrialSetup, checkpointer?: BaseCheckpointSaver): Promise<AgentGraph> {
  const { agent, scenario } = setup.spec;
  const signal = setup.config.signal;
  const where = agent.source ? `agent "${agent.id}" (${agent.source})` : `built-in agent "${agent.id}"`;
  const fix = agent.source
    ? `fix the build function of agent "${agent.id}" in ${agent.source}; it is called once per trial with { model, tools, scenario }`
    : "this is a bug in trajlab's built-in agent; please report it with the scenario";
  let graph: unknown;
  try {
    graph = await untilAborted(
      Promise.resolve().then(() => agent.build({ model: setup.resolved.chatModel, tools: setup.tools, scenario, checkpointer })),
      signal,
    );
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw error;
    throw new TrajlabError(
      "AGENT_BUILD_FAILED",
      `${where} threw while building its graph for scenario ${scenario.id}: ${describeThrown(error)}`,
      {
        hint: fix,
        cause: error,
      },
    );
  }
  if (typeof (graph as Partial<AgentGraph> | null)?.invoke !== "function") {
    throw new TrajlabError(
      "AGENT_NOT_A_GRAPH",
      `${where} returned ${describeValue(graph)} from build for scenario ${scenario.id}, which is not a graph (it has no invoke method)`,
      {
        hint: `${fix}; build returns a compiled LangGraph graph (createAgent(...), or new StateGraph(...).compile()) or anything with invoke({ messages }, config)`,
      },
    );
  }
  return graph as AgentGraph;
}

/**
 * Builds the trajectory of a finished session: events, termination, final
 * answer, state before/after with the diff, the outcome, and (for policies
 * that inject faults) the ground truth. Validated against the trajectory schema.
 */
export function finishTrial(session: TrialSetup, drive: DriveResult): RecordedTrajectory {
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
  const outcome = evaluateOutcome(scenario, { finalState: after, finalAnswer, initialState: session.before });
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

/** Options for {@link runTrial}. */
export interface RunTrialOptions {
  /**
   * Stops the trial early (the run is stopping): it then rejects with the
   * signal's reason instead of giving a trajectory of a cut-short trial.
   */
  readonly signal?: AbortSignal;
}

/**
 * Runs one trial: prepare, drive the agent, build the trajectory. Failures
 * of the agent (step limit, errors) end up in the trajectory, and so does
 * running out of time, whether the agent or its builder never finished
 * (`timeout`). Setup errors (a model spec that cannot load, a builder that
 * throws or returns no graph) are thrown.
 */
export async function runTrial(spec: TrialSpec, options: RunTrialOptions = {}): Promise<RecordedTrajectory> {
  const deadline = trialDeadline(spec.timeoutMs, options.signal);
  try {
    const setup = await setUpTrial(spec, { signal: deadline.signal });
    let drive: DriveResult;
    try {
      drive = await driveTrial({ ...setup, graph: await buildAgentGraph(setup) });
    } catch (error) {
      if (!deadline.timedOut()) throw error;
      drive = {
        ok: false,
        error: new DOMException(
          `stopped after ${spec.timeoutMs} ms: agent "${spec.agent.id}" had not finished building its graph`,
          "TimeoutError",
        ),
      };
    }
    if (options.signal?.aborted) throw options.signal.reason;
    return finishTrial(setup, drive);
  } finally {
    deadline.clear();
  }
}

/**
 * A trial's time limit as an abort signal, also aborted when `outer` is.
 * Its timer keeps the process alive (unlike `AbortSignal.timeout`'s), so a
 * trial whose agent never settles still ends when its time is up.
 */
function trialDeadline(ms: number, outer?: AbortSignal): { signal: AbortSignal; timedOut(): boolean; clear(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`stopped after ${ms} ms`, "TimeoutError"));
  }, ms);
  const onOuterAbort = (): void => controller.abort(outer!.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut && !outer?.aborted,
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    },
  };
}

function classify(error: unknown, spec: TrialSpec): Termination {
  const name = error instanceof Error ? error.name : "";
  const code = errorCode(error);
  if (name === "GraphRecursionError" || code === "GRAPH_RECURSION_LIMIT") {
    return { reason: "max_steps", message: `stopped after ${spec.maxSteps ?? spec.scenario.maxSteps} graph steps without a final answer` };
  }
  if (name === "TimeoutError" || name === "AbortError" || (error instanceof Error && /abort/i.test(error.message) && name !== "Error")) {
    const own = name === "TimeoutError" && error instanceof Error && error.message.startsWith("stopped after ");
    return { reason: "timeout", message: own ? error.message : `stopped after ${spec.timeoutMs} ms` };
  }
  return { reason: "error", message: describeThrown(error) };
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
