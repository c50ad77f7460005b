import { createHash } from "node:crypto";
import type { LlmCallEvent, MessageEvent, ToolCallEvent, Trajectory, TrajectoryEvent } from "../trajectory/schema.js";

/**
 * A trajectory as one OTLP/JSON ExportTraceServiceRequest (one line of
 * `trajlab export otel`, the Collector's file format), in the OpenTelemetry
 * GenAI semantic conventions that `trajlab import otel` reads back:
 *
 * - the agent in control is an `invoke_agent <agent>` span; a handoff to an
 *   agent not yet in control opens that agent's span inside the current
 *   one, a handoff back to one that is closes the spans in between;
 * - each model call is a `chat <model>` span with `gen_ai.input.messages`
 *   (its prompt, from the events it names), `gen_ai.output.messages` (the
 *   reply and its tool calls), the model, token counts the provider gave,
 *   and the tools offered (`gen_ai.tool.definitions`);
 * - each tool call, and each handoff made by a tool, is an `execute_tool
 *   <tool>` span with the call's id, arguments and result, in ERROR when it
 *   failed;
 * - a message no later model call's prompt shows (the closing messages of a
 *   conversation: the user's thanks after the last answer) is an event of
 *   the agent span in control, named as the GenAI conventions name message
 *   events (`gen_ai.user.message`, `gen_ai.assistant.message`, ...) with its
 *   `content` (and the `id` of the call a tool message answers), so that no
 *   message is lost;
 * - what trajlab knows beyond the conventions (scenario, agent, trial, outcome) is
 *   on the root span as `trajlab.*` attributes.
 *
 * Ids are digests of the trajectory id, so the same trajectory always gives
 * the same trace. Times are the recorded ones; when the trajectory recorded
 * none, spans carry 0 (unknown) and their order is the file's; an event
 * whose own time is missing in a timed trajectory takes the time of the one
 * before it, so the order stays right.
 */
export function toOtlpTrace(trajectory: Trajectory): { resourceSpans: unknown[] } {
  return new TraceWriter(trajectory).request();
}

type Attribute = { key: string; value: Record<string, unknown> };

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attribute[];
  events?: Array<{ timeUnixNano: string; name: string; attributes: Attribute[] }>;
  status: { code: number; message?: string };
}

/** An OTLP attribute from a plain value (strings, booleans, numbers; anything else as JSON text). */
function attribute(key: string, value: unknown): Attribute {
  if (typeof value === "string") return { key, value: { stringValue: value } };
  if (typeof value === "boolean") return { key, value: { boolValue: value } };
  if (typeof value === "number") return { key, value: Number.isInteger(value) ? { intValue: value } : { doubleValue: value } };
  if (Array.isArray(value) && value.every((item) => typeof item === "string"))
    return { key, value: { arrayValue: { values: value.map((item) => ({ stringValue: item })) } } };
  return { key, value: { stringValue: JSON.stringify(value) } };
}

function attributes(values: Record<string, unknown>): Attribute[] {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => attribute(key, value));
}

const STATUS_OK = { code: 0 };
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;

class TraceWriter {
  private readonly spans: OtlpSpan[] = [];
  private readonly traceId: string;
  private readonly byId: Map<string, TrajectoryEvent>;
  /** Events some model call's prompt shows: the messages the trace carries in prompts. */
  private readonly prompted: Set<string>;
  private readonly startNs: bigint | null;
  private lastMs = 0;
  private counter = 0;
  /** The open agent spans, outermost first. */
  private readonly stack: Array<{ agent: string; span: OtlpSpan }> = [];

  constructor(private readonly trajectory: Trajectory) {
    this.traceId = this.digest("trace", 32);
    this.byId = new Map(trajectory.events.map((event) => [event.id, event]));
    this.prompted = new Set(trajectory.events.flatMap((event) => (event.kind === "llm_call" ? event.inputEventIds : [])));
    this.startNs = trajectory.startedAt === null ? null : BigInt(Date.parse(trajectory.startedAt)) * 1_000_000n;
  }

