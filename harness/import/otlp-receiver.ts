import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, inflateSync } from "node:zlib";
import { TrajlabError, errorMessage } from "../../errors/index.js";
import { isTraceRequest } from "./otlp.js";
import { isLogsRequest } from "./otel-events.js";
import { decodeLogsRequest, decodeTraceRequest, encodeStatus, encodeTraceResponse } from "./otlp-protobuf.js";

/** The largest request body taken, before and after decompression: what the OTLP specification recommends. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A request received: spans (`/v1/traces`) or log records (`/v1/logs`, where GenAI events go), in OTLP/JSON shape. */
export type OtlpRequest = { resourceSpans: unknown[] } | { resourceLogs: unknown[] };

/** What the receiver makes of a request; a thrown error becomes a 500, and the exporter retries. */
export type TraceHandler = (request: OtlpRequest, encoding: "protobuf" | "json") => Promise<void>;

/** A listening receiver. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:4318`: what `OTEL_EXPORTER_OTLP_ENDPOINT` is set to. */
  readonly url: string;
  /** Stops taking requests, waits for those being handled, and closes the connections. */
  close(): Promise<void>;
}

/** Where the receiver listens. */
export interface ReceiverAddress {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

const PROTOBUF = "application/x-protobuf";
const JSON_TYPE = "application/json";
/** google.rpc.Code INVALID_ARGUMENT, what a Status for bad data carries. */
const INVALID_ARGUMENT = 3;
const INTERNAL = 13;

class BadRequest {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

/**
 * An OTLP/HTTP trace receiver (`POST /v1/traces`) as the OpenTelemetry
 * specification describes it: binary protobuf or JSON bodies by
 * `Content-Type`, gzip or deflate by `Content-Encoding`, at most
 * {@link MAX_BODY_BYTES} (413 beyond); the answer is an
 * ExportTraceServiceResponse in the request's encoding, or for a body that
 * cannot be read a 400 with a google.rpc.Status saying why (exporters do not
 * retry a 400). Each request is handed to `handle` and answered only when it
 * resolves, so a 200 means its spans are kept.
 */
export async function startOtlpReceiver(address: ReceiverAddress, handle: TraceHandler): Promise<OtlpReceiver> {
  const active = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const work = serve(request, response, handle).finally(() => active.delete(work));
    active.add(work);
  });
  await listen(server, address);
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      await Promise.allSettled([...active]);
      server.closeAllConnections();
      await closed;
    },
  };
}

function listen(server: Server, { host, port }: ReceiverAddress): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        fail(
          new TrajlabError("PORT_IN_USE", `cannot listen on ${host}:${port}: the port is in use (another collector or program)`, {
            hint: "stop the program on that port, or choose another with --port (0 picks a free one) and point the app's exporter at it",
          }),
        );
      } else if (error.code === "EADDRNOTAVAIL" || error.code === "EACCES" || error.code === "ENOTFOUND") {
        fail(
          new TrajlabError("CANNOT_LISTEN", `cannot listen on ${host}:${port} (${error.code})`, {
            hint: "give --host an address of this machine (127.0.0.1 by default) and a --port you may use (1024 or above)",
          }),
        );
      } else fail(error);
    });
    server.listen(port, host, () => done());
  });
}

async function serve(request: IncomingMessage, response: ServerResponse, handle: TraceHandler): Promise<void> {
  const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const encoding = type === JSON_TYPE ? "json" : "protobuf";
  try {
    const path = (request.url ?? "").split("?")[0];
    if (path !== "/v1/traces" && path !== "/v1/logs") {
      throw new BadRequest(
        404,
        `${path} is not served here: trajlab collect receives traces at POST /v1/traces and GenAI events at POST /v1/logs`,
      );
    }
    if (request.method !== "POST") throw new BadRequest(405, `${request.method} ${path}: only POST is served`);
    if (type !== JSON_TYPE && type !== PROTOBUF) {
      throw new BadRequest(415, `Content-Type ${type || "(none)"} is not OTLP: send ${PROTOBUF} or ${JSON_TYPE}`);
    }
    const body = decompress(await readBody(request), String(request.headers["content-encoding"] ?? "identity").toLowerCase());
    const logs = path === "/v1/logs";
    const received = encoding === "json" ? parseJson(body, logs) : parseProtobuf(body, logs);
    await handle(received, encoding);
    reply(response, 200, encoding, encoding === "json" ? Buffer.from("{}") : encodeTraceResponse(null));
  } catch (error) {
    if (error instanceof BadRequest) {
      request.resume();
      if (error.status === 405) response.setHeader("Allow", "POST");
      reply(response, error.status, encoding, statusBody(encoding, INVALID_ARGUMENT, error.message));
    } else {
      reply(response, 500, encoding, statusBody(encoding, INTERNAL, `trajlab collect could not keep the spans: ${errorMessage(error)}`));
    }
  }
}

function reply(response: ServerResponse, status: number, encoding: "json" | "protobuf", body: Uint8Array): void {
  response.writeHead(status, { "Content-Type": encoding === "json" ? JSON_TYPE : PROTOBUF, "Content-Length": body.byteLength });
  response.end(body);
}

function statusBody(encoding: "json" | "protobuf", code: number, message: string): Uint8Array {
  return encoding === "json" ? Buffer.from(JSON.stringify({ code, message })) : encodeStatus(code, message);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners("data");
        fail(new BadRequest(413, `the request body is larger than ${MAX_BODY_BYTES} bytes; export smaller batches`));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => done(Buffer.concat(chunks)));
    request.on("error", fail);
  });
}

function decompress(body: Buffer, encoding: string): Buffer {
  try {
    if (encoding === "gzip") return gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
    if (encoding === "deflate") return inflateSync(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    throw new BadRequest(
      tooLarge ? 413 : 400,
      tooLarge
        ? `the request body is larger than ${MAX_BODY_BYTES} bytes uncompressed`
        : `the body is not ${encoding} data (${errorMessage(error)})`,
    );
  }
  if (encoding !== "identity" && encoding !== "")
    throw new BadRequest(415, `Content-Encoding ${encoding} is not served: send gzip or none`);
  return body;
}

function parseJson(body: Buffer, logs: boolean): OtlpRequest {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new BadRequest(400, `the body is not JSON (${errorMessage(error)})`);
  }
  const field = logs ? "resourceLogs" : "resourceSpans";
  if (typeof value === "object" && value !== null && !(field in value)) return logs ? { resourceLogs: [] } : { resourceSpans: [] };
  if (logs ? !isLogsRequest(value) : !isTraceRequest(value))
    throw new BadRequest(
      400,
      `the body is not an ${logs ? "ExportLogsServiceRequest" : "ExportTraceServiceRequest"}: ${field} must be a list`,
    );
  return value as OtlpRequest;
}

function parseProtobuf(body: Buffer, logs: boolean): OtlpRequest {
  try {
    return logs ? decodeLogsRequest(body) : decodeTraceRequest(body);
  } catch (error) {
    throw new BadRequest(
      400,
      `the body is not a protobuf ${logs ? "ExportLogsServiceRequest" : "ExportTraceServiceRequest"} (${errorMessage(error)})`,
    );
  }
}
