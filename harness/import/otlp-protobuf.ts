import protobuf from "protobufjs";

/**
 * Binary OTLP (`application/x-protobuf`), decoded by protobufjs from the
 * messages of opentelemetry-proto (`opentelemetry/proto/{common,resource,
 * trace}/v1`, `collector/trace/v1`; field numbers as published there, with
 * the fields a trace receiver never reads left out, which protobuf skips as
 * unknown). A request comes out as OTLP/JSON (`resourceSpans`, ids as hex,
 * 64-bit integers as decimal strings, enums as numbers), the shape
 * {@link spansOf} and the otel importer read, and the shape the Collector's
 * file exporter writes.
 */
const PROTOS = [
  `syntax = "proto3";
  package opentelemetry.proto.common.v1;
  message AnyValue {
    oneof value {
      string string_value = 1;
      bool bool_value = 2;
      int64 int_value = 3;
      double double_value = 4;
      ArrayValue array_value = 5;
      KeyValueList kvlist_value = 6;
      bytes bytes_value = 7;
    }
  }
  message ArrayValue { repeated AnyValue values = 1; }
  message KeyValueList { repeated KeyValue values = 1; }
  message KeyValue { string key = 1; AnyValue value = 2; }
  message InstrumentationScope {
    string name = 1;
    string version = 2;
    repeated KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.resource.v1;
  message Resource {
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
    uint32 dropped_attributes_count = 2;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.trace.v1;
  message ResourceSpans {
    opentelemetry.proto.resource.v1.Resource resource = 1;
    repeated ScopeSpans scope_spans = 2;
    string schema_url = 3;
  }
  message ScopeSpans {
    opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
    repeated Span spans = 2;
    string schema_url = 3;
  }
  message Span {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    bytes parent_span_id = 4;
    fixed32 flags = 16;
    string name = 5;
    int32 kind = 6;
    fixed64 start_time_unix_nano = 7;
    fixed64 end_time_unix_nano = 8;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 9;
    uint32 dropped_attributes_count = 10;
    message Event {
      fixed64 time_unix_nano = 1;
      string name = 2;
      repeated opentelemetry.proto.common.v1.KeyValue attributes = 3;
      uint32 dropped_attributes_count = 4;
    }
    repeated Event events = 11;
    uint32 dropped_events_count = 12;
    message Link {
      bytes trace_id = 1;
      bytes span_id = 2;
      string trace_state = 3;
      repeated opentelemetry.proto.common.v1.KeyValue attributes = 4;
      uint32 dropped_attributes_count = 5;
      fixed32 flags = 6;
    }
    repeated Link links = 13;
    uint32 dropped_links_count = 14;
    Status status = 15;
  }
  message Status {
    string message = 2;
    int32 code = 3;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.collector.trace.v1;
  message ExportTraceServiceRequest {
    repeated opentelemetry.proto.trace.v1.ResourceSpans resource_spans = 1;
  }
  message ExportTracePartialSuccess {
    int64 rejected_spans = 1;
    string error_message = 2;
  }
  message ExportTraceServiceResponse {
    ExportTracePartialSuccess partial_success = 1;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.logs.v1;
  message ResourceLogs {
    opentelemetry.proto.resource.v1.Resource resource = 1;
    repeated ScopeLogs scope_logs = 2;
    string schema_url = 3;
  }
  message ScopeLogs {
    opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
    repeated LogRecord log_records = 2;
    string schema_url = 3;
  }
  message LogRecord {
    fixed64 time_unix_nano = 1;
    fixed64 observed_time_unix_nano = 11;
    int32 severity_number = 2;
    string severity_text = 3;
    opentelemetry.proto.common.v1.AnyValue body = 5;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
    uint32 dropped_attributes_count = 7;
    fixed32 flags = 8;
    bytes trace_id = 9;
    bytes span_id = 10;
    string event_name = 12;
  }`,
  `syntax = "proto3";
  package opentelemetry.proto.collector.logs.v1;
  message ExportLogsServiceRequest {
    repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1;
  }`,
  // What OTLP/HTTP answers a failed request with (google/rpc/status.proto; details left out).
  `syntax = "proto3";
  package google.rpc;
  message Status {
    int32 code = 1;
    string message = 2;
  }`,
];

let types: { request: protobuf.Type; logs: protobuf.Type; response: protobuf.Type; status: protobuf.Type } | null = null;

/** The message types, parsed on first use (a command that never receives protobuf never pays for it). */
function messageTypes(): NonNullable<typeof types> {
  if (types) return types;
  const root = new protobuf.Root();
  // Enums (span kind, status code) are read as plain integers: OTLP/JSON writes them as numbers too.
  for (const source of PROTOS) protobuf.parse(source, root, { keepCase: false });
  types = {
    request: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
    logs: root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest"),
    response: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
    status: root.lookupType("google.rpc.Status"),
  };
  return types;
}

type Json = Record<string, unknown>;

/**
 * A binary ExportTraceServiceRequest as OTLP/JSON. Throws protobufjs's error
 * (`index out of range`, `invalid wire type`) on bytes that are not one.
 */
export function decodeTraceRequest(bytes: Uint8Array): { resourceSpans: unknown[] } {
  const { request } = messageTypes();
  const object = request.toObject(request.decode(bytes), { longs: String, bytes: String, defaults: false, arrays: true }) as Json;
  const resourceSpans = (object.resourceSpans ?? []) as Json[];
  for (const resource of resourceSpans) {
    for (const scope of (resource.scopeSpans ?? []) as Json[]) {
      for (const span of (scope.spans ?? []) as Json[]) {
        hexIds(span, ["traceId", "spanId", "parentSpanId"]);
        for (const link of (span.links ?? []) as Json[]) hexIds(link, ["traceId", "spanId"]);
      }
    }
  }
  return { resourceSpans };
}

/**
 * A binary ExportLogsServiceRequest as OTLP/JSON (`resourceLogs`, ids as
 * hex). An ExportLogsServiceResponse with nothing rejected is the same empty
 * message as {@link encodeTraceResponse} gives.
 */
export function decodeLogsRequest(bytes: Uint8Array): { resourceLogs: unknown[] } {
  const { logs } = messageTypes();
  const object = logs.toObject(logs.decode(bytes), { longs: String, bytes: String, defaults: false, arrays: true }) as Json;
  const resourceLogs = (object.resourceLogs ?? []) as Json[];
  for (const resource of resourceLogs)
    for (const scope of (resource.scopeLogs ?? []) as Json[])
      for (const record of (scope.logRecords ?? []) as Json[]) hexIds(record, ["traceId", "spanId"]);
  return { resourceLogs };
}

/** Ids are bytes, which protobuf-JSON writes in base64; OTLP/JSON writes them in hex. */
function hexIds(object: Json, keys: readonly string[]): void {
  for (const key of keys) {
    const value = object[key];
    if (typeof value !== "string") continue;
    const hex = Buffer.from(value, "base64").toString("hex");
    if (hex === "") delete object[key];
    else object[key] = hex;
  }
}

/** An ExportTraceServiceResponse: empty for full success, with `partialSuccess` when spans were rejected. */
export function encodeTraceResponse(partial: { rejectedSpans: number; errorMessage: string } | null): Uint8Array {
  const { response } = messageTypes();
  return response.encode(response.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}

/** A google.rpc.Status: what OTLP/HTTP answers a failed request with. */
export function encodeStatus(code: number, message: string): Uint8Array {
  const { status } = messageTypes();
  return status.encode(status.fromObject({ code, message })).finish();
}
