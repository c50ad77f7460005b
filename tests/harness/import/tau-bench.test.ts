import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importFiles, importFormat, type Trajectory, type ToolCallEvent } from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";
import { tau2Results, tauRun, tauRunCutShort } from "./fixtures.js";

async function importJson(value: unknown, options: { model?: string; domain?: string } = {}): Promise<Trajectory[]> {
  const file = join(await tempFolder("trajlab-import-"), "runs.json");
  await writeFile(file, JSON.stringify(value));
  return (await importFiles(importFormat("tau-bench"), [file], { runId: "import-test", ...options })).trajectories;
}

const toolCalls = (t: Trajectory) => t.events.filter((e): e is ToolCallEvent => e.kind === "tool_call");

describe("tau-bench import: historical trajectories", () => {
  it("turns each run into a trajectory: messages, one model call per assistant message, tool calls with their results", async () => {
    const [t] = await importJson([tauRun(3, 1, 1)], { model: "model-x", domain: "shop" });
    expect(t!.scenarioId).toBe("shop.task-3");
    expect(t!.trial).toBe(1);
    expect(t!.model).toBe("model-x");
    expect(t!.events.map((e) => e.kind)).toEqual([
      "message",
      "message",
      "llm_call",
      "tool_call",
      "llm_call",
      "tool_call",
      "llm_call",
      "tool_call",
      "llm_call",
      "tool_call",
      "llm_call",
      "message",
    ]);
    expect(t!.usage).toMatchObject({ llmCalls: 5, toolCalls: 4, source: "unknown", totalTokens: null });
    expect(t!.task).toBe("Please cancel my order #W1.");
    expect(t!.finalAnswer).toBe("Your order #W1 is cancelled.");
    expect(t!.conversation).toEqual({ userTurns: 1, endedBy: "user_stop" });
  });

  it("marks 'Error:' results as failed calls and joins a reused tool_call_id to the call it answers, by position", async () => {
    const calls = toolCalls((await importJson([tauRun(3, 0, 1)]))[0]!);
    expect(calls.map((c) => [c.name, c.status, c.toolCallId])).toEqual([
      ["get_order_details", "ok", "call_a"],
      ["cancel_order", "error", "call_b"],
      ["think", "ok", "call_c"],
      ["cancel_order", "ok", "call_b"],
    ]);
    expect(calls[1]!.error).toEqual({ kind: "tool_error", message: expect.stringMatching(/^Error: reason must be/) });
    expect(calls[1]!.args).toEqual({ order_id: "#W1", reason: "changed mind" });
    expect(calls[3]!.result).toEqual({ order_id: "#W1", status: "cancelled" });
    expect(calls[3]!.args.reason).toBe("no longer needed");
  });

  it("records no timing, state or model it was not given, and infers effects from tool names, marked inferred", async () => {
    const [t] = await importJson([tauRun(3, 0, 1)]);
    expect([t!.startedAt, t!.durationMs, t!.model, t!.environment, t!.tools]).toEqual([null, null, null, null, null]);
    expect(t!.events.every((e) => e.startMs === null && e.durationMs === null)).toBe(true);
    expect(toolCalls(t!).map((c) => `${c.name}:${c.effect}:${c.effectSource}`)).toEqual([
      "get_order_details:read:inferred",
      "cancel_order:write:inferred",
      "think:read:inferred",
      "cancel_order:write:inferred",
    ]);
  });

  it("keeps the reward as the outcome, the gold actions as the reference, and the source's metadata as provenance", async () => {
    const [passed, failed] = await importJson([tauRun(3, 0, 1), tauRun(3, 1, 0)]);
    expect(passed!.outcome).toMatchObject({ pass: true, score: 1, checks: [{ name: "actions", pass: true }] });
    expect(failed!.outcome).toMatchObject({ pass: false, score: 0, checks: [{ name: "actions", pass: false }] });
    expect(passed!.reference).toEqual({
      calls: [{ name: "cancel_order", args: { order_id: "#W1", reason: "no longer needed" } }],
      answer: null,
    });
    expect(passed!.provenance).toMatchObject({
      format: "tau-bench",
      index: 0,
      line: null,
      originalId: null,
      metadata: { task_id: 3, trial: 0, reward: 1, source: "user", user_id: "ada_42", instruction: "You are ada_42. Cancel order #W1." },
    });
    expect(failed!.provenance!.index).toBe(1);
  });

  it("lets labels made on the source's call positions join to events: call n is the n-th requested tool call", async () => {
    const [t] = await importJson([tauRun(3, 0, 1)]);
    // A label such as { task_id: 3, trial: 0, call: 4, tool: "cancel_order" }.
    const fourth = t!.events.find((e) => e.origin?.call === 4);
    expect(fourth).toMatchObject({
      kind: "tool_call",
      name: "cancel_order",
      origin: { path: "/traj/8/tool_calls/0", resultPath: "/traj/9" },
    });
  });

  it("ends a run that never got τ-bench's done signal as max_steps, and a call left unanswered as a failed no_result call", async () => {
    const [t] = await importJson([tauRunCutShort(4, 0)]);
    expect(t!.termination.reason).toBe("max_steps");
    expect(t!.outcome).toMatchObject({ pass: false, checks: [{ name: "reward", message: "reward 0; τ-bench recorded no reward_info" }] });
    expect(toolCalls(t!).map((c) => [c.name, c.status, c.error?.kind ?? null])).toEqual([
      ["get_order_details", "ok", null],
      ["cancel_order", "error", "no_result"],
    ]);
    expect(t!.conversation?.endedBy).toBeNull();
  });

  it("gives the same record the same id in any file, and keeps a repeated record once", async () => {
    const first = await importJson([tauRun(3, 0, 1), tauRun(3, 1, 0)]);
    const again = await importJson([tauRun(3, 1, 0)]);
    expect(again[0]!.id).toBe(first[1]!.id);
    expect(first[0]!.id).not.toBe(first[1]!.id);
    const file = join(await tempFolder("trajlab-import-"), "twice.json");
    await writeFile(file, JSON.stringify([tauRun(3, 0, 1), tauRun(3, 0, 1)]));
    const result = await importFiles(importFormat("tau-bench"), [file], { runId: "r" });
    expect(result.trajectories).toHaveLength(1);
    expect(result.duplicates).toEqual([{ file, index: 1, id: first[0]!.id }]);
  });
});

