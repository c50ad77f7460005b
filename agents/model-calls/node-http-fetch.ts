import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** Statuses whose response has no body, which a `Response` refuses one for. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * `fetch` over node:http and node:https (Node's keep-alive global agents,
 * which retire a socket before the server's announced keep-alive timeout),
 * for provider SDKs that take a fetch of their own (the openai package does).
 * Node's built-in fetch costs about four times the CPU of node:http for the
 * same small JSON calls, which shows at dozens of calls in flight. The
 * response is what fetch gives: status, headers, and a body that streams for
 * server-sent events and is read whole otherwise, decoded as fetch decodes
 * it (gzip, deflate, br). Aborting the signal rejects
 * with its reason, as fetch does. Whatever this does not handle the same way
 * (a Request object or a streamed request body, a scheme other than http(s),
 * a redirect) goes to the built-in fetch.
 */
export function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  const plainBody = body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
  const url = typeof input === "string" ? new URL(input) : input instanceof URL ? input : null;
  const request = url?.protocol === "https:" ? httpsRequest : url?.protocol === "http:" ? httpRequest : null;
  if (!plainBody || !url || !request) return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  if (body !== undefined && body !== null) headers["content-length"] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    const onAbort = (): void => {
      outgoing.destroy();
      reject(signal!.reason);
    };
    const answer = (response: Response | Promise<Response>): void => {
      signal?.removeEventListener("abort", onAbort);
      resolve(response);
    };
    const outgoing = request(url, { method: init.method ?? "GET", headers }, (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status) && init.redirect !== "manual") {
        incoming.resume();
        answer(fetch(input, init));
        return;
      }
      if (NULL_BODY_STATUSES.has(status)) {
        incoming.resume();
        answer(responseOf(incoming, null, url));
        return;
      }
      const decoded = decodedBody(incoming);
      if ((incoming.headers["content-type"] ?? "").startsWith("text/event-stream")) {
        // The caller reads the events as they come; aborting from now on ends the stream.
        signal?.removeEventListener("abort", onAbort);
        signal?.addEventListener("abort", () => incoming.destroy(signal.reason), { once: true });
        resolve(responseOf(incoming, Readable.toWeb(decoded) as ReadableStream<Uint8Array>, url));
        return;
      }
      const chunks: Buffer[] = [];
      decoded.on("data", (chunk: Buffer) => chunks.push(chunk));
      decoded.on("end", () => answer(responseOf(incoming, Buffer.concat(chunks), url)));
      decoded.on("error", reject);
      // A connection that drops mid-body ends the message without its end.
      incoming.on("close", () => {
        if (!incoming.complete) reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
      });
    });
    outgoing.on("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
    outgoing.end(body ?? undefined);
  });
}

/** The response's body as a stream of its bytes, decoded from its content-encoding. */
function decodedBody(incoming: IncomingMessage): Readable {
  const encoding = (incoming.headers["content-encoding"] ?? "").trim().toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "deflate"
        ? createInflate()
        : encoding === "br"
          ? createBrotliDecompress()
          : null;
  if (!decoder) return incoming;
  incoming.on("error", (error) => decoder.destroy(error));
  return incoming.pipe(decoder);
}

function responseOf(incoming: IncomingMessage, body: ConstructorParameters<typeof Response>[0], url: URL): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const response = new Response(body, { status: incoming.statusCode, statusText: incoming.statusMessage, headers });
  // fetch's responses say where they came from; the SDK logs it.
  Object.defineProperty(response, "url", { value: url.href });
  return response;
}
