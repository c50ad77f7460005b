import { attributesOf, nanos, idOf, type OtelSpan } from "./otlp.js";

/**
 * GenAI events: what the GenAI semantic conventions carry as events (span
 * events, or log records tied to a span by its trace and span id, sent to
 * OTLP's `/v1/logs`) rather than as span attributes. The current
 * conventions write one `gen_ai.client.inference.operation.details` event
 * per model call, whose attributes are the span's own (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`, the model, token
 * counts, in structured form); the older ones (to v1.36) one event per
 * message: `gen_ai.system.message`, `gen_ai.user.message`,
 * `gen_ai.assistant.message`, `gen_ai.tool.message` (body `{ content,
 * tool_calls, id }`) and `gen_ai.choice` (body `{ index, finish_reason,
 * message }`). Both are read as the span's attributes would be.
 */

/** A span event as the otel reader holds it. */
export type SpanEvent = OtelSpan["events"][number];

/** A log record tied to a span, as an event of that span. */
export interface LoggedEvent {
  readonly traceId: string;
  /** Null when the record names its trace only. */
  readonly spanId: string | null;
  readonly event: SpanEvent;
}

type Json = Record<string, unknown>;

/** True for a value shaped like an ExportLogsServiceRequest. */
export function isLogsRequest(value: unknown): value is { resourceLogs: unknown[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { resourceLogs?: unknown }).resourceLogs);
}

/**
 * The log records of an ExportLogsServiceRequest (OTLP/JSON shape) that name
 * a trace, as events: named by the record's `eventName` (else its
 * `event.name` attribute), with its attributes and, when its body is a map,
 * the body's fields (the older GenAI events put the message there; a text
 * body is `content`). Records that name no trace are left out.
 */
export function loggedEventsOf(request: { resourceLogs: unknown[] }): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  for (const resourceLogs of request.resourceLogs as Json[]) {
    for (const scope of (resourceLogs.scopeLogs ?? []) as Json[]) {
      for (const record of (scope.logRecords ?? []) as Json[]) {
        const traceId = idOf(record.traceId);
        if (traceId === "") continue;
        const attributes = attributesOf(record.attributes);
        const body = attributesOf([{ key: "body", value: record.body }]).body;
        const fields =
          typeof body === "object" && body !== null && !Array.isArray(body)
            ? (body as Json)
            : typeof body === "string"
              ? { content: body }
              : {};
        const name =
          typeof record.eventName === "string" && record.eventName !== "" ? record.eventName : String(attributes["event.name"] ?? "");
        events.push({
          traceId,
          spanId: idOf(record.spanId) || null,
          event: {
            name,
            timeNs: nanos(record.timeUnixNano) ?? nanos(record.observedTimeUnixNano),
            attributes: { ...fields, ...attributes },
          },
        });
      }
    }
  }
  return events;
}

/**
 * Spans with the logged events of their trace added to their own, in time
 * order: each to the span it names, one naming no span (or a span not here)
 * to the trace's root.
 */
export function withLoggedEvents(spans: readonly OtelSpan[], logged: readonly LoggedEvent[]): OtelSpan[] {
  if (logged.length === 0) return [...spans];
  const ids = new Set(spans.map((span) => span.spanId));
  const root = spans.find((span) => span.parentSpanId === null || !ids.has(span.parentSpanId)) ?? spans[0];
  const bySpan = new Map<OtelSpan, SpanEvent[]>();
  for (const { spanId, event } of logged) {
    const span = spans.find((candidate) => candidate.spanId === spanId) ?? root;
    if (!span) continue;
    bySpan.set(span, [...(bySpan.get(span) ?? []), event]);
  }
  return spans.map((span) => {
    const added = bySpan.get(span);
    if (!added) return span;
    const events = [...span.events, ...added]
      .map((event, index) => ({ event, index }))
      .sort((a, b) =>
        a.event.timeNs !== null && b.event.timeNs !== null && a.event.timeNs !== b.event.timeNs
          ? a.event.timeNs < b.event.timeNs
            ? -1
            : 1
          : a.index - b.index,
      )
      .map(({ event }) => event);
    return { ...span, events };
  });
}

const ROLE_EVENTS: Record<string, string> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

/**
 * A model span with what its GenAI events say filled in where its own
 * attributes are silent: the attributes of its operation-details event, or
 * its per-message events as `gen_ai.input.messages` and its choices as
 * `gen_ai.output.messages` (in the conventions' parts form).
 */
export function withEventDetails(span: OtelSpan): OtelSpan {
  if (span.events.length === 0) return span;
  const filled: Json = {};
  const details = span.events.find((event) => event.name === "gen_ai.client.inference.operation.details");
  if (details) Object.assign(filled, details.attributes);
  const prompt = span.events.filter((event) => ROLE_EVENTS[event.name] !== undefined);
  if (prompt.length > 0) filled["gen_ai.input.messages"] = prompt.map((event) => partsMessage(ROLE_EVENTS[event.name]!, event.attributes));
  const choices = span.events.filter((event) => event.name === "gen_ai.choice");
  if (choices.length > 0)
    filled["gen_ai.output.messages"] = choices.map((event) => {
      const message = (event.attributes.message ?? {}) as Json;
      return {
        ...partsMessage("assistant", message),
        ...(event.attributes.finish_reason ? { finish_reason: event.attributes.finish_reason } : {}),
      };
    });
  if (Object.keys(filled).length === 0) return span;
  // The span's own attributes win: events only fill in what it lacks.
  return { ...span, attributes: { ...filled, ...span.attributes } };
}

/** An older GenAI message body (`{ content, tool_calls: [{ id, function: { name, arguments } }], id }`) in the parts form. */
function partsMessage(role: string, body: Json): Json {
  const parts: Json[] = [];
  if (role === "tool") parts.push({ type: "tool_call_response", id: body.id ?? null, response: body.content ?? "" });
  else if (typeof body.content === "string" && body.content !== "") parts.push({ type: "text", content: body.content });
  for (const call of (Array.isArray(body.tool_calls) ? body.tool_calls : []) as Json[]) {
    const fn = (call.function ?? {}) as Json;
    parts.push({ type: "tool_call", id: call.id ?? null, name: fn.name ?? call.name, arguments: fn.arguments ?? call.arguments });
  }
  return { role, parts };
}
