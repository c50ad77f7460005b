/**
 * Recorder overhead: the same trial run back to back three ways in one
 * process: bare (LangGraph, no callbacks), with a no-op awaited callback
 * handler (the baseline: what any recorder pays LangChain for callbacks), and
 * with a TrajectoryRecorder building the trajectory's events. Over scenarios
 * of every domain and every built-in agent (react and plan-execute on
 * single-agent scenarios, supervisor on teams), each round times each case
 * once per variant in a rotating order, and the ratios are taken per pair (the
 * recorder and the no-op on the same case in the same round), so drift in the
 * machine's load cancels out. Prints the median of the paired ratios overall
 * and per agent, and the mean time per trial of each variant.
 *
 * Also the recorder's own time alone, which the paired ratios cannot resolve
 * on a busy machine: the callbacks of one trial of each case are kept, and
 * in every round handed to fresh recorders (events() included) with no graph
 * around them, timed beside that round's no-op trial of the case; printed
 * per trial and as the median share of the no-op trial. That share leaves
 * out what the recorder costs LangGraph's own code (its caches, the
 * collector), which only the paired ratios see.
 *
 * Leaves out: building the graph and the model (done before timing, alike for
 * every variant) and grading; the policy model answers at once, so this is
 * the recorder's share of CPU, not of a trial's wall time with a real model.
 *
 *   npx tsx bench/recorder-overhead.ts [rounds]
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { HumanMessage } from "@langchain/core/messages";
import { builtinAgents, resolveModel, type AgentDefinition } from "../agents/index.js";
import { builtinPolicies, builtinScenarios, initialStateOf, toLangChainTools, type Scenario } from "../scenarios/index.js";
import { TrajectoryRecorder } from "../harness/index.js";

const rounds = Number(process.argv[2] ?? 40);

class NoopHandler extends BaseCallbackHandler {
  name = "noop";
  constructor() {
    super({ _awaitHandler: true });
  }
  override handleChainStart(): void {}
  override handleChainEnd(): void {}
  override handleChatModelStart(): void {}
  override handleLLMEnd(): void {}
  override handleToolStart(): void {}
  override handleToolEnd(): void {}
  // The recorder's error callbacks too, so that both receive the same calls.
  override handleChainError(): void {}
  override handleLLMError(): void {}
  override handleToolError(): void {}
}

type Variant = "bare" | "noop" | "recorder";
const VARIANTS: readonly Variant[] = ["bare", "noop", "recorder"];

interface Case {
  readonly scenario: Scenario;
  readonly agent: AgentDefinition;
}

/** Two scenarios of each domain on each agent that fits them: react and plan-execute alone, supervisor for teams. */
function cases(): Case[] {
  const byDomain = new Map<string, Scenario[]>();
  for (const scenario of builtinScenarios()) byDomain.set(scenario.domain, [...(byDomain.get(scenario.domain) ?? []), scenario]);
  const agent = (id: string) => builtinAgents.find((candidate) => candidate.id === id)!;
  const picked: Case[] = [];
  for (const scenarios of byDomain.values()) {
    for (const scenario of scenarios.filter((s) => !s.team && !s.user).slice(0, 2)) {
      picked.push({ scenario, agent: agent("react") }, { scenario, agent: agent("plan-execute") });
    }
    for (const scenario of scenarios.filter((s) => s.team && !s.user).slice(0, 2)) picked.push({ scenario, agent: agent("supervisor") });
  }
  return picked;
}

async function once({ scenario, agent }: Case, variant: Variant): Promise<number> {
  const resolved = await resolveModel("policy:reference", { scenario, seed: 0, policies: builtinPolicies });
  const graph = await agent.build({
    model: resolved.chatModel,
    tools: toLangChainTools(scenario.environment.tools, initialStateOf(scenario)),
    scenario,
  });
  const handler =
    variant === "bare"
      ? null
      : variant === "noop"
        ? new NoopHandler()
        : new TrajectoryRecorder({ rootAgent: agent.rootAgent, toolEffects: {} });
  const started = performance.now();
  await graph.invoke({ messages: [new HumanMessage(scenario.task)] }, { recursionLimit: 60, ...(handler ? { callbacks: [handler] } : {}) });
  if (handler instanceof TrajectoryRecorder) handler.events();
  return performance.now() - started;
}

type Callback = [name: RecorderCallback, args: unknown[]];
type RecorderCallback = (typeof CALLBACKS)[number];
const CALLBACKS = [
  "handleChainStart",
  "handleChainEnd",
  "handleChainError",
  "handleChatModelStart",
  "handleLLMEnd",
  "handleLLMError",
  "handleToolStart",
  "handleToolEnd",
  "handleToolError",
] as const;

