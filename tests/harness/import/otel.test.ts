import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importFiles, importFormat, type Trajectory } from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";
import { genAiTrace, openInferenceTrace } from "./otel-fixtures.js";

async function importText(text: string, name: string): Promise<Trajectory[]> {
  const file = join(await tempFolder("trajlab-import-"), name);
  await writeFile(file, text);
  return (await importFiles(importFormat("otel"), [file], { runId: "import-test" })).trajectories;
}

const shape = (t: Trajectory) =>
  t.events.map((e) => {
    switch (e.kind) {
      case "message":
        return `${e.agent}:${e.role}`;
      case "llm_call":
        return `${e.agent}:model${e.output.toolCalls.length > 0 ? `→${e.output.toolCalls.map((c) => c.name).join(",")}` : ""}`;
      case "tool_call":
        return `${e.agent}:${e.name}:${e.status}`;
      case "handoff":
        return `handoff ${e.from}→${e.to} (${e.via})`;
      default:
        return e.kind;
    }
  });

describe("otel import", () => {
  it("reads GenAI spans from a Collector file (integers as strings): model calls, tool calls, and nested agents as handoffs", async () => {
    const [t] = await importText(`${JSON.stringify(genAiTrace(true))}\n`, "traces.jsonl");
    expect(shape(t!)).toEqual([
      "Planner:system",
      "Planner:user",
      "Planner:model→get_weather",
      "Planner:get_weather:ok",
      "handoff Planner→Packer (invoke)",
      "Packer:user",
      "Packer:model",
      "Packer:lookup_store:error",
      "handoff Packer→Planner (return)",
      "Planner:model",
    ]);
    expect(t!.finalAnswer).toBe("Snow in Oslo: pack a coat and boots.");
    expect(t!.task).toBe("Weather in Oslo, then a packing list?");
    const weather = t!.events.find((e) => e.kind === "tool_call" && e.name === "get_weather")!;
    expect(weather).toMatchObject({ toolCallId: "call_w", args: { city: "Oslo" }, result: { sky: "snow" }, startMs: 12, durationMs: 8 });
    const store = t!.events.find((e) => e.kind === "tool_call" && e.name === "lookup_store")!;
    expect(store).toMatchObject({ status: "error", error: { kind: "tool_error", message: "store closed" }, args: { item: "coat" } });
    expect(t!.usage).toMatchObject({ llmCalls: 3, toolCalls: 2, source: "unknown" });
    const first = t!.events.find((e) => e.kind === "llm_call")!;
    expect(first.kind === "llm_call" && first.usage).toEqual({ source: "provider", inputTokens: 30, outputTokens: 7, totalTokens: 37 });
    expect([t!.model, t!.durationMs, t!.startedAt, t!.domain]).toEqual(["gpt-test", 100, "2026-01-01T00:00:00.000Z", "weather-app"]);
    expect(t!.provenance).toMatchObject({
      format: "otel",
      originalId: "0af7651916cd43dd8448eb211c80319c",
      metadata: { spans: 7, service: "weather-app" },
    });
  });

  it("reads the same trace written by OpenTelemetry JS (integers as numbers) to the same trajectory", async () => {
    const [fromCollector] = await importText(`${JSON.stringify(genAiTrace(true))}\n`, "a.jsonl");
    const [fromJs] = await importText(JSON.stringify(genAiTrace(false)), "b.json");
    expect(shape(fromJs!)).toEqual(shape(fromCollector!));
    expect(fromJs!.events).toEqual(fromCollector!.events);
  });

  it("reads OpenInference LangChain spans: flattened messages, tool spans without ids joined by name, agents from run metadata", async () => {
    const [t] = await importText(JSON.stringify(openInferenceTrace()), "oi.json");
    expect(shape(t!)).toEqual([
      "shop_agent:system",
      "shop_agent:user",
      "shop_agent:model→get_order",
      "shop_agent:get_order:ok",
      "shop_agent:model",
    ]);
    const call = t!.events.find((e) => e.kind === "tool_call")!;
    expect(call).toMatchObject({ toolCallId: "call_1", args: { id: 7 }, result: { status: "shipped" } });
    expect(t!.usage).toMatchObject({ source: "unknown", llmCalls: 2 });
    expect(t!.model).toBe("policy:reference");
    expect(t!.finalAnswer).toBe("Order 7 has shipped.");
  });

  it("makes one trajectory per trace, whatever the lines the spans are spread over", async () => {
    const a = genAiTrace(true);
    const b = openInferenceTrace();
    const text = [a, b].map((request) => JSON.stringify(request)).join("\n");
    const trajectories = await importText(`${text}\n`, "mixed.jsonl");
    expect(trajectories.map((t) => t.provenance!.originalId)).toEqual([
      "0af7651916cd43dd8448eb211c80319c",
      "1bf7651916cd43dd8448eb211c80319d",
    ]);
  });

  it("names the line of a file that holds something other than trace requests", async () => {
    const error = await importText(`${JSON.stringify(genAiTrace(true))}\n{"resourceMetrics":[]}\n`, "bad.jsonl").catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toMatch(
      /bad\.jsonl, at \(line 2\): not an OTLP trace request \(no resourceSpans\) or logs request \(no resourceLogs\)/,
    );
  });
});
