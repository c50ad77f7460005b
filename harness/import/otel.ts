import type { ToolSpec } from "../trajectory/schema.js";
import { ChatLog, type Timing } from "./chat-log.js";
import { isLogsRequest, loggedEventsOf, withEventDetails, withLoggedEvents, type LoggedEvent } from "./otel-events.js";
import { groupTraces, type TraceGroup, type TraceTurn } from "./conversations.js";
import type { EffectResolver } from "./effects.js";
import {
  COMPLETED,
  fromEvents,
  invalidInput,
  recordedOutcome,
  type ConvertedRecord,
  type ImportContext,
  type ImportFormat,
  type ImportOptions,
  type ParsedFile,
  type SourceRecord,
} from "./format.js";
import { agentNameOf, messagesOf, metadataOf, modelOf, roleOf, toolCallOf, usageOf } from "./otel-attributes.js";
import { isTraceRequest, spansOf, type OtelSpan } from "./otlp.js";
import { logPrompt, SeenMessages } from "./prompt-messages.js";

/** A trace: its spans in the order received (the record the trajectory's id and pointers refer to). */
export interface TraceRecord extends SourceRecord {
  readonly spans: readonly OtelSpan[];
}

const HINT =
  "an OTLP/JSON trace file holds ExportTraceServiceRequest objects { resourceSpans: [{ resource, scopeSpans: [{ spans: [...] }] }] }, one per line as the Collector's file exporter writes them, or one JSON document";

/** Groups every span of a file by trace, and the traces by conversation (unless `groupBy` is "trace"), in the order they first appear. */
function traceRecords(file: ParsedFile, options: ImportOptions): TraceRecord[] {
  const requests = file.kind === "jsonl" ? file.lines.map((line) => line.value) : Array.isArray(file.value) ? file.value : [file.value];
  const spans: OtelSpan[] = [];
  const logged: LoggedEvent[] = [];
  requests.forEach((request, index) => {
    // Log requests (GenAI events sent to /v1/logs, which trajlab collect keeps beside the spans) add events to their spans.
    if (isLogsRequest(request)) logged.push(...loggedEventsOf(request));
    else if (!isTraceRequest(request)) {
      invalidInput(
        file.kind === "jsonl" ? `(line ${file.lines[index]!.line})` : `/${index}`,
        "not an OTLP trace request (no resourceSpans) or logs request (no resourceLogs)",
        HINT,
      );
    } else spans.push(...spansOf(request, spans.length));
  });
  const loggedByTrace = new Map<string, LoggedEvent[]>();
  for (const event of logged) {
    const list = loggedByTrace.get(event.traceId);
    if (list) list.push(event);
    else loggedByTrace.set(event.traceId, [event]);
  }
  const traces = [...groupByTrace(spans).entries()].map(([traceId, list]) => ({
    traceId,
    spans: withLoggedEvents(list, loggedByTrace.get(traceId) ?? []),
  }));
  return groupTraces(traces.map(turnOf), options.groupBy ?? "conversation").map((group, index) => groupRecord(group, index));
}

/** Spans by trace id, each trace's in the order given, traces in the order they first appear. */
export function groupByTrace(spans: readonly OtelSpan[]): Map<string, OtelSpan[]> {
  const byTrace = new Map<string, OtelSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return byTrace;
}

/** A trace and its spans, as received. */
export interface ReceivedTrace {
  readonly traceId: string;
  readonly spans: readonly OtelSpan[];
}

/** A trace as a turn: the conversation its spans name, and its first span's start. */
export function turnOf(trace: ReceivedTrace): TraceTurn<ReceivedTrace> {
  const start = trace.spans.reduce<bigint | null>(
    (min, span) => (span.startNs !== null && (min === null || span.startNs < min) ? span.startNs : min),
    null,
  );
  return { trace, conversationId: conversationIdOf(trace.spans), start };
}

/**
 * The record of a group of traces: one trace's record, or for a conversation
 * of several, its turns' spans one trace after another (the value is then
 * `{ conversationId, traceIds, spans }`). A conversation of one trace is the
 * trace's own record, so its trajectory has the same id either way.
 */
