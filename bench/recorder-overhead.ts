/**
 * Recorder overhead. The same trials run three ways, interleaved in one
 * process: bare (LangGraph, no callbacks), with a no-op awaited callback
 * handler (what any recorder pays LangChain for callbacks), and with a
 * TrajectoryRecorder building events. Prints the mean per trial and two
 * ratios: recorder/no-op is trajlab's own cost; recorder/bare is the total.
 *
 *   npx tsx bench/recorder-overhead.ts [trials]
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { HumanMessage } from "@langchain/core/messages";
import { reactAgent, resolveModel } from "../agents/index.js";
import { builtinPolicies, builtinScenarios, initialStateOf, toLangChainTools, type Scenario } from "../scenarios/index.js";
import { TrajectoryRecorder } from "../harness/index.js";

const trials = Number(process.argv[2] ?? 200);
const scenarios = builtinScenarios().filter((s) => s.domain === "retail");

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
const variants: Variant[] = ["bare", "noop", "recorder"];

async function once(scenario: Scenario, variant: Variant): Promise<number> {
  const resolved = await resolveModel("policy:reference", { scenario, seed: 0, policies: builtinPolicies });
  const graph = await reactAgent.build({
    model: resolved.chatModel,
    tools: toLangChainTools(scenario.environment.tools, initialStateOf(scenario)),
    scenario,
  });
  const handler =
    variant === "bare"
      ? null
      : variant === "noop"
        ? new NoopHandler()
        : new TrajectoryRecorder({ rootAgent: "assistant", toolEffects: {} });
  const started = performance.now();
  await graph.invoke({ messages: [new HumanMessage(scenario.task)] }, { recursionLimit: 40, ...(handler ? { callbacks: [handler] } : {}) });
  if (handler instanceof TrajectoryRecorder) handler.events();
  return performance.now() - started;
}

const totals: Record<Variant, number> = { bare: 0, noop: 0, recorder: 0 };
for (let i = 0; i < trials + 20; i++) {
  const scenario = scenarios[i % scenarios.length]!;
  // Rotate the order so drift in machine load hits every variant alike; the first 20 rounds warm up.
  for (let j = 0; j < variants.length; j++) {
    const variant = variants[(i + j) % variants.length]!;
    const ms = await once(scenario, variant);
    if (i >= 20) totals[variant] += ms;
  }
}
const mean = (v: Variant) => totals[v] / trials;
console.log(`recorder overhead: ${trials} trials per variant over ${scenarios.length} retail scenarios (react, policy:reference)`);
console.log(`  bare LangGraph (baseline):  ${mean("bare").toFixed(2)} ms/trial`);
console.log(`  no-op callback handler:     ${mean("noop").toFixed(2)} ms/trial`);
console.log(`  TrajectoryRecorder:         ${mean("recorder").toFixed(2)} ms/trial`);
console.log(`  ratio recorder/no-op (trajlab's own cost): ${(mean("recorder") / mean("noop")).toFixed(3)}`);
console.log(`  ratio recorder/bare (total):               ${(mean("recorder") / mean("bare")).toFixed(3)}`);
