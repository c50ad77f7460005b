import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importFiles, importFormat, TrajlabError, type Trajectory } from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";
import { agentsSdkHistory, callMessage, groupChat, openaiConversation, toolMessage } from "./fixtures.js";

async function importText(text: string, name = "log.json", effects?: Record<string, "read" | "write">): Promise<Trajectory[]> {
  const file = join(await tempFolder("trajlab-import-"), name);
  await writeFile(file, text);
  return (await importFiles(importFormat("openai"), [file], { runId: "import-test", effects })).trajectories;
}

const shape = (t: Trajectory) =>
  t.events.map((e) => {
    switch (e.kind) {
      case "message":
        return `${e.agent}:${e.role}`;
      case "llm_call":
        return `${e.agent}:model`;
      case "tool_call":
        return `${e.agent}:${e.name}:${e.status}`;
      case "handoff":
        return `handoff ${e.from}→${e.to} (${e.via})`;
      default:
        return e.kind;
    }
  });

describe("openai import", () => {
  it("reads a conversation object: tools with their schemas, parallel calls joined by id, metadata as outcome and provenance", async () => {
    const [t] = await importText(JSON.stringify([openaiConversation("c-1")]));
    expect(shape(t!)).toEqual([
      "assistant:system",
      "assistant:user",
      "assistant:model",
      "assistant:get_weather:ok",
      "assistant:get_weather:ok",
      "assistant:model",
    ]);
    const calls = t!.events.filter((e) => e.kind === "tool_call");
    expect(calls.map((c) => c.kind === "tool_call" && [c.args.city, (c.result as { sky: string }).sky])).toEqual([
      ["Lima", "sun"],
      ["Oslo", "snow"],
    ]);
    expect(t!.task).toBe("Weather in Oslo and Lima?");
    expect(t!.model).toBe("gpt-test");
    expect([t!.scenarioId, t!.trial]).toEqual(["openai.lookup-weather", 1]);
    expect(t!.outcome).toMatchObject({ pass: true, score: 1 });
    expect(t!.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather for a city",
        effect: "read",
        effectSource: "inferred",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
      {
        name: "send_postcard",
        description: null,
        effect: "write",
        effectSource: "inferred",
        parameters: { type: "object", properties: {} },
      },
    ]);
    expect(t!.provenance).toMatchObject({
      format: "openai",
      originalId: "c-1",
      metadata: { task_id: "lookup-weather", trial: 1, reward: 1 },
    });
  });

  it("reads JSON Lines, and a bare message list as one conversation with no outcome recorded", async () => {
    const line = (id: string) => JSON.stringify(openaiConversation(id));
    const fromLines = await importText(`${line("a")}\n\n${line("b")}\n`, "log.jsonl");
    expect(fromLines.map((t) => t.provenance!.line)).toEqual([1, 3]);
    const [bare] = await importText(
      JSON.stringify([
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ]),
    );
    expect(shape(bare!)).toEqual(["assistant:user", "assistant:model"]);
    expect([bare!.outcome, bare!.tools, bare!.model, bare!.finalAnswer]).toEqual([null, null, null, "hello"]);
  });

  it("attributes named messages to their agents: a transfer tool its target answers, and a change of speaker, are handoffs", async () => {
    const [t] = await importText(JSON.stringify(groupChat()));
    expect(shape(t!)).toEqual([
      "triage:user",
      "triage:model",
      "handoff triage→booker (tool)",
      "triage:tool",
      "booker:model",
      "booker:book_table:ok",
      "booker:model",
      "handoff booker→jester (speaker)",
      "jester:model",
    ]);
    expect(t!.agent).toBe("triage");
    expect(t!.usage.toolCalls).toBe(1);
  });

  it("follows an OpenAI Agents SDK handoff, whose result names the next assistant", async () => {
    const [t] = await importText(JSON.stringify(agentsSdkHistory()));
    expect(shape(t!)).toEqual([
      "assistant:user",
      "assistant:model",
      "handoff assistant→Refunds agent (tool)",
      "assistant:tool",
      "Refunds agent:model",
    ]);
  });

  it("keeps a transfer tool nobody answers as a tool call, a result no call asked for as a tool message, and legacy function calls", async () => {
    const [t] = await importText(
      JSON.stringify([
        { role: "user", content: "help" },
        callMessage("t1", "transfer_to_human_agents", { summary: "stuck" }),
        toolMessage("t1", "transfer_to_human_agents", "Transfer successful"),
        toolMessage("zz", "lookup", "stray"),
        { role: "assistant", content: null, function_call: { name: "get_time", arguments: "{}" } },
        { role: "function", name: "get_time", content: "12:00" },
        { role: "assistant", content: "It is noon." },
      ]),
    );
    expect(shape(t!)).toEqual([
      "assistant:user",
      "assistant:model",
      "assistant:transfer_to_human_agents:ok",
      "assistant:tool",
      "assistant:model",
      "assistant:get_time:ok",
      "assistant:model",
    ]);
  });

  it("takes tool effects from --effects first, marked as from the effects file", async () => {
    const [t] = await importText(JSON.stringify([openaiConversation("c-1")]), "log.json", { get_weather: "write" });
    const call = t!.events.find((e) => e.kind === "tool_call")!;
    expect(call.kind === "tool_call" && [call.effect, call.effectSource]).toEqual(["write", "effects_file"]);
  });

  it("names the file, the record, the field and the fix for bad input", async () => {
    const bad = openaiConversation("c-1");
    (bad.messages[2] as { tool_calls: Array<{ function: { name: string } }> }).tool_calls[1]!.function.name = "";
    const error = await importText(JSON.stringify([openaiConversation("ok"), bad])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrajlabError);
    expect((error as TrajlabError).code).toBe("BAD_IMPORT");
    expect((error as TrajlabError).message).toMatch(
      /log\.json: record 1, at \/messages\/2\/tool_calls\/1\/function\/name: a tool call needs the tool's name \(got ""\)/,
    );
    expect((error as TrajlabError).hint).toMatch(/tool_calls are \[\{ id, type: "function"/);

    const wrongRole = await importText(
      `${JSON.stringify(openaiConversation("a"))}\n${JSON.stringify({ messages: [{ role: "robot", content: "x" }] })}\n`,
      "log.jsonl",
    ).catch((caught: unknown) => caught);
    expect((wrongRole as Error).message).toMatch(/log\.jsonl:2 \(record 1\), at \/messages\/0\/role: /);

    const notJson = await importText("{ not json\n{ also not }\n", "log.jsonl").catch((caught: unknown) => caught);
    expect((notJson as Error).message).toMatch(/log\.jsonl:1: not valid JSON/);
  });
});