export function groupRecord(group: TraceGroup<ReceivedTrace>, index: number): TraceRecord {
  const [first, ...rest] = group.traces;
  if (rest.length === 0 || group.conversationId === null) return traceRecord(first!.traceId, first!.spans, index);
  const spans = group.traces.flatMap((trace) => trace.spans);
  const record = traceRecord(first!.traceId, spans, index);
  const { spans: values } = record.value as { spans: unknown[] };
  return {
    ...record,
    value: { conversationId: group.conversationId, traceIds: group.traces.map((trace) => trace.traceId), spans: values },
  };
}

/**
 * One trace as a record of the otel format: `index` is its position among
 * the traces of its file. The record's value (what the trajectory id is a
 * digest of, and what event pointers point into) is the trace's spans in the
 * order received, without their position in the file, so the same trace
 * gets the same id wherever it was read from (a file, or `trajlab collect`).
 */
export function traceRecord(traceId: string, spans: readonly OtelSpan[], index: number): TraceRecord {
  const record: TraceRecord = {
    value: {
      traceId,
      spans: spans.map(({ order: _order, ...span }) => ({
        ...span,
        startNs: String(span.startNs),
        endNs: String(span.endNs),
        events: span.events.map((e) => ({ ...e, timeNs: String(e.timeNs) })),
      })),
    },
    index,
    line: null,
    pointer: "",
    spans,
  };
  return record;
}

/** A span's start, for ordering: spans that start together keep their file order. */
function byStart(a: OtelSpan, b: OtelSpan): number {
  const sa = a.startNs ?? 0n;
  const sb = b.startNs ?? 0n;
  return sa < sb ? -1 : sa > sb ? 1 : a.order - b.order;
}

