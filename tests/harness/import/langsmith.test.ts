import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { registerConfigureHook, setContextVariable } from "@langchain/core/context";
import { RunCollectorCallbackHandler } from "@langchain/core/tracers/run_collector";
import { describe, expect, it } from "vitest";
import { builtinScenarios } from "../../../scenarios/index.js";
import { importFiles, importFormat, isTrajlabError, type Trajectory } from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";
import { builtinTrial, essentials } from "../../support/essentials.js";

async function importText(text: string, name = "runs.json"): Promise<Trajectory[]> {
  const file = join(await tempFolder("trajlab-langsmith-"), name);
  await writeFile(file, text);
  return (await importFiles(importFormat("langsmith"), [file], { runId: "langsmith-test" })).trajectories;
}

/** A flat listRuns export as the LangSmith API returns it (Python SDK): ISO times without a zone, OpenAI-wrapped llm runs, tool inputs as the arguments. */
function apiRuns() {
  const trace = "0b1c6e1a-0000-4000-8000-000000000001";
  const other = "0b1c6e1a-0000-4000-8000-000000000002";
  return [
    {
      id: trace,
      trace_id: trace,
      name: "support_bot",
      run_type: "chain",
      start_time: "2026-03-01T10:00:00.000000",
      end_time: "2026-03-01T10:00:02.500000",
      inputs: { question: "Where is order 7?" },
      outputs: { answer: "Order 7 has shipped." },
      child_run_ids: ["r-llm-1", "r-tool-1", "r-tool-2", "r-llm-2"],
      reference_example_id: "ex-42",
      feedback_stats: { correctness: { n: 1, avg: 1 } },
      extra: { metadata: { thread_id: "t-9" } },
      tags: ["prod"],
    },
    {
      id: other,
      trace_id: other,
      name: "support_bot",
      run_type: "chain",
      start_time: "2026-03-01T11:00:00Z",
      end_time: "2026-03-01T11:00:01Z",
      inputs: {},
      outputs: null,
      error: "RateLimitError: slow down\n\nTraceback (most recent call last): ...",
    },
    {
      id: "r-llm-1",
      trace_id: trace,
      name: "ChatOpenAI",
      run_type: "llm",
      start_time: "2026-03-01T10:00:00.100000",
      end_time: "2026-03-01T10:00:00.900000",
      inputs: {
        messages: [
          { role: "system", content: "You help with orders." },
          { role: "user", content: "Where is order 7?" },
        ],
      },
      outputs: {
        choices: [
          {
            message: {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "call_a", type: "function", function: { name: "get_order", arguments: '{"id": 7}' } },
                { id: "call_b", type: "function", function: { name: "cancel_order", arguments: '{"id": 7}' } },
              ],
            },
          },
        ],
      },
      extra: {
        invocation_params: {
          model: "gpt-4o-mini",
          tools: [{ type: "function", function: { name: "get_order", description: "Look up an order" } }],
        },
      },
      prompt_tokens: 40,
      completion_tokens: 12,
      total_tokens: 52,
    },
    {
      id: "r-tool-1",
      trace_id: trace,
      name: "get_order",
      run_type: "tool",
      start_time: "2026-03-01T10:00:01.000000",
      end_time: "2026-03-01T10:00:01.200000",
      inputs: { id: 7 },
      outputs: { output: '{"status": "shipped"}' },
    },
    {
      id: "r-tool-2",
      trace_id: trace,
      name: "cancel_order",
      run_type: "tool",
      start_time: "2026-03-01T10:00:01.000000",
      end_time: "2026-03-01T10:00:01.100000",
      inputs: { id: 7 },
      error: "ValueError('order 7 has shipped')\n\nTraceback (most recent call last): ...",
    },
    {
      id: "r-llm-2",
      trace_id: trace,
      name: "ChatOpenAI",
      run_type: "llm",
      start_time: "2026-03-01T10:00:02.000000",
      end_time: "2026-03-01T10:00:02.400000",
      inputs: {
        messages: [
          { role: "system", content: "You help with orders." },
          { role: "user", content: "Where is order 7?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_a", type: "function", function: { name: "get_order", arguments: '{"id": 7}' } }],
          },
          { role: "tool", tool_call_id: "call_a", content: '{"status": "shipped"}' },
          { role: "tool", tool_call_id: "call_b", content: "Error: order 7 has shipped" },
        ],
      },
      outputs: { choices: [{ message: { role: "assistant", content: "Order 7 has shipped." } }] },
      extra: { metadata: { ls_model_name: "gpt-4o-mini" } },
    },
  ];
}

