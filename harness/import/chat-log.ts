import { parseResult } from "../recorder/callback-values.js";
import {
  UNKNOWN_USAGE,
  type EventOrigin,
  type HandoffEvent,
  type LlmCallEvent,
  type MessageEvent,
  type TokenUsage,
  type ToolCallEvent,
  type TrajectoryEvent,
} from "../trajectory/schema.js";
import type { EffectResolver } from "./effects.js";

/** When a message happened, as far as the source says. */
export interface Timing {
  readonly startMs: number | null;
  readonly durationMs: number | null;
}

const UNTIMED: Timing = { startMs: null, durationMs: null };

/** A tool call a model (or a simulated user) asked for. */
export interface RequestedCall {
  /** The source's tool_call_id; null when it gave none (legacy function calls). */
  readonly id: string | null;
  readonly name: string;
  readonly args: Record<string, unknown>;
  /** JSON Pointer to the request inside the record. */
  readonly path: string;
  /** The effect the source itself states for this tool, if it does. */
  readonly sourceEffect?: "read" | "write";
}

/** One assistant turn: the output of one model call. */
export interface AssistantTurn {
  /** The agent that spoke, when the log names it; otherwise the agent in control. */
  readonly speaker?: string;
  readonly content: string;
  readonly toolCalls: readonly RequestedCall[];
  readonly model: string | null;
  readonly usage?: TokenUsage;
  readonly finishReason?: string | null;
  /** Why the model call failed, when the log says it did. */
  readonly error?: string | null;
  readonly path: string;
  readonly id?: string | null;
  readonly timing?: Timing;
}

/** A tool's answer to a requested call. */
export interface ToolResult {
  readonly toolCallId: string | null;
  /** The tool's name, when the message names it (used to join when ids are missing). */
  readonly name?: string;
  readonly content: string;
  /** Why the call failed, when the source says it did; null for success. */
  readonly error: string | null;
  readonly path: string;
  readonly timing?: Timing;
}

type Draft = { origin: EventOrigin; timing: Timing } & (
  | Omit<MessageEvent, "id" | "parentId" | "startMs" | "durationMs" | "origin">
  | Omit<LlmCallEvent, "id" | "parentId" | "startMs" | "durationMs" | "origin" | "inputEventIds">
  | Omit<ToolCallEvent, "id" | "parentId" | "startMs" | "durationMs" | "origin">
  | Omit<HandoffEvent, "id" | "parentId" | "startMs" | "durationMs" | "origin">
);

interface Pending {
  readonly call: RequestedCall;
  readonly agent: string;
  readonly ordinal: number;
}

/** `Billing Agent`, `billing-agent` and `billing_agent` name the same agent. */
function agentKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/**
 * Builds trajectory events from a chat log read in order: system and user
 * messages become `message` events, each assistant turn an `llm_call` (its
 * prompt is everything before it), each tool result the `tool_call` it
 * answers. Results are joined to requested calls by tool_call_id; when an id
 * is missing, reused or unknown, by position (the earliest call still waiting,
 * preferring one of the same tool name), because real models do reuse ids.
 * A call the log never answers becomes a failed call of kind `no_result`.
 *
 * Agents: a turn whose speaker differs from the agent in control is a
 * handoff (`via: "speaker"`); a `transfer_to_<agent>` call followed by that
 * agent speaking, or a call whose result names the next `assistant` (the
 * OpenAI Agents SDK's handoff output), is a handoff `via: "tool"`, and its
 * result stays in the log as a tool message.
 */
export class ChatLog {
  private readonly drafts: Draft[] = [];
  private pending: Pending[] = [];
  private ordinal = 0;
  private current: string;
  private readonly speakers = new Set<string>();

  constructor(private readonly options: { readonly rootAgent: string; readonly effects: EffectResolver }) {
    this.current = options.rootAgent;
    this.speakers.add(options.rootAgent);
  }

  /** The agent in control now. */
  get agent(): string {
    return this.current;
  }

  /** A system, user or stray tool message. */
  message(
    role: MessageEvent["role"],
    content: string,
    where: { path: string; id?: string | null; name?: string; toolCallId?: string; agent?: string; timing?: Timing },
  ): void {
    this.drafts.push({
      kind: "message",
      agent: where.agent ?? this.current,
      role,
      content,
      ...(where.name !== undefined ? { name: where.name } : {}),
      ...(where.toolCallId !== undefined ? { toolCallId: where.toolCallId } : {}),
      origin: { path: where.path, id: where.id ?? null },
      timing: where.timing ?? UNTIMED,
    });
  }

