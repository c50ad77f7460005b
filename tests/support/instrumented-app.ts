import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { RecordedTrajectory } from "../../harness/index.js";
import type { Scenario } from "../../scenarios/index.js";
import { builtinTrial } from "./essentials.js";

/**
 * An app instrumented the way users instrument LangChain/LangGraph agents:
 * the OpenTelemetry Node SDK's tracer provider, and OpenInference's
 * LangChain instrumentation (instrumented by hand, as under ESM it must be).
 * The agents are trajlab's own LangGraph agents, so each trial is also
 * recorded by trajlab's recorder: what the spans say can be compared with it.
 */
const instrumentation = new LangChainInstrumentation();
instrumentation.manuallyInstrument(CallbackManagerModule);

/**
 * A tracer provider exporting to `exporter`; `batch` exports the way apps do (BatchSpanProcessor), else span by span.
 * With `conversation`, every span starts with `gen_ai.conversation.id` set to what it gives, the way the GenAI
 * conventions tell an app that manages its conversations to add the id (a span processor).
 */
export function tracing(
  exporter: SpanExporter,
  options: { service: string; batch?: boolean; conversation?: () => string | null },
): NodeTracerProvider {
  const conversation = options.conversation;
  const stamp: SpanProcessor | null = conversation
    ? {
        onStart: (span) => {
          const id = conversation();
          if (id !== null) span.setAttribute("gen_ai.conversation.id", id);
        },
        onEnd: () => undefined,
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      }
    : null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.service }),
    spanProcessors: [
      ...(stamp ? [stamp] : []),
      options.batch ? new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50 }) : new SimpleSpanProcessor(exporter),
    ],
  });
  instrumentation.setTracerProvider(provider);
  return provider;
}

/** Runs one trial of a built-in scenario on its default agent, traced by `provider`; spans are flushed before it returns. */
export async function tracedTrial(provider: NodeTracerProvider, scenario: Scenario, policy: string): Promise<RecordedTrajectory> {
  const trajectory = await builtinTrial(scenario, policy);
  await provider.forceFlush();
  return trajectory;
}