function convertTrace(record: TraceRecord, { effects, options }: ImportContext): ConvertedRecord {
  // What a span's GenAI events say (operation details, per-message events) counts as its attributes.
  const detailed = record.spans.map(withEventDetails);
  const spans = [...detailed].sort(byStart);
  const index = new Map(detailed.map((span, position) => [span, position]));
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, OtelSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const roots = children.get(null) ?? [];
  const start = spans.reduce<bigint | null>(
    (min, span) => (span.startNs !== null && (min === null || span.startNs < min) ? span.startNs : min),
    null,
  );
  const end = spans.reduce<bigint | null>(
    (max, span) => (span.endNs !== null && (max === null || span.endNs > max) ? span.endNs : max),
    null,
  );
  const timing = (span: OtelSpan): Timing => ({
    startMs: start !== null && span.startNs !== null ? Number(span.startNs - start) / 1e6 : null,
    durationMs: span.startNs !== null && span.endNs !== null ? Number(span.endNs - span.startNs) / 1e6 : null,
  });
  const firstAgent = spans.find((span) => roleOf(span) === "agent");
  const rootAgent = options.agent ?? (firstAgent ? agentNameOf(firstAgent) : null) ?? namedAgentOf(spans) ?? "assistant";
  const log = new ChatLog({ rootAgent, effects });
  const seen = new SeenMessages();
  const models: string[] = [];
  let tools: ToolSpec[] | null = null;

  const visit = (span: OtelSpan, agents: readonly string[]): void => {
    const path = `/spans/${index.get(span)}`;
    const role = roleOf(span);
    const inAgent = role === "agent" ? [...agents, agentNameOf(span)] : agents;
    const agent = inAgent.at(-1) ?? text(metadataOf(span).lc_agent_name) ?? rootAgent;
    if (role !== "other" && agent !== log.agent) {
      // Deeper into the agent spans is an invocation, back out a return; agents named only by run metadata just take turns.
      const via = inAgent.length === 0 ? "speaker" : inAgent.slice(0, -1).includes(log.agent) ? "invoke" : "return";
      log.switchAgent(agent, via, path, span.spanId);
    }
    if (role === "llm") {
      logPrompt(log, messagesOf(span, "input"), seen, { path, id: span.spanId });
      const reply = messagesOf(span, "output").find((message) => message.role === "assistant" || message.role === "") ?? null;
      if (reply) seen.reply(reply);
      const spanUsage = usageOf(span);
      const model = options.model ?? modelOf(span) ?? reply?.model ?? null;
      if (model) models.push(model);
      tools ??= toolSpecsOf(span, effects);
      log.assistant({
        content: reply?.text ?? "",
        toolCalls: (reply?.toolCalls ?? []).map((call, position) => ({ ...call, path: `${path}/toolCalls/${position}` })),
        model,
        usage: spanUsage.source === "unknown" && reply?.usage ? reply.usage : spanUsage,
        finishReason: finishReasonOf(span) ?? reply?.finishReason ?? null,
        path,
        id: span.spanId,
        timing: timing(span),
      });
    } else if (role === "tool") {
      const call = toolCallOf(span);
      const failed = span.status.code === 2;
      log.toolResult(
        {
          toolCallId: call.id,
          name: call.name,
          content: call.result,
          error: failed ? (span.status.message ?? call.result) : null,
          path,
          timing: timing(span),
        },
        { id: call.id, name: call.name, args: call.args, path },
      );
      seen.toolResult(call.id, call.result);
    }
    // Message events of a span that is no model call (closing messages) come among its children, by time; untimed, after them.
    const messages = role === "llm" ? [] : messageEventsOf(span);
    const say = (message: (typeof messages)[number]): void =>
      log.message(message.role, message.content, {
        path: `${path}/events/${message.index}`,
        agent: message.agent ?? agent,
        ...(message.name ? { name: message.name } : {}),
        ...(message.toolCallId ? { toolCallId: message.toolCallId } : {}),
        timing: { startMs: start !== null && message.timeNs !== null ? Number(message.timeNs - start) / 1e6 : null, durationMs: null },
      });
    for (const child of children.get(span.spanId) ?? []) {
      while (messages.length > 0 && messages[0]!.timeNs !== null && child.startNs !== null && messages[0]!.timeNs < child.startNs)
        say(messages.shift()!);
      visit(child, inAgent);
    }
    messages.forEach(say);
  };
  for (const root of roots) visit(root, []);

  const events = log.events();
  const traceIds = [...new Set(record.spans.map((span) => span.traceId))];
  const root = roots[0];
  if (!root) invalidInput("/spans", "the trace has no spans", HINT);
  const domain = options.domain ?? text(root.resource["service.name"]) ?? "otel";
  const distinct = [...new Set(models)];
  const failedRoot = roots.find((span) => span.status.code === 2);
  return {
    // Traces trajlab exported say which scenario, trial and outcome they were.
    scenarioId: text(root.attributes["trajlab.scenario_id"]) ?? `${domain}.${slug(root.name) || "trace"}`,
    domain,
    agent: text(root.attributes["trajlab.agent"]) ?? rootAgent,
    model: options.model ?? (distinct.length === 0 ? null : distinct.join(",")),
    trial: wholeNumber(root.attributes["trajlab.trial"]) ?? 0,
    seed: null,
    startedAt: start === null ? null : new Date(Number(start / 1_000_000n)).toISOString(),
    endedAt: end === null ? null : new Date(Number(end / 1_000_000n)).toISOString(),
    durationMs: start !== null && end !== null ? Number(end - start) / 1e6 : null,
    termination: failedRoot ? { reason: "error", message: failedRoot.status.message ?? "the trace's root span ended in error" } : COMPLETED,
    tools,
    ...fromEvents(events),
    environment: null,
    outcome: recordedOutcome(
      typeof root.attributes["trajlab.outcome.pass"] === "boolean" ? root.attributes["trajlab.outcome.pass"] : undefined,
      typeof root.attributes["trajlab.outcome.score"] === "number" ? root.attributes["trajlab.outcome.score"] : undefined,
      "outcome",
    ),
    reference: null,
    originalId: record.spans[0]!.traceId,
    metadata: {
      trace_id: record.spans[0]!.traceId,
      ...(traceIds.length > 1 ? { trace_ids: traceIds } : {}),
      root_span: root.name,
      spans: record.spans.length,
      // The trace continues a span this file does not hold (a caller in another service, or spans still to come).
      ...(root.parentSpanId ? { parent_span_id: root.parentSpanId } : {}),
      ...(text(root.resource["service.name"]) ? { service: root.resource["service.name"] } : {}),
      ...sessionOf(spans),
    },
  };
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

const MESSAGE_EVENT = /^gen_ai\.(system|user|assistant|tool)\.message$/;

/** A span's message events (`gen_ai.user.message` with its `content`, ...), in time order. */
function messageEventsOf(span: OtelSpan) {
  return span.events
    .map((event, index) => ({
      event,
      index,
      role: MESSAGE_EVENT.exec(event.name)?.[1] as "system" | "user" | "assistant" | "tool" | undefined,
    }))
    .filter((entry) => entry.role !== undefined && typeof entry.event.attributes.content === "string")
    .map(({ event, index, role }) => ({
      index,
      role: role!,
      content: event.attributes.content as string,
      timeNs: event.timeNs,
      agent: text(event.attributes["gen_ai.agent.name"]),
      name: text(event.attributes.name),
      toolCallId: text(event.attributes.id),
    }))
    .sort((a, b) => (a.timeNs !== null && b.timeNs !== null && a.timeNs !== b.timeNs ? (a.timeNs < b.timeNs ? -1 : 1) : a.index - b.index));
}
const wholeNumber = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null);

