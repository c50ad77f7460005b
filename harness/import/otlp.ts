/**
 * OTLP/JSON traces as OpenTelemetry exporters write them
 * (`ExportTraceServiceRequest`: resourceSpans → scopeSpans → spans), read
 * into plain spans. Accepts both spellings found in the wild: integers as
 * JSON numbers (OpenTelemetry JS) or as strings (the Collector's file
 * exporter), and ids as hex strings (OTLP/JSON) or base64 (protobuf-JSON).
 */

/** One span, its attributes decoded to plain values. */
export interface OtelSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly startNs: bigint | null;
  readonly endNs: bigint | null;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Span status: 2 is ERROR in OTLP. */
  readonly status: { readonly code: number; readonly message: string | null };
  readonly events: ReadonlyArray<{
    readonly name: string;
    readonly timeNs: bigint | null;
    readonly attributes: Readonly<Record<string, unknown>>;
  }>;
  /** Attributes of the resource that sent it (service.name, ...). */
  readonly resource: Readonly<Record<string, unknown>>;
  /** Position in the file: spans that start together keep their file order. */
  readonly order: number;
}

type Json = Record<string, unknown>;

const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** True for a value shaped like an ExportTraceServiceRequest. */
export function isTraceRequest(value: unknown): value is { resourceSpans: unknown[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { resourceSpans?: unknown }).resourceSpans);
}

/** The spans of one ExportTraceServiceRequest, numbered from `firstOrder` in file order. */
export function spansOf(request: { resourceSpans: unknown[] }, firstOrder = 0): OtelSpan[] {
  const spans: OtelSpan[] = [];
  for (const resourceSpans of request.resourceSpans as Json[]) {
    const resource = attributesOf(((resourceSpans.resource ?? {}) as Json).attributes);
    const scopes = (resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans ?? []) as Json[];
    for (const scope of scopes) {
      for (const span of (scope.spans ?? []) as Json[]) {
        const status = (span.status ?? {}) as Json;
        const code = typeof status.code === "string" ? (STATUS_CODES[status.code] ?? Number(status.code)) : Number(status.code ?? 0);
        spans.push({
          traceId: idOf(span.traceId),
          spanId: idOf(span.spanId),
          parentSpanId: span.parentSpanId ? idOf(span.parentSpanId) || null : null,
          name: typeof span.name === "string" ? span.name : "",
          startNs: nanos(span.startTimeUnixNano),
          endNs: nanos(span.endTimeUnixNano),
          attributes: attributesOf(span.attributes),
          status: {
            code: Number.isFinite(code) ? code : 0,
            message: typeof status.message === "string" && status.message !== "" ? status.message : null,
          },
          events: ((span.events ?? []) as Json[]).map((event) => ({
            name: typeof event.name === "string" ? event.name : "",
            timeNs: nanos(event.timeUnixNano),
            attributes: attributesOf(event.attributes),
          })),
          resource,
          order: firstOrder + spans.length,
        });
      }
    }
  }
  return spans;
}

/** `[{ key, value: AnyValue }]` as a plain object. */
export function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list as Json[]) if (typeof entry.key === "string") out[entry.key] = anyValue(entry.value);
  return out;
}

/** An OTLP AnyValue as a plain value; integers that fit are numbers. */
function anyValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value ?? null;
  const v = value as Json;
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("arrayValue" in v) return (((v.arrayValue ?? {}) as Json).values as unknown[] | undefined)?.map(anyValue) ?? [];
  if ("kvlistValue" in v) return attributesOf(((v.kvlistValue ?? {}) as Json).values);
  if ("bytesValue" in v) return v.bytesValue;
  return null;
}

/** Nanoseconds since the epoch, from a number or a string; null when missing, or 0 (what a source writes for a time it does not know). */
export function nanos(value: unknown): bigint | null {
  const ns =
    typeof value === "string" && /^\d+$/.test(value)
      ? BigInt(value)
      : typeof value === "number" && Number.isFinite(value)
        ? BigInt(Math.round(value))
        : null;
  return ns === 0n ? null : ns;
}

/** A trace or span id as lower-case hex: OTLP/JSON writes hex; protobuf-JSON writes base64. */
export function idOf(value: unknown): string {
  if (typeof value !== "string") return "";
  if (/^[0-9a-fA-F]+$/.test(value) && (value.length === 32 || value.length === 16)) return value.toLowerCase();
  return Buffer.from(value, "base64").toString("hex");
}
