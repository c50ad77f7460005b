/**
 * Builds small, schema-valid trajectories by hand for grader tests: a list
 * of moves (tool calls, agent text, user turns, handoffs) becomes events
 * e1, e2, ... the way the recorder numbers them (a model call, then the tool
 * call it requested).
 */
import { TrajectorySchema, type Trajectory, type TrajectoryEvent } from "../../../../harness/index.js";

/** One move of a hand-written trajectory. */
export type Move =
  | {
      call: string;
      args?: Record<string, unknown>;
      result?: unknown;
      effect?: "read" | "write" | "unknown";
      agent?: string;
      error?: "tool_error" | "unknown_tool" | "invalid_args";
      /** The error's message (default "failed"). */
      message?: string;
    }
  | { say: string; agent?: string }
  | { user: string }
  | { handoff: [string, string]; via?: "tool" | "return" };

/** Options of {@link buildTrajectory}. */
export interface BuildOptions {
  readonly task?: string;
  readonly answer?: string | null;
  readonly reference?: Array<{ name: string; args: Record<string, unknown> }> | null;
  readonly termination?: Trajectory["termination"]["reason"];
  readonly scenarioId?: string;
  readonly agent?: string;
  readonly model?: string;
  readonly id?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly outcomePass?: boolean;
  readonly trial?: number;
  readonly durationMs?: number;
  readonly totalTokens?: number;
  readonly groundTruth?: Trajectory["groundTruth"];
  /** Effects of reference tools the moves never call (default read). */
  readonly effects?: Record<string, "read" | "write">;
}

/** A valid trajectory from moves; the answer (if any) is the last model call's text. */
export function buildTrajectory(moves: readonly Move[], options: BuildOptions = {}): Trajectory {
  const events: TrajectoryEvent[] = [];
  const root = options.agent === "supervisor" ? "supervisor" : "assistant";
  let n = 0;
  const base = (agent: string) => ({ id: `e${++n}`, parentId: null, agent, startMs: n, durationMs: 1 });
  const task = options.task ?? "please help";
  events.push({ ...base(root), kind: "message", role: "user", content: task });
  let callId = 0;
  for (const move of moves) {
    if ("call" in move) {
      const agent = move.agent ?? root;
      const id = `call_${++callId}`;
      events.push({
        ...base(agent),
        kind: "llm_call",
        model: "policy:test",
        node: "model_request",
        inputEventIds: [],
        output: { content: "", toolCalls: [{ id, name: move.call, args: move.args ?? {} }] },
        usage: { source: "provider", inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        finishReason: "tool_calls",
        error: null,
      });
      const failed = move.error !== undefined;
      events.push({
        ...base(agent),
        kind: "tool_call",
        name: move.call,
        args: move.args ?? {},
        toolCallId: id,
        effect: move.effect ?? "read",
        effectSource: move.effect === "unknown" ? null : "source",
        node: "tools",
        status: failed ? "error" : "ok",
        result: failed ? null : (move.result ?? null),
        resultText: failed
          ? (move.message ?? "failed")
          : typeof move.result === "string"
            ? move.result
            : JSON.stringify(move.result ?? null),
        error: failed ? { kind: move.error!, message: move.message ?? "failed" } : null,
      });
    } else if ("say" in move) {
      events.push({
        ...base(move.agent ?? root),
        kind: "llm_call",
        model: "policy:test",
        node: "model_request",
        inputEventIds: [],
        output: { content: move.say, toolCalls: [] },
        usage: { source: "provider", inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        finishReason: "stop",
        error: null,
      });
    } else if ("user" in move) {
      events.push({ ...base(root), kind: "message", role: "user", content: move.user });
    } else {
      const [from, to] = move.handoff;
      const via = move.via ?? "tool";
      events.push({
        ...base(from),
        kind: "handoff",
        from,
        to,
        via,
        toolName: via === "tool" ? `transfer_to_${to}` : null,
        toolCallId: via === "tool" ? `call_${++callId}` : null,
        args: {},
      });
    }
  }
  const answer = options.answer === undefined ? "done" : options.answer;
  if (answer !== null) {
    const last = [...events].reverse().find((event) => event.kind === "llm_call" || event.kind === "handoff");
    events.push({
      ...base(last?.kind === "handoff" ? last.to : root),
      kind: "llm_call",
      model: "policy:test",
      node: "model_request",
      inputEventIds: [],
      output: { content: answer, toolCalls: [] },
      usage: { source: "provider", inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      finishReason: "stop",
      error: null,
    });
  }
  const effects = new Map<string, "read" | "write" | "unknown">();
  for (const move of moves) if ("call" in move) effects.set(move.call, move.effect ?? "read");
  for (const call of options.reference ?? []) if (!effects.has(call.name)) effects.set(call.name, options.effects?.[call.name] ?? "read");
  const toolCalls = events.filter((event) => event.kind === "tool_call").length;
  const llmCalls = events.filter((event) => event.kind === "llm_call").length;
  const pass = options.outcomePass ?? true;
  const trajectory: Trajectory = {
    schemaVersion: 2,
    id: options.id ?? "tr-test",
    runId: "run-test",
    scenarioId: options.scenarioId ?? "test.scenario",
    domain: (options.scenarioId ?? "test.scenario").split(".")[0]!,
    agent: options.agent ?? "react",
    model: options.model ?? "policy:test",
    trial: options.trial ?? 0,
    seed: 0,
    startedAt: "2026-11-21T00:00:00.000Z",
    endedAt: "2026-11-21T00:00:01.000Z",
    durationMs: options.durationMs ?? 100,
    termination: { reason: options.termination ?? "completed", message: null },
    usage: {
      source: "provider",
      inputTokens: llmCalls,
      outputTokens: llmCalls,
      totalTokens: options.totalTokens ?? llmCalls * 2,
      llmCalls,
      toolCalls,
    },
    task,
    tools: [...effects].map(([name, effect]) => ({
      name,
      description: name,
      effect,
      effectSource: effect === "unknown" ? null : ("source" as const),
      parameters: {},
    })),
    provenance: null,
    events,
    finalAnswer: answer,
    environment: { before: options.before ?? {}, after: options.after ?? {}, diff: [] },
    outcome: { pass, score: pass ? 1 : 0, checks: [{ name: "state", pass, message: pass ? "ok" : "differs" }] },
    reference: options.reference === undefined ? null : options.reference === null ? null : { calls: options.reference, answer: null },
    ...(options.groundTruth ? { groundTruth: options.groundTruth } : {}),
  };
  return TrajectorySchema.parse(trajectory);
}
