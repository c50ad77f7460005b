import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { builtinAgents, defaultAgentId } from "../../agents/index.js";
import { runTrial, type RecordedTrajectory, type Trajectory } from "../../harness/index.js";
import { builtinPolicies, type Scenario } from "../../scenarios/index.js";

/**
 * An app instrumented the way users instrument LangChain/LangGraph agents:
 * the OpenTelemetry Node SDK's tracer provider, and OpenInference's
 * LangChain instrumentation (instrumented by hand, as under ESM it must be).
 * The agents are trajlab's own LangGraph agents, so each trial is also
 * recorded by trajlab's recorder: what the spans say can be compared with it.
 */
const instrumentation = new LangChainInstrumentation();
instrumentation.manuallyInstrument(CallbackManagerModule);

/** A tracer provider exporting to `exporter`; `batch` exports the way apps do (BatchSpanProcessor), else span by span. */
export function tracing(exporter: SpanExporter, options: { service: string; batch?: boolean }): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.service }),
    spanProcessors: [options.batch ? new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50 }) : new SimpleSpanProcessor(exporter)],
  });
  instrumentation.setTracerProvider(provider);
  return provider;
}

/** Runs one trial of a built-in scenario on its default agent, traced by `provider`; spans are flushed before it returns. */
export async function tracedTrial(provider: NodeTracerProvider, scenario: Scenario, policy: string): Promise<RecordedTrajectory> {
  const trajectory = await runTrial({
    runId: "instrumented-app",
    scenario,
    agent: builtinAgents.find((agent) => agent.id === defaultAgentId(scenario))!,
    model: `policy:${policy}`,
    trial: 0,
    seed: 0,
    timeoutMs: 20_000,
    policies: builtinPolicies,
  });
  await provider.forceFlush();
  return trajectory;
}

/**
 * What spans can carry of a trajectory, in order: each tool call (agent,
 * name, arguments, status, result text), each system and user message and
 * model reply (agent, text), and each handoff. Tool messages are left out:
 * a handoff's acknowledgement sits in a different place in each.
 */
export function essentials(t: Trajectory) {
  return {
    toolCalls: t.events.flatMap((e) =>
      e.kind === "tool_call" ? [{ agent: e.agent, name: e.name, args: e.args, status: e.status, resultText: e.resultText }] : [],
    ),
    messages: t.events.flatMap((e) =>
      e.kind === "message" && (e.role === "system" || e.role === "user")
        ? [`${e.agent} ${e.role}: ${e.content}`]
        : e.kind === "llm_call"
          ? [`${e.agent} assistant: ${e.output.content}`]
          : [],
    ),
    handoffs: t.events.flatMap((e) => (e.kind === "handoff" ? [`${e.from}→${e.to}`] : [])),
  };
}