  /** An assistant turn: one model call, with the calls it requested. */
  assistant(turn: AssistantTurn): void {
    this.settleUnanswered();
    const speaker = turn.speaker ?? this.current;
    if (speaker !== this.current) this.handOver(speaker, turn.path);
    this.drafts.push({
      kind: "llm_call",
      agent: speaker,
      model: turn.model,
      node: null,
      output: { content: turn.content, toolCalls: turn.toolCalls.map((call) => ({ id: call.id ?? "", name: call.name, args: call.args })) },
      usage: turn.usage ?? { ...UNKNOWN_USAGE },
      finishReason: turn.finishReason ?? null,
      error: turn.error ?? null,
      origin: { path: turn.path, id: turn.id ?? null },
      timing: turn.timing ?? UNTIMED,
    });
    this.request(turn.toolCalls, speaker);
  }

  /** Calls requested by someone other than a model turn (a simulated user's own tools). */
  request(calls: readonly RequestedCall[], agent: string): void {
    for (const call of calls) this.pending.push({ call, agent, ordinal: ++this.ordinal });
  }

  /**
   * A tool result, joined to the call it answers. A result no call asked for
   * stays a tool message, unless the source shows the call itself (`request`:
   * a tool span, which an app may run with no model asking for it).
   */
  toolResult(result: ToolResult, request?: RequestedCall): void {
    if (request && !this.pending.some((p) => (request.id !== null && p.call.id === request.id) || p.call.name === request.name)) {
      this.request([request], this.current);
    }
    const waiting = this.take(result);
    if (!waiting) {
      this.message("tool", result.content, {
        path: result.path,
        id: result.toolCallId,
        ...(result.toolCallId ? { toolCallId: result.toolCallId } : {}),
        ...(result.name ? { name: result.name } : {}),
        timing: result.timing,
      });
      return;
    }
    const { call, agent, ordinal } = waiting;
    const named = namedAssistant(result.content);
    if (named !== null && result.error === null) {
      // The OpenAI Agents SDK answers a handoff call with {"assistant": "<agent>"}: control passes there.
      this.drafts.push(this.handoffDraft(call, agent, named, ordinal, result.timing ?? UNTIMED));
      this.message("tool", result.content, { path: result.path, id: call.id, toolCallId: call.id ?? undefined, agent });
      this.current = named;
      this.speakers.add(named);
      return;
    }
    this.drafts.push(
      this.toolCallDraft(waiting, {
        // A request with no id (legacy function calls, OpenInference spans) takes the one its result names.
        toolCallId: waiting.call.id ?? result.toolCallId,
        status: result.error === null ? "ok" : "error",
        result: result.error === null ? parseResult(result.content) : null,
        resultText: result.content,
        error: result.error === null ? null : { kind: "tool_error", message: result.error },
        resultPath: result.path,
        timing: result.timing ?? UNTIMED,
      }),
    );
  }

  /**
   * A tool result seen again (a later prompt repeats what the tool
   * answered): true when a call with that id already has its result, and
   * then the text that call's own record lacked (a failed tool span carries
   * no output) is filled in from it.
   */
  resultAgain(toolCallId: string | null, content: string): boolean {
    if (toolCallId === null) return false;
    const index = this.drafts.findIndex((draft) => draft.kind === "tool_call" && draft.toolCallId === toolCallId);
    if (index === -1) return false;
    const draft = this.drafts[index] as Extract<Draft, { kind: "tool_call" }>;
    if (draft.resultText === "" && content !== "") {
      this.drafts[index] = { ...draft, resultText: content, result: draft.status === "ok" ? parseResult(content) : draft.result };
    }
    return true;
  }

  /** The events, numbered e1, e2, ... in log order; each model call's prompt is everything before it. */
  events(): TrajectoryEvent[] {
    this.settleUnanswered();
    const events: TrajectoryEvent[] = [];
    for (const [index, draft] of this.drafts.entries()) {
      const { timing, ...rest } = draft;
      const base = { id: `e${index + 1}`, parentId: null, startMs: timing.startMs, durationMs: timing.durationMs };
      if (rest.kind === "llm_call") {
        events.push({ ...rest, ...base, inputEventIds: events.map((event) => event.id) } as LlmCallEvent);
      } else {
        events.push({ ...rest, ...base } as TrajectoryEvent);
      }
    }
    return events;
  }

  /** Control passes to another agent: a nested agent span starts (`invoke`) or ends (`return`), or the agent a span names changes (`speaker`). */
  switchAgent(to: string, via: "invoke" | "return" | "speaker", path: string, id: string | null = null): void {
    if (to === this.current) return;
    if (via !== "return" && this.transferTo(to, this.current) !== null) {
      // The agent in control called transfer_to_<to> just before: that call is the handoff.
      this.handOver(to, path);
      return;
    }
    this.drafts.push({
      kind: "handoff",
      agent: this.current,
      from: this.current,
      to,
      via,
      toolName: null,
      toolCallId: null,
      args: {},
      origin: { path, id },
      timing: UNTIMED,
    });
    this.current = to;
    this.speakers.add(to);
  }

