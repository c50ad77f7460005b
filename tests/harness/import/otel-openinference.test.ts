import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import { builtinScenarios } from "../../../scenarios/index.js";
import { importFiles, importFormat, type RecordedTrajectory } from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";
import { essentials } from "../../support/essentials.js";
import { tracedTrial, tracing } from "../../support/instrumented-app.js";

describe("otel import of spans from OpenInference's LangChain instrumentation", () => {
  it("gives back every tool call (name, args, status, result), message, agent and handoff the recorder saw, on the built-in single-turn suite", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = tracing(exporter, { service: "suite" });
    const folder = await tempFolder("trajlab-openinference-");
    // A conversation with a simulated user is one trace per user turn (one trajectory each), so only single-turn scenarios compare whole.
    const scenarios = builtinScenarios().filter((scenario) => !scenario.user);
    let failedCalls = 0;
    let handoffs = 0;
    for (const scenario of scenarios) {
      exporter.reset();
      const recorded = await tracedTrial(provider, scenario, "faulty");
      const file = join(folder, `${scenario.id}.json`);
      await writeFile(file, new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())!));
      const { trajectories } = await importFiles(importFormat("otel"), [file], { runId: "openinference" });
      expect(trajectories, scenario.id).toHaveLength(1);
      const [imported] = trajectories;
      expect(essentials(imported!), scenario.id).toEqual(essentials(recorded));
      expect(imported!.domain).toBe("suite");
      expect(imported!.model).toBe("policy:faulty");
      failedCalls += recorded.events.filter((e) => e.kind === "tool_call" && e.status === "error").length;
      handoffs += recorded.events.filter((e) => e.kind === "handoff").length;
    }
    // The suite exercises what must come through: failed calls, and several agents handing over.
    expect(scenarios.length).toBeGreaterThan(20);
    expect(failedCalls).toBeGreaterThan(0);
    expect(handoffs).toBeGreaterThan(0);
    await provider.shutdown();
  }, 120_000);

  it("makes the turns of a conversation (one trace per user turn, naming one gen_ai.conversation.id) one trajectory, in order; --group-by trace keeps one per trace", async () => {
    let conversation: string | null = null;
    const exporter = new InMemorySpanExporter();
    const provider = tracing(exporter, { service: "chat", conversation: () => conversation });
    const folder = await tempFolder("trajlab-openinference-");
    const scenarios = builtinScenarios().filter((scenario) => scenario.user);
    expect(scenarios.length).toBeGreaterThan(2);
    const recorded: RecordedTrajectory[] = [];
    for (const scenario of scenarios) {
      conversation = `conversation-${scenario.id}`;
      recorded.push(await tracedTrial(provider, scenario, "wasteful"));
    }
    const spans = exporter.getFinishedSpans();
    const file = join(folder, "conversations.json");
    await writeFile(file, new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!));
    const traces = new Set(spans.map((span) => span.spanContext().traceId)).size;
    // Each user turn is a trace of its own: more traces than conversations.
    expect(traces).toBeGreaterThan(scenarios.length);

    const { trajectories } = await importFiles(importFormat("otel"), [file], { runId: "conversations" });
    expect(trajectories).toHaveLength(scenarios.length);
    trajectories.forEach((imported, index) => {
      expect(essentials(imported), scenarios[index]!.id).toEqual(essentials(recorded[index]!));
      expect(imported.provenance?.metadata).toMatchObject({ session_id: `conversation-${scenarios[index]!.id}` });
    });
    // The same input gives the same ids.
    const again = await importFiles(importFormat("otel"), [file], { runId: "conversations" });
    expect(again.trajectories.map((t) => t.id)).toEqual(trajectories.map((t) => t.id));

    const byTrace = await importFiles(importFormat("otel"), [file], { runId: "turns", groupBy: "trace" });
    expect(byTrace.trajectories).toHaveLength(traces);
    await provider.shutdown();
  }, 120_000);
});
