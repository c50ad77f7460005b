import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinAgents, defaultAgentId } from "../../../agents/index.js";
import { builtinPolicies, builtinScenarios } from "../../../scenarios/index.js";
import {
  importFiles,
  importFormat,
  runTrial,
  toOpenAIConversation,
  toOtlpTrace,
  type RecordedTrajectory,
  type Trajectory,
} from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";
import { callMessage, tauRun, toolMessage } from "../import/fixtures.js";

/** What a round trip must keep: every tool call, message text, agent and handoff, in order. */
function essentials(t: Trajectory) {
  return {
    toolCalls: t.events.flatMap((e) =>
      e.kind === "tool_call" ? [{ agent: e.agent, name: e.name, args: e.args, status: e.status, resultText: e.resultText }] : [],
    ),
    messages: t.events.flatMap((e) =>
      e.kind === "message" && e.role !== "assistant" && e.role !== "tool"
        ? [`${e.role}: ${e.content}`]
        : e.kind === "llm_call" || (e.kind === "message" && e.role === "assistant")
          ? [`assistant ${e.agent}: ${e.kind === "llm_call" ? e.output.content : e.content}`]
          : [],
    ),
    agents: [...new Set(t.events.map((e) => e.agent))].sort(),
    handoffs: t.events.flatMap((e) => (e.kind === "handoff" ? [`${e.from}→${e.to}`] : [])),
  };
}

/** Every built-in scenario recorded under a wasteful and a faulty policy, once for both trips. */
let recorded: RecordedTrajectory[] | undefined;
async function recordedSuite(): Promise<RecordedTrajectory[]> {
  if (recorded) return recorded;
  const trajectories: RecordedTrajectory[] = [];
  for (const scenario of builtinScenarios()) {
    for (const policy of ["wasteful", "faulty"]) {
      trajectories.push(
        await runTrial({
          runId: "round-trip",
          scenario,
          agent: builtinAgents.find((agent) => agent.id === defaultAgentId(scenario))!,
          model: `policy:${policy}`,
          trial: 0,
          seed: 0,
          timeoutMs: 20_000,
          policies: builtinPolicies,
        }),
      );
    }
  }
  // The suite exercises what the trip must keep: failed calls, several agents and handoffs.
  expect(trajectories.some((t) => t.events.some((e) => e.kind === "tool_call" && e.status === "error"))).toBe(true);
  expect(trajectories.some((t) => t.events.some((e) => e.kind === "handoff"))).toBe(true);
  recorded = trajectories;
  return trajectories;
}

/** Writes the suite in `format` (one JSON value per trajectory, a line each) and imports it back. */
async function trip(
  format: string,
  convert: (trajectory: Trajectory) => unknown,
): Promise<{ sent: RecordedTrajectory[]; back: Trajectory[] }> {
  const sent = await recordedSuite();
  const file = join(await tempFolder("trajlab-round-trip-"), "export.jsonl");
  await writeFile(file, sent.map((t) => `${JSON.stringify(convert(t))}\n`).join(""));
  const { trajectories } = await importFiles(importFormat(format), [file], { runId: "imported" });
  return { sent, back: trajectories };
}

