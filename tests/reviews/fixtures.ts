import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  openRun,
  readJsonl,
  TrajectorySchema,
  type Grade,
  type RunDirectory,
  type Trajectory,
  type TrajectoryEvent,
} from "../../harness/core.js";
import { ReviewRecordSchema, type ReviewRecord } from "../../reviews/index.js";
import { tempFolder } from "../support/cli.js";

/**
 * Trajectories and runs built by hand for review tests and benchmarks:
 * schema-valid, small, and shaped to exercise one thing each.
 */

/** One tool call in a fixture trajectory. */
export interface CallSpec {
  readonly name: string;
  readonly args?: Record<string, unknown>;
  readonly result?: unknown;
  /** Defaults to the JSON of `result`. */
  readonly resultText?: string;
  readonly agent?: string;
  readonly error?: string;
}

/** What a fixture trajectory looks like. */
export interface TrajectorySpec {
  readonly id?: string;
  readonly runId?: string;
  readonly scenarioId?: string;
  readonly domain?: string;
  readonly agent?: string;
  readonly model?: string;
  readonly trial?: number;
  readonly pass?: boolean;
  readonly task?: string;
  readonly calls?: readonly CallSpec[];
  readonly reference?: readonly { name: string; args: Record<string, unknown> }[] | null;
  readonly finalAnswer?: string;
  /** Assistant text written before the final answer (e.g. a long message). */
  readonly assistantText?: string;
  readonly groundTruth?: Trajectory["groundTruth"];
}