/** The callbacks a recorder receives in one trial of a case, in order, with their arguments. */
async function callbacksOf({ scenario, agent }: Case): Promise<Callback[]> {
  const received: Callback[] = [];
  class Keeping extends TrajectoryRecorder {}
  for (const name of CALLBACKS) {
    Object.defineProperty(Keeping.prototype, name, {
      value(this: TrajectoryRecorder, ...args: unknown[]) {
        received.push([name, args]);
        return (TrajectoryRecorder.prototype[name] as (...a: unknown[]) => unknown).apply(this, args);
      },
    });
  }
  const resolved = await resolveModel("policy:reference", { scenario, seed: 0, policies: builtinPolicies });
  const graph = await agent.build({
    model: resolved.chatModel,
    tools: toLangChainTools(scenario.environment.tools, initialStateOf(scenario)),
    scenario,
  });
  const recorder = new Keeping({ rootAgent: agent.rootAgent, toolEffects: {} });
  await graph.invoke({ messages: [new HumanMessage(scenario.task)] }, { recursionLimit: 60, callbacks: [recorder] });
  return received;
}

/** Milliseconds a fresh recorder takes over the given callbacks and events(). */
function replay(rootAgent: string, callbacks: readonly Callback[]): number {
  const started = performance.now();
  const recorder = new TrajectoryRecorder({ rootAgent, toolEffects: {} });
  for (const [name, args] of callbacks) (recorder[name] as (...a: unknown[]) => unknown)(...args);
  recorder.events();
  return performance.now() - started;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const all = cases();
const totals: Record<Variant, number> = { bare: 0, noop: 0, recorder: 0 };
const ratios = {
  ownCost: [] as number[],
  total: [] as number[],
  byAgent: new Map<string, number[]>(),
  replayMs: [] as number[],
  replayShare: [] as number[],
};
const kept: Callback[][] = [];
for (const trial of all) kept.push(await callbacksOf(trial));
const callbackCount = kept.reduce((sum, callbacks) => sum + callbacks.length, 0);
const REPLAYS = 10;
const warmUp = 3;
for (let round = 0; round < rounds + warmUp; round++) {
  for (const [index, trial] of all.entries()) {
    const times = {} as Record<Variant, number>;
    // Rotate the order so that whatever runs first or last is no variant in particular.
    for (let j = 0; j < VARIANTS.length; j++) {
      const variant = VARIANTS[(round + index + j) % VARIANTS.length]!;
      times[variant] = await once(trial, variant);
    }
    let replayed = 0;
    for (let r = 0; r < REPLAYS; r++) replayed += replay(trial.agent.rootAgent, kept[index]!);
    if (round < warmUp) continue;
    ratios.replayMs.push(replayed / REPLAYS);
    ratios.replayShare.push(replayed / REPLAYS / times.noop);
    for (const variant of VARIANTS) totals[variant] += times[variant];
    ratios.ownCost.push(times.recorder / times.noop);
    ratios.total.push(times.recorder / times.bare);
    const own = ratios.byAgent.get(trial.agent.id) ?? [];
    own.push(times.recorder / times.noop);
    ratios.byAgent.set(trial.agent.id, own);
  }
}
const trials = rounds * all.length;
const domains = new Set(all.map((trial) => trial.scenario.domain)).size;
console.log(
  `recorder overhead: ${rounds} rounds of ${all.length} cases (${new Set(all.map((t) => t.scenario.id)).size} scenarios over ${domains} domains × their agents, policy:reference)`,
);
for (const variant of VARIANTS) {
  const label = { bare: "bare LangGraph", noop: "no-op callback handler (baseline)", recorder: "TrajectoryRecorder" }[variant];
  console.log(`  ${label.padEnd(36)} ${(totals[variant] / trials).toFixed(2)} ms/trial (mean)`);
}
console.log(`  median paired ratio recorder/no-op (trajlab's own cost): ${median(ratios.ownCost).toFixed(3)}   (target ≤ 1.030)`);
for (const [agent, values] of ratios.byAgent) console.log(`    ${agent.padEnd(14)} ${median(values).toFixed(3)}  (${values.length} pairs)`);
console.log(`  median paired ratio recorder/bare (total):                ${median(ratios.total).toFixed(3)}`);

const ownTime = median(ratios.replayMs);
console.log(
  `  recorder's own time, its callbacks replayed (${(callbackCount / all.length).toFixed(0)} per trial): ${(ownTime * 1000).toFixed(0)} us/trial, median ${(100 * median(ratios.replayShare)).toFixed(2)}% of the no-op trial`,
);