  /** Agents that acted in the log, in order of appearance. */
  agents(): string[] {
    return [...this.speakers];
  }

  /** Control passes to `speaker`: by the transfer call just made to it, else by the change of speaker. */
  private handOver(speaker: string, path: string): void {
    const from = this.current;
    const transfer = this.transferTo(speaker, from);
    if (transfer !== null) {
      const draft = this.drafts[transfer] as Extract<Draft, { kind: "tool_call" }>;
      const call: RequestedCall = { id: draft.toolCallId, name: draft.name, args: draft.args, path: draft.origin.path };
      this.drafts[transfer] = this.handoffDraft(call, draft.agent, speaker, draft.origin.call ?? 0, draft.timing);
      // The tool's acknowledgement stays in the log, as the model saw it.
      this.drafts.splice(transfer + 1, 0, {
        kind: "message",
        agent: draft.agent,
        role: "tool",
        content: draft.resultText,
        ...(draft.toolCallId ? { toolCallId: draft.toolCallId } : {}),
        origin: { path: draft.origin.resultPath ?? draft.origin.path, id: draft.toolCallId },
        timing: UNTIMED,
      });
    } else {
      this.drafts.push({
        kind: "handoff",
        agent: from,
        from,
        to: speaker,
        via: "speaker",
        toolName: null,
        toolCallId: null,
        args: {},
        origin: { path, id: null },
        timing: UNTIMED,
      });
    }
    this.current = speaker;
    this.speakers.add(speaker);
  }

  /** The index of a successful `transfer_to_<speaker>` call `from` made since its last turn, if any. */
  private transferTo(speaker: string, from: string): number | null {
    const wanted = `transfer_to_${agentKey(speaker)}`;
    for (let index = this.drafts.length - 1; index >= 0; index--) {
      const draft = this.drafts[index]!;
      if (draft.kind === "llm_call" && draft.agent === from && index < this.drafts.length - 1) {
        // Only calls after the agent's last turn can have handed over to this speaker.
        const after = this.drafts.slice(index + 1);
        const found = after.findIndex((d) => d.kind === "tool_call" && d.status === "ok" && agentKey(d.name) === wanted);
        return found === -1 ? null : index + 1 + found;
      }
    }
    return null;
  }

  private handoffDraft(call: RequestedCall, from: string, to: string, ordinal: number, timing: Timing): Draft {
    return {
      kind: "handoff",
      agent: from,
      from,
      to,
      via: "tool",
      toolName: call.name,
      toolCallId: call.id,
      args: call.args,
      origin: { path: call.path, id: call.id, ...(ordinal > 0 ? { call: ordinal } : {}) },
      timing,
    };
  }

  /** The waiting call a result answers: by unique id, else the earliest waiting call (of the same name, if named). */
  private take(result: ToolResult): Pending | undefined {
    if (this.pending.length === 0) return undefined;
    const byId = result.toolCallId ? this.pending.filter((p) => p.call.id === result.toolCallId) : [];
    const byName = result.name ? this.pending.filter((p) => p.call.name === result.name) : [];
    const chosen = byId[0] ?? byName[0] ?? this.pending[0]!;
    this.pending = this.pending.filter((p) => p !== chosen);
    return chosen;
  }

  /** Calls the log moved on from without an answer become failed `no_result` calls. */
  private settleUnanswered(): void {
    for (const waiting of this.pending) {
      this.drafts.push(
        this.toolCallDraft(waiting, {
          status: "error",
          result: null,
          resultText: "",
          error: { kind: "no_result", message: "the log holds no result for this call" },
          timing: UNTIMED,
        }),
      );
    }
    this.pending = [];
  }

  /** A requested call and what came of it, as a tool call with its effect resolved. */
  private toolCallDraft(
    { call, agent, ordinal }: Pending,
    outcome: Pick<ToolCallEvent, "status" | "result" | "resultText" | "error"> & {
      toolCallId?: string | null;
      resultPath?: string;
      timing: Timing;
    },
  ): Draft {
    const { effect, effectSource } = this.options.effects(call.name, call.sourceEffect);
    const { resultPath, timing, toolCallId, ...result } = outcome;
    return {
      kind: "tool_call",
      agent,
      name: call.name,
      args: call.args,
      toolCallId: toolCallId ?? call.id,
      effect,
      effectSource,
      node: null,
      ...result,
      origin: { path: call.path, ...(resultPath !== undefined ? { resultPath } : {}), id: call.id, call: ordinal },
      timing,
    };
  }
}

/** The agent a handoff result names (`{"assistant": "Billing agent"}`), or null. */
function namedAssistant(content: string): string | null {
  if (!content.startsWith("{")) return null;
  const value = parseResult(content);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const assistant = (value as Record<string, unknown>).assistant;
  return keys.length === 1 && typeof assistant === "string" && assistant !== "" ? assistant : null;
}