describe("recorded → exported → imported", () => {
  it("through openai keeps every tool call (name, args, result, error), message, agent and handoff, on every built-in scenario", async () => {
    const { sent, back } = await trip("openai", toOpenAIConversation);
    expect(back).toHaveLength(sent.length);
    sent.forEach((original, index) => {
      const imported = back[index]!;
      expect(essentials(imported), original.scenarioId).toEqual(essentials(original));
      expect([imported.model, imported.agent, imported.trial, imported.outcome?.pass]).toEqual([
        original.model,
        original.agent,
        original.trial,
        original.outcome.pass,
      ]);
    });
  }, 120_000);

  it("through otel keeps the same, and the scenario, trial, outcome and times", async () => {
    const { sent, back } = await trip("otel", toOtlpTrace);
    expect(back).toHaveLength(sent.length);
    sent.forEach((original, index) => {
      const imported = back[index]!;
      expect(essentials(imported), original.scenarioId).toEqual(essentials(original));
      expect([imported.scenarioId, imported.domain, imported.model, imported.agent, imported.trial, imported.outcome?.pass]).toEqual([
        original.scenarioId,
        original.domain,
        original.model,
        original.agent,
        original.trial,
        original.outcome.pass,
      ]);
      expect([imported.startedAt, imported.durationMs]).toEqual([original.startedAt, original.durationMs]);
      const times = (t: Trajectory) => t.events.flatMap((e) => (e.kind === "tool_call" ? [e.startMs] : []));
      expect(times(imported)).toEqual(times(original));
    });
  }, 120_000);

  it("through otel keeps the messages after the last model call: a conversation's closing turn, timed or not", async () => {
    // What a simulated user or a chat log ends with: the user's thanks after the last answer (here the same words as the
    // first request, which a reader telling messages apart by their text would drop), and a closing note.
    const closed = (t: Trajectory, timed: boolean): Trajectory => {
      const task = t.events.find((e) => e.kind === "message" && e.role === "user");
      const agent = t.events.at(-1)!.agent;
      const last = Math.max(...t.events.map((e) => (e.startMs ?? 0) + (e.durationMs ?? 0)));
      const closing = [
        { role: "user" as const, content: task?.kind === "message" ? task.content : "thanks" },
        { role: "assistant" as const, content: "Glad to help. Goodbye!" },
      ].map((message, index) => ({
        kind: "message" as const,
        id: `e${t.events.length + index + 1}`,
        parentId: null,
        agent,
        startMs: timed ? last + index + 1 : null,
        durationMs: timed ? 0 : null,
        ...message,
      }));
      const events = [...t.events, ...closing].map((e) => (timed ? e : { ...e, startMs: null, durationMs: null }));
      return timed ? { ...t, events } : { ...t, events, startedAt: null, endedAt: null, durationMs: null };
    };
    const folder = await tempFolder("trajlab-round-trip-");
    for (const timed of [true, false]) {
      const sent = (await recordedSuite()).map((t) => closed(t, timed));
      const file = join(folder, `closing-${timed}.jsonl`);
      await writeFile(file, sent.map((t) => `${JSON.stringify(toOtlpTrace(t))}\n`).join(""));
      const back = (await importFiles(importFormat("otel"), [file], { runId: "imported" })).trajectories;
      expect(back).toHaveLength(sent.length);
      sent.forEach((original, index) => {
        expect(essentials(back[index]!), `${original.scenarioId}, ${timed ? "timed" : "untimed"}`).toEqual(essentials(original));
        expect(back[index]!.events.slice(-2).map((e) => e.kind === "message" && `${e.agent} ${e.role}`)).toEqual(
          original.events.slice(-2).map((e) => e.kind === "message" && `${e.agent} ${e.role}`),
        );
      });
    }
  }, 120_000);

  it("through otel says nothing of times a trajectory did not record", async () => {
    const [original] = await recordedSuite();
    const untimed: Trajectory = {
      ...original!,
      startedAt: null,
      endedAt: null,
      durationMs: null,
      events: original!.events.map((e) => ({ ...e, startMs: null, durationMs: null })),
    };
    const file = join(await tempFolder("trajlab-round-trip-"), "untimed.jsonl");
    await writeFile(file, `${JSON.stringify(toOtlpTrace(untimed))}\n`);
    const [back] = (await importFiles(importFormat("otel"), [file], { runId: "imported" })).trajectories;
    expect(essentials(back!)).toEqual(essentials(original!));
    expect([back!.startedAt, back!.durationMs, back!.events.every((e) => e.startMs === null && e.durationMs === null)]).toEqual([
      null,
      null,
      true,
    ]);
  }, 120_000);

  it("through otel and openai keeps each tool result's text as the source wrote it, JSON or not", async () => {
    // Results a reader that parses and re-serialises JSON would change: spacing, integer-like keys (JSON.parse reorders
    // them), trailing zeros, a JSON string, shapes that look like LangChain's own, and text that is no JSON at all.
    const results = [
      '{"b": 2,  "a": [1, 2.50]}',
      '{"2": "second", "1": "first"}',
      '"quoted"',
      "12.0",
      "[ true, null ]",
      '{"output": "wrapped"}',
      '{"role": "tool", "content": "looks like a message", "tool_call_id": "x"}',
      "  padded text\n\twith a tab  ",
      "",
      'Error: failed for {"id":  7}',
    ];
    const run = tauRun(1, 0, 1);
    run.traj = [
      run.traj[0]!,
      run.traj[1]!,
      ...results.flatMap((result, index) => [
        callMessage(`call_${index}`, index === results.length - 1 ? "cancel_order" : "get_order_details", { order_id: `#W${index}` }),
        toolMessage(`call_${index}`, index === results.length - 1 ? "cancel_order" : "get_order_details", result),
      ]),
      { role: "assistant", content: "Done." },
    ];
    const folder = await tempFolder("trajlab-round-trip-");
    const source = join(folder, "tau.json");
    await writeFile(source, JSON.stringify([run]));
    const [imported] = (await importFiles(importFormat("tau-bench"), [source], { runId: "source" })).trajectories;
    const calls = (t: Trajectory) =>
      t.events.flatMap((e) =>
        e.kind === "tool_call" ? [{ name: e.name, args: e.args, resultText: e.resultText, error: e.error?.message ?? null }] : [],
      );
    expect(calls(imported!).map((call) => call.resultText)).toEqual(results);
    for (const [format, convert] of [
      ["otel", toOtlpTrace],
      ["openai", toOpenAIConversation],
    ] as const) {
      const file = join(folder, `${format}.jsonl`);
      await writeFile(file, `${JSON.stringify(convert(imported!))}\n`);
      const [back] = (await importFiles(importFormat(format), [file], { runId: "back" })).trajectories;
      expect(calls(back!), format).toEqual(calls(imported!));
    }
  });

  it('through otel keeps a message said more than once (a user\'s "yes" to two questions), which each later prompt repeats', async () => {
    const run = tauRun(2, 0, 1);
    run.traj = [
      run.traj[0]!,
      { role: "user", content: "Cancel order #W1, please." },
      { role: "assistant", content: "Cancel #W1: are you sure?" },
      { role: "user", content: "yes" },
      { role: "assistant", content: "Cancel #W2 as well?" },
      { role: "user", content: "yes" },
      { role: "assistant", content: "Both are cancelled." },
    ] as never;
    const folder = await tempFolder("trajlab-round-trip-");
    const source = join(folder, "tau.json");
    await writeFile(source, JSON.stringify([run]));
    const [imported] = (await importFiles(importFormat("tau-bench"), [source], { runId: "source" })).trajectories;
    const file = join(folder, "otel.jsonl");
    await writeFile(file, `${JSON.stringify(toOtlpTrace(imported!))}\n`);
    const [back] = (await importFiles(importFormat("otel"), [file], { runId: "back" })).trajectories;
    expect(essentials(back!).messages).toEqual(essentials(imported!).messages);
    expect(essentials(back!).messages.filter((message) => message === "user: yes")).toHaveLength(2);
  });
});