/** A schema-valid trajectory: system and user messages, then a model call and a tool call per call, then the answer. */
export function makeTrajectory(spec: TrajectorySpec = {}): Trajectory {
  const root = spec.calls?.[0]?.agent ?? "assistant";
  const events: TrajectoryEvent[] = [];
  let clock = 0;
  const next = (): { id: string; startMs: number; durationMs: number } => {
    clock += 5;
    return { id: `e${events.length + 1}`, startMs: clock, durationMs: 3 };
  };
  events.push({ ...next(), parentId: null, agent: root, kind: "message", role: "system", content: "You are a support agent." });
  events.push({ ...next(), parentId: null, agent: root, kind: "message", role: "user", content: spec.task ?? "Where is my order?" });
  let agent = root;
  for (const [index, call] of (spec.calls ?? []).entries()) {
    const callAgent = call.agent ?? root;
    if (callAgent !== agent) {
      events.push({
        ...next(),
        parentId: null,
        agent,
        kind: "handoff",
        from: agent,
        to: callAgent,
        via: "tool",
        toolName: `transfer_to_${callAgent}`,
        toolCallId: `h${index}`,
        args: {},
      });
      agent = callAgent;
    }
    const id = `call_${index + 1}`;
    const args = call.args ?? {};
    events.push({
      ...next(),
      parentId: null,
      agent,
      kind: "llm_call",
      model: spec.model ?? "policy:reference",
      node: "model_request",
      inputEventIds: events.map((event) => event.id),
      output: { content: "", toolCalls: [{ id, name: call.name, args }] },
      usage: { source: "estimated", inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      finishReason: "tool_calls",
      error: null,
    });
    const result = call.error ? null : (call.result ?? { ok: true });
    events.push({
      ...next(),
      parentId: null,
      agent,
      kind: "tool_call",
      name: call.name,
      args,
      toolCallId: id,
      effect: "read",
      effectSource: "source",
      node: "tools",
      status: call.error ? "error" : "ok",
      result,
      resultText: call.resultText ?? (call.error ? call.error : JSON.stringify(result)),
      error: call.error ? { kind: "tool_error", message: call.error } : null,
    });
  }
  const finalAnswer = spec.finalAnswer ?? "Your order is on its way.";
  events.push({
    ...next(),
    parentId: null,
    agent,
    kind: "llm_call",
    model: spec.model ?? "policy:reference",
    node: "model_request",
    inputEventIds: [],
    output: { content: spec.assistantText ?? finalAnswer, toolCalls: [] },
    usage: { source: "estimated", inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    finishReason: "stop",
    error: null,
  });
  const pass = spec.pass ?? true;
  const trajectory: Trajectory = {
    schemaVersion: 2,
    id: spec.id ?? "tr-1",
    runId: spec.runId ?? "run-1",
    scenarioId: spec.scenarioId ?? "retail.where-is-my-order",
    domain: spec.domain ?? "retail",
    agent: spec.agent ?? "react",
    model: spec.model ?? "policy:reference",
    trial: spec.trial ?? 0,
    seed: 0,
    startedAt: "2026-11-20T10:00:00.000Z",
    endedAt: "2026-11-20T10:00:01.000Z",
    durationMs: clock + 3,
    termination: { reason: "completed", message: null },
    usage: {
      inputTokens: 100,
      outputTokens: 50,
      totalTokens: 150,
      source: "estimated",
      llmCalls: (spec.calls?.length ?? 0) + 1,
      toolCalls: spec.calls?.length ?? 0,
    },
    task: spec.task ?? "Where is my order?",
    tools: [],
    provenance: null,
    events,
    finalAnswer,
    environment: {
      before: { orders: { "O-1": { status: "pending" } } },
      after: { orders: { "O-1": { status: "cancelled" } } },
      diff: [{ path: "orders.O-1.status", op: "change", before: "pending", after: "cancelled" }],
    },
    outcome: {
      pass,
      score: pass ? 1 : 0,
      checks: [{ name: "state", pass, message: pass ? "final state matches the reference" : "order O-1 was not cancelled" }],
    },
    reference:
      spec.reference === null
        ? null
        : {
            calls: [...(spec.reference ?? (spec.calls ?? []).map((call) => ({ name: call.name, args: call.args ?? {} })))],
            answer: "Your order is on its way.",
          },
    ...(spec.groundTruth ? { groundTruth: spec.groundTruth } : {}),
  };
  return TrajectorySchema.parse(trajectory);
}

/** A grade with step labels, as a grader would write it. */
export function makeGrade(
  trajectoryId: string,
  grader: string,
  steps: readonly { eventId: string; label: string; reason: string }[] = [],
  pass = steps.length === 0,
): Grade {
  return { grader, trajectoryId, score: pass ? 1 : 0.5, pass, comment: `${steps.length} label(s)`, steps: [...steps] };
}

/** Every record in a reviewer's file, in order; any line that does not parse (a torn one too) fails. */
export function readReviewRecords(path: string): Promise<ReviewRecord[]> {
  return readJsonl(path, ReviewRecordSchema, { mode: "strict" });
}

/**
 * The records of a reviewer's file that a review still writing to it has
 * finished: a last line without its newline is a write in progress (a reader
 * can see part of it) and is left for the next look; any other line that does
 * not parse fails. For polling while the review runs; once it has stopped,
 * {@link readReviewRecords}.
 */
export function readReviewRecordsSoFar(path: string): Promise<ReviewRecord[]> {
  return readJsonl(path, ReviewRecordSchema, { mode: "tolerate-torn-tail" });
}

/** A fresh folder for runs. */
export function tempRunsDir(): Promise<string> {
  return tempFolder("trajlab-reviews-");
}

/** Writes a run directory (manifest, trajectories, grades) and opens it. */
export async function writeRun(
  runsDir: string,
  runId: string,
  trajectories: readonly Trajectory[],
  grades: readonly Grade[] = [],
): Promise<RunDirectory> {
  const path = join(runsDir, runId);
  await mkdir(join(path, "reviews"), { recursive: true });
  const manifest = {
    runId,
    createdAt: "2026-11-20T10:00:00.000Z",
    trajlabVersion: "0.1.0",
    node: process.version,
    platform: "test",
    packages: {},
    command: ["trajlab", "run"],
    settings: {
      scenarios: [],
      agents: ["react"],
      models: ["policy:reference"],
      repeat: 1,
      concurrency: 1,
      timeoutMs: 1000,
      seed: 0,
      maxSteps: null,
    },
    trials: trajectories.length,
  };
  await writeFile(join(path, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(path, "trajectories.jsonl"), trajectories.map((t) => `${JSON.stringify(t)}\n`).join(""));
  await writeFile(join(path, "grades.jsonl"), grades.map((g) => `${JSON.stringify(g)}\n`).join(""));
  return openRun(runsDir, runId);
}

/** Text that tries every trick on a terminal. */
export const HOSTILE_TEXT = [
  "\u001b[31mred\u001b[0m",
  "\u001b]52;c;aGFja2Vk\u0007",
  "\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\",
  "\u009b2J",
  "bell\u0007",
  "\u202Eevil\u202C",
  "zero\u200Bwidth\u200D\uFEFF",
  "emoji 👨‍👩‍👧 ❤️ 👍🏽",
  "wide 漢字テスト",
].join(" | ");

/** The standard small run: two scenarios, reference and wasteful, one failing, grader flags on the wasteful ones. */
export async function standardRun(runsDir: string, runId = "run-1"): Promise<{ run: RunDirectory; trajectories: Trajectory[] }> {
  const lookup = { name: "find_customer", args: { email: "ana@example.com" }, result: { customerId: "C-1" } };
  const orders = { name: "list_orders", args: { customerId: "C-1" }, result: [{ orderId: "O-1" }] };
  const cancel = { name: "cancel_order", args: { orderId: "O-1" }, result: { status: "cancelled" } };
  const trajectories = [
    makeTrajectory({
      id: "tr-ref-cancel",
      runId,
      scenarioId: "retail.cancel-order",
      model: "policy:reference",
      calls: [lookup, orders, cancel],
    }),
    makeTrajectory({
      id: "tr-waste-cancel",
      runId,
      scenarioId: "retail.cancel-order",
      model: "policy:wasteful",
      calls: [lookup, lookup, orders, cancel],
      reference: [lookup, orders, cancel],
    }),
    makeTrajectory({ id: "tr-ref-track", runId, scenarioId: "retail.track-order", model: "policy:reference", calls: [lookup, orders] }),
    makeTrajectory({
      id: "tr-bad-track",
      runId,
      scenarioId: "retail.track-order",
      model: "policy:wasteful",
      pass: false,
      calls: [lookup, { name: "get_policy", args: {} }],
      reference: [lookup, orders],
    }),
  ];
  const grades = [
    makeGrade("tr-ref-cancel", "outcome"),
    makeGrade("tr-waste-cancel", "outcome"),
    makeGrade("tr-waste-cancel", "repeated-calls", [{ eventId: "e6", label: "skippable", reason: "repeats e4 with the same arguments" }]),
    makeGrade("tr-ref-track", "outcome"),
    makeGrade("tr-bad-track", "outcome", [], false),
    makeGrade("tr-bad-track", "unused-results", [{ eventId: "e6", label: "unused_result", reason: "the policy was never used" }]),
  ];
  const run = await writeRun(runsDir, runId, trajectories, grades);
  return { run, trajectories };
}

/** A run "steps" with a short and a long trajectory: `tr-10` and `tr-1000`, of about 10 and 1,000 steps. */
export function writeStepsRun(runsDir: string): Promise<RunDirectory> {
  const steps = (count: number) =>
    makeTrajectory({
      id: `tr-${count}`,
      runId: "steps",
      calls: Array.from({ length: count / 2 }, (_, i) => ({ name: `step_${i}`, args: { i }, result: { rows: [i, i + 1] } })),
    });
  return writeRun(runsDir, "steps", [steps(10), steps(1000)]);
}

/** Tool specs as the recorder writes them, to give synthetic lines a realistic size. */
const SYNTHETIC_TOOLS = Array.from({ length: 10 }, (_, i) => ({
  name: `tool_${i}`,
  description: `Does thing number ${i} for the customer: looks it up, checks it against the policy and reports back.`,
  effect: i % 3 === 0 ? ("write" as const) : ("read" as const),
  parameters: {
    type: "object",
    properties: { id: { type: "string", description: "The id of the thing" }, reason: { type: "string", minLength: 1 } },
    required: ["id"],
    additionalProperties: false,
  },
}));

/**
 * Writes a run of `count` synthetic trajectories of `calls` tool calls each
 * (about 15 kB a line, like recorded ones), with grades, streaming so that
 * 10,000 lines never sit in memory at once.
 */
export async function writeSyntheticRun(runsDir: string, runId: string, count: number, calls = 6): Promise<RunDirectory> {
  const run = await writeRun(runsDir, runId, []);
  const { createWriteStream } = await import("node:fs");
  const trajectories = createWriteStream(run.file("trajectories"));
  const grades = createWriteStream(run.file("grades"));
  for (let i = 0; i < count; i += 1) {
    const scenario = `domain${i % 5}.scenario-${i % 40}`;
    const trajectory = makeTrajectory({
      id: `tr-${String(i).padStart(6, "0")}`,
      runId,
      scenarioId: scenario,
      domain: `domain${i % 5}`,
      model: i % 2 === 0 ? "policy:reference" : "policy:wasteful",
      trial: Math.floor(i / 80),
      pass: i % 7 !== 0,
      calls: Array.from({ length: calls }, (_, c) => ({
        name: `tool_${c % 10}`,
        args: { id: `X-${i}-${c}` },
        result: { id: `X-${i}-${c}`, status: "ok", items: ["a", "b", "c"] },
      })),
    });
    const line = JSON.stringify({ ...trajectory, tools: SYNTHETIC_TOOLS });
    if (!trajectories.write(`${line}\n`)) await new Promise<void>((resolve) => trajectories.once("drain", () => resolve()));
    grades.write(`${JSON.stringify(makeGrade(trajectory.id, "outcome", [], trajectory.outcome!.pass))}\n`);
    if (i % 2 === 1)
      grades.write(
        `${JSON.stringify(makeGrade(trajectory.id, "repeated-calls", [{ eventId: "e6", label: "skippable", reason: "repeats e4" }]))}\n`,
      );
  }
  await Promise.all([
    new Promise<void>((resolve) => trajectories.end(() => resolve())),
    new Promise<void>((resolve) => grades.end(() => resolve())),
  ]);
  return run;
}

/**
 * A run of `count` trajectories shaped like recorded ones, for benchmarks:
 * lines of about 24 kB (a recorded line averages 25 kB, most of it the
 * environment's state and the events) and six grades per trajectory, one of
 * them labelling a step on every other trajectory.
 */
export async function writeRecordedSizeRun(runsDir: string, runId: string, count: number): Promise<RunDirectory> {
  const { createWriteStream } = await import("node:fs");
  const run = await writeRun(runsDir, runId, []);
  const calls = Array.from({ length: 13 }, (_, c) => ({
    name: `tool_${c % 10}`,
    args: { id: `X-${c}`, note: "a reason to call it" },
    result: { id: `X-${c}`, status: "ok", items: ["a", "b", "c"], detail: "d".repeat(400) },
  }));
  const templates = [true, false].flatMap((pass) =>
    ["policy:reference", "openai:gpt-4o-mini"].map((model) =>
      JSON.stringify(makeTrajectory({ id: "tr-TEMPLATE", runId, model, pass, calls })),
    ),
  );
  const trajectories = createWriteStream(run.file("trajectories"));
  const grades = createWriteStream(run.file("grades"));
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  };
  for (let i = 0; i < count; i += 1) {
    const id = `tr-${String(i).padStart(7, "0")}`;
    await write(trajectories, `${templates[i % templates.length]!.replace('"tr-TEMPLATE"', JSON.stringify(id))}\n`);
    const labelled =
      i % 2 === 1
        ? [{ eventId: "e6", label: "repeated_call", reason: "repeats e4 with the same arguments; nothing changed in between" }]
        : [];
    const lines = ["outcome", "trajectory-match", "repeated-calls", "unused-results", "undone-writes", "detours"].map((grader) =>
      JSON.stringify({
        ...makeGrade(id, grader, grader === "repeated-calls" ? labelled : [], true),
        comment: `${grader}: 13/13 reference call(s) matched by 13 call(s) (precision 1.00, recall 1.00, F1 1.00, order 1.00)`,
      }),
    );
    await write(grades, `${lines.join("\n")}\n`);
  }
  await Promise.all([trajectories, grades].map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  return run;
}
