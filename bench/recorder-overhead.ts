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

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const all = cases();
const totals: Record<Variant, number> = { bare: 0, noop: 0, recorder: 0 };
const ratios = { ownCost: [] as number[], total: [] as number[], byAgent: new Map<string, number[]>() };
const warmUp = 3;
for (let round = 0; round < rounds + warmUp; round++) {
  for (const [index, trial] of all.entries()) {
    const times = {} as Record<Variant, number>;
    // Rotate the order so that whatever runs first or last is no variant in particular.
    for (let j = 0; j < VARIANTS.length; j++) {
      const variant = VARIANTS[(round + index + j) % VARIANTS.length]!;
      times[variant] = await once(trial, variant);
    }
    if (round < warmUp) continue;
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