/** `LangGraph` → `langgraph`, `invoke_agent Math Tutor` → `invoke-agent-math-tutor`. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The first agent a LangChain run's metadata names (OpenInference spans carry it). */
function namedAgentOf(spans: readonly OtelSpan[]): string | null {
  for (const span of spans) {
    const name = text(metadataOf(span).lc_agent_name);
    if (name) return name;
  }
  return null;
}

/** The conversation a trace's spans name: GenAI `gen_ai.conversation.id`, else OpenInference `session.id`. */
export function conversationIdOf(spans: readonly OtelSpan[]): string | null {
  for (const span of spans) {
    const id = text(span.attributes["gen_ai.conversation.id"]) ?? text(span.attributes["session.id"]);
    if (id) return id;
  }
  return null;
}

function sessionOf(spans: readonly OtelSpan[]): Record<string, unknown> {
  const id = conversationIdOf(spans);
  return id === null ? {} : { session_id: id };
}

function finishReasonOf(span: OtelSpan): string | null {
  const reasons = span.attributes["gen_ai.response.finish_reasons"];
  if (Array.isArray(reasons) && typeof reasons[0] === "string") return reasons[0];
  return text(span.attributes["llm.finish_reason"]);
}

/** The tools an LLM span says the model was offered (`gen_ai.tool.definitions`, `llm.tools.N.tool.json_schema`). */
function toolSpecsOf(span: OtelSpan, effects: EffectResolver): ToolSpec[] | null {
  const definitions: Array<{ name?: unknown; description?: unknown; parameters?: unknown; function?: Record<string, unknown> }> = [];
  const parse = (value: unknown): unknown => {
    try {
      return typeof value === "string" ? JSON.parse(value) : value;
    } catch {
      return null;
    }
  };
  const listed = parse(span.attributes["gen_ai.tool.definitions"]);
  if (Array.isArray(listed)) definitions.push(...listed);
  for (const [key, value] of Object.entries(span.attributes)) {
    if (/^llm\.tools\.\d+\.tool\.json_schema$/.test(key)) {
      const schema = parse(value);
      if (schema && typeof schema === "object") definitions.push(schema as never);
    }
  }
  if (definitions.length === 0) return null;
  return definitions.map((definition) => {
    const fn = (definition.function ?? definition) as { name?: unknown; description?: unknown; parameters?: unknown };
    const name = String(fn.name ?? "");
    const { effect, effectSource } = effects(name);
    return {
      name,
      description: typeof fn.description === "string" ? fn.description : null,
      effect,
      effectSource,
      parameters: fn.parameters && typeof fn.parameters === "object" ? (fn.parameters as Record<string, unknown>) : null,
    };
  });
}

/**
 * OTLP/JSON trace files, as the OpenTelemetry Collector's file exporter
 * writes them (one ExportTraceServiceRequest per line) or as one JSON
 * document. One trace is one trajectory: model spans (`chat`, OpenInference
 * LLM) become model calls with their prompts and replies, tool spans
 * (`execute_tool`, TOOL) tool calls, and agent spans (`invoke_agent`, AGENT)
 * the agent each step belongs to; an agent span inside another is a handoff
 * there and back. Span times become event times, relative to the trace's start.
 */
export const otelFormat: ImportFormat = {
  id: "otel",
  uniqueOriginalIds: true,
  records: traceRecords,
  convert: (record, context) => convertTrace(record as TraceRecord, context),
};