describe("tau-bench import: τ²-bench simulation results", () => {
  it("reads messages with dict arguments, the user's own tool calls, error flags, timestamps and provider token counts", async () => {
    const [t] = await importJson(tau2Results());
    expect(t!.scenarioId).toBe("shop.task-7");
    expect(t!.model).toBe("agent-model-1");
    expect([t!.trial, t!.seed, t!.durationMs]).toEqual([2, 300, 9000]);
    // The source's times name no time zone: the start cannot be placed, but offsets within the run can.
    expect(t!.startedAt).toBeNull();
    const calls = toolCalls(t!);
    expect(calls.map((c) => [c.agent, c.name, c.status, c.effect, c.effectSource])).toEqual([
      ["user", "reboot_router", "ok", "unknown", null],
      ["assistant", "issue_refund", "error", "write", "source"],
    ]);
    const models = t!.events.filter((e) => e.kind === "llm_call");
    expect(models.map((m) => m.kind === "llm_call" && m.usage.totalTokens)).toEqual([58, 102, 129]);
    expect(t!.usage).toMatchObject({ source: "provider", inputTokens: 260, outputTokens: 29, totalTokens: 289 });
    expect(models[1]).toMatchObject({ startMs: 4500, durationMs: 1500 });
    expect(t!.events.find((e) => e.kind === "message" && e.role === "system")!.startMs).toBe(0);
  });

  it("keeps the task's actions as the reference and the reward breakdown as the outcome's checks", async () => {
    const [t] = await importJson(tau2Results());
    expect(t!.reference).toEqual({
      calls: [
        { name: "reboot_router", args: {}, agent: "user" },
        { name: "issue_refund", args: { order_id: "#W2" } },
      ],
      answer: null,
      answerIncludes: ["refund of 20"],
    });
    expect(t!.outcome!.checks.map((c) => [c.name, c.pass])).toEqual([
      ["db", false],
      ["action issue_refund", false],
      ["communicate", false],
    ]);
    expect(t!.termination).toEqual({ reason: "completed", message: "user_stop" });
    expect(t!.provenance).toMatchObject({
      originalId: "sim-1",
      index: 0,
      metadata: { task_id: "7", trial: 2, reward: 0, agent_cost: 0.01 },
    });
  });

  it("reads a bare list of simulations and JSON Lines too", async () => {
    const simulation = tau2Results().simulations[0]!;
    expect(await importJson([simulation])).toHaveLength(1);
    const file = join(await tempFolder("trajlab-import-"), "sims.jsonl");
    await writeFile(file, `${JSON.stringify(simulation)}\n${JSON.stringify({ ...simulation, id: "sim-2", trial: 3 })}\n`);
    const { trajectories } = await importFiles(importFormat("tau-bench"), [file], { runId: "r" });
    expect(trajectories.map((t) => [t.provenance!.line, t.trial, t.model])).toEqual([
      [1, 2, null],
      [2, 3, null],
    ]);
  });
});