  request(): { resourceSpans: unknown[] } {
    const t = this.trajectory;
    // The root span is the agent in control at the start; `agent` (the builder that made it) goes along as an attribute.
    const root = this.openAgent(t.events[0]?.agent ?? t.agent, 0, {
      "trajlab.trajectory_id": t.id,
      "trajlab.agent": t.agent,
      "trajlab.scenario_id": t.scenarioId,
      "trajlab.trial": t.trial,
      "trajlab.outcome.pass": t.outcome?.pass,
      "trajlab.outcome.score": t.outcome?.score,
    });
    for (const event of t.events) this.write(event);
    while (this.stack.length > 0) this.closeAgent();
    if (t.termination.reason === "error") root.status = { code: 2, message: t.termination.message ?? "the run ended in error" };
    if (t.durationMs !== null) root.endTimeUnixNano = this.at(t.durationMs);
    return {
      resourceSpans: [
        {
          resource: { attributes: attributes({ "service.name": t.domain }) },
          scopeSpans: [{ scope: { name: "trajlab" }, spans: this.spans }],
        },
      ],
    };
  }

  private write(event: TrajectoryEvent): void {
    switch (event.kind) {
      case "llm_call":
        this.chat(event);
        break;
      case "tool_call":
        this.tool(event, event.name, event.toolCallId, event.args, event.resultText, event.status === "error" ? event.error : null);
        break;
      case "handoff":
        if (event.via === "tool" && event.toolName) {
          this.tool(event, event.toolName, event.toolCallId, event.args, `Transferred to ${event.to}`, null);
        }
        this.handOver(event.to, event);
        break;
      case "message":
        // Messages reach the trace as the prompts of the model calls after them; one no prompt shows is an event of its own.
        if (!this.prompted.has(event.id)) this.messageEvent(event);
        break;
      default:
        // Graph nodes and errors have no GenAI span.
        break;
    }
  }

  /** Control passes to `agent`: back to an agent whose span is open, or into a new span inside the current one. */
  private handOver(agent: string, event: TrajectoryEvent): void {
    const open = this.stack.findIndex((entry) => entry.agent === agent);
    if (open !== -1) {
      while (this.stack.length > open + 1) this.closeAgent();
      return;
    }
    this.openAgent(agent, this.timeOf(event).startMs, {});
  }

  private openAgent(agent: string, startMs: number, extra: Record<string, unknown>): OtlpSpan {
    const span = this.span(`invoke_agent ${agent}`, SPAN_KIND_INTERNAL, startMs, null, {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": agent,
      ...extra,
    });
    this.stack.push({ agent, span });
    return span;
  }

  /** A message as an event of the agent span in control. */
  private messageEvent(event: MessageEvent): void {
    const span = this.stack.at(-1)!.span;
    const { startMs } = this.timeOf(event);
    this.lastMs = Math.max(this.lastMs, startMs);
    (span.events ??= []).push({
      timeUnixNano: this.at(startMs),
      name: `gen_ai.${event.role}.message`,
      attributes: attributes({ content: event.content, id: event.toolCallId, name: event.name, "gen_ai.agent.name": event.agent }),
    });
  }

  private closeAgent(): void {
    const { span } = this.stack.pop()!;
    span.endTimeUnixNano = this.at(this.lastMs);
  }

