import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import { builtinScenarios } from "../../../scenarios/index.js";
import { importFiles, importFormat } from "../../../harness/index.js";
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
});
