import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHttpFetch } from "../../agents/model-calls/node-http-fetch.js";

/** A server with one route per behaviour a provider's server can show. */
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  "/echo": (req, res, body) => {
    res.writeHead(201, { "content-type": "application/json", "x-request-id": "req-1" });
    res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
  },
  "/gzip": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipSync(JSON.stringify({ zipped: "ü".repeat(2000) })));
  },
  "/events": (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: one\n\n");
    setTimeout(() => res.end("data: two\n\n"), 20);
  },
  "/empty": (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  "/moved": (_req, res) => {
    res.writeHead(307, { location: "/echo" });
    res.end();
  },
  "/slow": (_req, res) => {
    setTimeout(() => res.end("late"), 5_000).unref();
  },
  "/reset": (req) => req.socket.destroy(),
  "/cut": (req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
    res.write('{"partial":');
    setTimeout(() => req.socket.destroy(), 20);
  },
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => routes[req.url ?? ""]!(req, res, Buffer.concat(chunks).toString("utf8")));
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("nodeHttpFetch", () => {
  it("gives what fetch gives for a JSON call: status, headers, body and url", async () => {
    const init = { method: "POST", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: '{"é":1}' };
    const [ours, theirs] = await Promise.all([nodeHttpFetch(`${base}/echo`, init), fetch(`${base}/echo`, init)]);
    expect(ours.status).toBe(201);
    expect(ours.ok).toBe(theirs.ok);
    expect(ours.headers.get("x-request-id")).toBe("req-1");
    expect(ours.url).toBe(theirs.url);
    expect(await ours.json()).toEqual(await theirs.json());
  });

  it("decodes a gzip body, streams server-sent events, and gives no body for 204", async () => {
    expect(await (await nodeHttpFetch(new URL(`${base}/gzip`))).json()).toEqual({ zipped: "ü".repeat(2000) });
    const events = await nodeHttpFetch(`${base}/events`);
    const reader = events.body!.getReader();
    const first = await reader.read();
    // The first event arrives before the server has written the second.
    expect(new TextDecoder().decode(first.value)).toBe("data: one\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("data: two\n\n");
    const empty = await nodeHttpFetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it("follows a redirect as fetch does", async () => {
    const moved = await nodeHttpFetch(`${base}/moved`, { method: "POST", body: "again" });
    expect(moved.status).toBe(201);
    expect(await moved.json()).toMatchObject({ method: "POST", body: "again" });
  });

  it("rejects with the signal's reason when it aborts, before or during the call", async () => {
    const reason = new DOMException("stopped", "AbortError");
    await expect(nodeHttpFetch(`${base}/echo`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const controller = new AbortController();
    const call = nodeHttpFetch(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(call).rejects.toBe(reason);
  });

  it("rejects with a connection error when the server drops the connection, before or during the body", async () => {
    await expect(nodeHttpFetch(`${base}/reset`, { method: "POST", body: "{}" })).rejects.toMatchObject({ code: "ECONNRESET" });
    await expect(nodeHttpFetch(`${base}/cut`)).rejects.toMatchObject({ code: "ECONNRESET" });
  });
});