describe("langsmith import", () => {
  it("reads a flat listRuns export: traces by trace_id, children from child_run_ids, OpenAI-style llm runs, failed tool runs, times in UTC", async () => {
    const [t, failed] = await importText(JSON.stringify(apiRuns()));
    expect(t!.events.map((e) => (e.kind === "tool_call" ? `${e.name}:${e.status}` : e.kind === "message" ? e.role : e.kind))).toEqual([
      "system",
      "user",
      "llm_call",
      "get_order:ok",
      "cancel_order:error",
      "llm_call",
    ]);
    // A tool's output is kept as the run holds it, not parsed and written again.
    expect(t!.events.find((e) => e.kind === "tool_call" && e.name === "get_order")).toMatchObject({ resultText: '{"status": "shipped"}' });
    const cancel = t!.events.find((e) => e.kind === "tool_call" && e.name === "cancel_order")!;
    expect(cancel).toMatchObject({
      toolCallId: "call_b",
      args: { id: 7 },
      resultText: "Error: order 7 has shipped",
      error: { kind: "tool_error", message: "ValueError('order 7 has shipped')" },
      startMs: 1000,
      durationMs: 100,
      origin: { path: "/runs/1", resultPath: "/runs/3", id: "call_b", call: 2 },
    });
    const first = t!.events.find((e) => e.kind === "llm_call")!;
    expect(first).toMatchObject({
      model: "gpt-4o-mini",
      usage: { source: "provider", inputTokens: 40, outputTokens: 12, totalTokens: 52 },
    });
    expect(first.origin).toEqual({ path: "/runs/1", id: "r-llm-1" });
    expect([t!.startedAt, t!.durationMs, t!.finalAnswer, t!.task, t!.model]).toEqual([
      "2026-03-01T10:00:00.000Z",
      2500,
      "Order 7 has shipped.",
      "Where is order 7?",
      "gpt-4o-mini",
    ]);
    expect(t!.tools).toEqual([
      { name: "get_order", description: "Look up an order", effect: "read", effectSource: "inferred", parameters: null },
    ]);
    expect(t!.provenance).toMatchObject({
      format: "langsmith",
      originalId: "0b1c6e1a-0000-4000-8000-000000000001",
      metadata: {
        runs: 5,
        reference_example_id: "ex-42",
        feedback_stats: { correctness: { n: 1, avg: 1 } },
        tags: ["prod"],
        run_metadata: { thread_id: "t-9" },
      },
    });
    expect(failed!.termination).toEqual({ reason: "error", message: "RateLimitError: slow down" });
    expect(failed!.events).toEqual([]);
  });

  it("gives back every tool call, message, agent and handoff of LangChain's own run trees (the tracer's nested child_runs) on the built-in single-turn suite", async () => {
    // What LangChain's tracer sends LangSmith, collected in process: the same Run trees, with no server.
    const collector = new RunCollectorCallbackHandler();
    registerConfigureHook({ contextVar: "trajlab_test_run_collector", inheritable: true });
    setContextVariable("trajlab_test_run_collector", collector);
    const folder = await tempFolder("trajlab-langsmith-suite-");
    const scenarios = builtinScenarios().filter((scenario) => !scenario.user);
    let handoffs = 0;
    let failed = 0;
    for (const scenario of scenarios) {
      collector.tracedRuns.length = 0;
      const recorded = await builtinTrial(scenario, "faulty");
      const file = join(folder, `${scenario.id}.json`);
      await writeFile(file, JSON.stringify(collector.tracedRuns));
      const { trajectories } = await importFiles(importFormat("langsmith"), [file], { runId: "langsmith" });
      expect(trajectories, scenario.id).toHaveLength(1);
      expect(essentials(trajectories[0]!), scenario.id).toEqual(essentials(recorded));
      expect(trajectories[0]!.model).toBe("policy:faulty");
      handoffs += recorded.events.filter((e) => e.kind === "handoff").length;
      failed += recorded.events.filter((e) => e.kind === "tool_call" && e.status === "error").length;
    }
    expect([scenarios.length > 20, handoffs > 0, failed > 0]).toEqual([true, true, true]);
  }, 120_000);

  it("names the run and field of bad input, and the fix", async () => {
    const bad = [{ id: "root", name: "app", run_type: "chain", inputs: {}, child_runs: [{ id: "child", name: "model", inputs: {} }] }];
    const error = await importText(JSON.stringify(bad)).catch((caught: unknown) => caught);
    expect(isTrajlabError(error, "BAD_IMPORT")).toBe(true);
    expect((error as Error).message).toMatch(/runs\.json, at \/0\/child_runs\/0\/run_type: .*\(it is missing\)/);
    expect((error as { hint: string }).hint).toMatch(/run_type: chain\|llm\|tool/);
  });

  it("makes the traces of one thread (metadata thread_id) one trajectory, turns in time order whatever the file order; --group-by trace keeps them apart", async () => {
    const turn = (id: string, start: string, question: string, answer: string) => [
      { id, trace_id: id, name: "support_bot", run_type: "chain", start_time: start, extra: { metadata: { thread_id: "thread-1" } } },
      {
        id: `${id}-llm`,
        trace_id: id,
        parent_run_id: id,
        name: "ChatOpenAI",
        run_type: "llm",
        start_time: start,
        inputs: { messages: [{ role: "user", content: question }] },
        outputs: { choices: [{ message: { role: "assistant", content: answer } }] },
      },
    ];
    const lone = { id: "lone", trace_id: "lone", name: "other", run_type: "chain", start_time: "2026-03-01T09:00:00Z" };
    const runs = [
      ...turn("turn-2", "2026-03-01T10:05:00Z", "And order 8?", "Order 8 is pending."),
      lone,
      ...turn("turn-1", "2026-03-01T10:00:00Z", "Where is order 7?", "Order 7 has shipped."),
    ];
    const text = JSON.stringify(runs);
    const [thread, other] = await importText(text);
    expect(other!.provenance?.originalId).toBe("lone");
    expect(
      thread!.events.map((e) => (e.kind === "message" ? `${e.role}: ${e.content}` : e.kind === "llm_call" ? e.output.content : e.kind)),
    ).toEqual(["user: Where is order 7?", "Order 7 has shipped.", "user: And order 8?", "Order 8 is pending."]);
    expect(thread!.provenance).toMatchObject({ originalId: "turn-1", metadata: { root_run_ids: ["turn-1", "turn-2"] } });
    expect((await importText(text)).map((t) => t.id)).toEqual([thread!.id, other!.id]);
    const file = join(await tempFolder("trajlab-langsmith-"), "runs.json");
    await writeFile(file, text);
    const byTrace = await importFiles(importFormat("langsmith"), [file], { runId: "langsmith-test", groupBy: "trace" });
    expect(byTrace.trajectories.map((t) => t.provenance?.originalId)).toEqual(["turn-2", "lone", "turn-1"]);
  });
});