  private chat(event: LlmCallEvent): void {
    const { startMs, durationMs } = this.timeOf(event);
    const usage = event.usage.source === "provider" ? event.usage : null;
    const tools = this.trajectory.tools;
    const span = this.span(`chat${event.model ? ` ${event.model}` : ""}`, SPAN_KIND_CLIENT, startMs, durationMs, {
      "gen_ai.operation.name": "chat",
      "gen_ai.agent.name": event.agent,
      "gen_ai.request.model": event.model,
      "gen_ai.usage.input_tokens": usage?.inputTokens,
      "gen_ai.usage.output_tokens": usage?.outputTokens,
      "gen_ai.response.finish_reasons": event.finishReason ? [event.finishReason] : undefined,
      "gen_ai.input.messages": JSON.stringify(event.inputEventIds.flatMap((id) => this.promptMessage(this.byId.get(id)))),
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: assistantParts(event), ...(event.finishReason ? { finish_reason: event.finishReason } : {}) },
      ]),
      "gen_ai.tool.definitions": tools
        ? JSON.stringify(
            tools.map((tool) => ({ type: "function", name: tool.name, description: tool.description, parameters: tool.parameters })),
          )
        : undefined,
    });
    if (event.error !== null) span.status = { code: 2, message: event.error };
  }

  private tool(
    event: TrajectoryEvent,
    name: string,
    callId: string | null,
    args: Record<string, unknown>,
    result: string,
    error: ToolCallEvent["error"],
  ): void {
    const { startMs, durationMs } = this.timeOf(event);
    const span = this.span(`execute_tool ${name}`, SPAN_KIND_INTERNAL, startMs, durationMs, {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.agent.name": event.agent,
      "gen_ai.tool.name": name,
      "gen_ai.tool.call.id": callId,
      "gen_ai.tool.call.arguments": JSON.stringify(args),
      "gen_ai.tool.call.result": result,
      "error.type": error?.kind,
    });
    if (error) span.status = { code: 2, message: error.message };
  }

  /** An event of the prompt as a GenAI message (`{ role, parts }`), or nothing for events that are no message. */
  private promptMessage(event: TrajectoryEvent | undefined): unknown[] {
    if (!event) return [];
    switch (event.kind) {
      case "message":
        return [
          event.role === "tool"
            ? { role: "tool", parts: [{ type: "tool_call_response", id: event.toolCallId ?? null, response: event.content }] }
            : { role: event.role, ...(event.name ? { name: event.name } : {}), parts: [{ type: "text", content: event.content }] },
        ];
      case "llm_call":
        return [{ role: "assistant", parts: assistantParts(event) }];
      case "tool_call":
        return [{ role: "tool", parts: [{ type: "tool_call_response", id: event.toolCallId, response: event.resultText }] }];
      case "handoff":
        return event.via === "tool" && event.toolName
          ? [{ role: "tool", parts: [{ type: "tool_call_response", id: event.toolCallId, response: `Transferred to ${event.to}` }] }]
          : [];
      default:
        return [];
    }
  }

  private span(name: string, kind: number, startMs: number, durationMs: number | null, values: Record<string, unknown>): OtlpSpan {
    const parent = this.stack.at(-1)?.span;
    const span: OtlpSpan = {
      traceId: this.traceId,
      spanId: this.digest(`span ${this.counter++}`, 16),
      ...(parent ? { parentSpanId: parent.spanId } : {}),
      name,
      kind,
      startTimeUnixNano: this.at(startMs),
      endTimeUnixNano: this.at(startMs + (durationMs ?? 0)),
      attributes: attributes(values),
      status: STATUS_OK,
    };
    this.lastMs = Math.max(this.lastMs, startMs + (durationMs ?? 0));
    this.spans.push(span);
    return span;
  }

  /** An event's time: its own, else (in a timed trajectory) the latest time before it. */
  private timeOf(event: TrajectoryEvent): { startMs: number; durationMs: number | null } {
    const startMs = event.startMs ?? this.lastMs;
    return { startMs, durationMs: event.startMs === null ? null : event.durationMs };
  }

  /** Nanoseconds since the epoch of a time in ms since the trajectory's start; "0" (unknown) for a trajectory with no start time. */
  private at(ms: number): string {
    if (this.startNs === null) return "0";
    return String(this.startNs + BigInt(Math.round(ms * 1_000_000)));
  }

  private digest(what: string, hexLength: number): string {
    return createHash("sha256").update(`${this.trajectory.id}\u0000${what}`).digest("hex").slice(0, hexLength);
  }
}

/** A model call's reply as GenAI parts: its text, then its tool calls. */
function assistantParts(event: LlmCallEvent): unknown[] {
  return [
    ...(event.output.content !== "" ? [{ type: "text", content: event.output.content }] : []),
    ...event.output.toolCalls.map((call) => ({ type: "tool_call", id: call.id, name: call.name, arguments: call.args })),
  ];
}
