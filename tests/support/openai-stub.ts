import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat message as the OpenAI chat-completions API carries it. */
export interface StubMessage {
  role: "system" | "user" | "assistant" | "tool" | "developer";
  content: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  name?: string;
}

/** The request body of `POST /v1/chat/completions`, as far as the stub reads it. */
export interface StubRequest {
  model: string;
  messages: StubMessage[];
  tools?: Array<{ type: "function"; function: { name: string; description?: string; parameters?: unknown } }>;
  stream?: boolean;
  temperature?: number;
}

/** What the scripted model answers: text, tool calls, or both; or a failure, as a busy or broken provider gives. */
export interface StubReply {
  content?: string;
  toolCalls?: Array<{ name: string; args: Record<string, unknown> }>;
  /** Answer with this HTTP status and an error body instead (429, 500, 503, ...), with a Retry-After header if given. */
  fail?: { status: number; retryAfter?: string; message?: string };
  /** Drop the connection without answering (what a connection reset looks like to the client). */
  reset?: boolean;
  /** Wait this long before answering: a slow model, or (longer than the client waits) a timeout. */
  delayMs?: number;
}

/** A running stub server. */
export interface OpenAIStub {
  /** Base URL to use as OPENAI_BASE_URL, e.g. `http://127.0.0.1:40123/v1`. */
  readonly baseURL: string;
  /** Every chat-completions request received, in order. */
  readonly requests: StubRequest[];
  /** Requests it is answering now. */
  readonly inFlight: number;
  /** The most requests it was answering at once since it started (or since {@link resetMaxInFlight}). */
  readonly maxInFlight: number;
  /** Starts counting {@link maxInFlight} afresh from the requests in flight now. */
  resetMaxInFlight(): void;
  close(): Promise<void>;
}

/**
 * Starts an OpenAI-compatible chat-completions server on 127.0.0.1 (random
 * port) whose replies come from `reply`. Every response gets a unique id (the
 * id becomes the AIMessage id, and LangGraph's message reducer replaces
 * messages that share one). Supports plain and streamed (SSE) responses, and
 * the failures of a real provider: error statuses with Retry-After, dropped
 * connections and slow answers.
 */
export async function startOpenAIStub(reply: (request: StubRequest) => StubReply): Promise<OpenAIStub> {
  const requests: StubRequest[] = [];
  let counter = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "stub-model", object: "model" }] }));
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as StubRequest;
    requests.push(body);
    const answer = reply(body);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await answerWith(answer, body, res, req);
    } finally {
      inFlight -= 1;
    }
  }

  async function answerWith(answer: StubReply, body: StubRequest, res: ServerResponse, req: IncomingMessage): Promise<void> {
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.reset) {
      req.socket.destroy();
      return;
    }
    if (answer.fail) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (answer.fail.retryAfter !== undefined) headers["retry-after"] = answer.fail.retryAfter;
      res.writeHead(answer.fail.status, headers);
      res.end(JSON.stringify({ error: { message: answer.fail.message ?? `stub failure ${answer.fail.status}`, type: "stub_error" } }));
      return;
    }
    counter += 1;
    const id = `chatcmpl-stub-${counter}`;
    const toolCalls = (answer.toolCalls ?? []).map((call, index) => ({
      id: `call_stub_${counter}_${index}`,
      type: "function" as const,
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    }));
    const promptTokens = JSON.stringify(body.messages).length >> 2;
    const completionTokens = ((answer.content ?? "").length + JSON.stringify(toolCalls).length) >> 2;
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const finish = toolCalls.length > 0 ? "tool_calls" : "stop";
    const created = Math.floor(Date.now() / 1000);
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (delta: unknown, finishReason: string | null, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
      res.write(chunk({ role: "assistant", content: answer.content ?? "" }, null));
      toolCalls.forEach((call, index) => res.write(chunk({ tool_calls: [{ index, ...call }] }, null)));
      res.write(chunk({}, finish, { usage }));
      res.end("data: [DONE]\n\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: answer.content ?? (toolCalls.length > 0 ? null : ""),
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: finish,
          },
        ],
        usage,
      }),
    );
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    resetMaxInFlight() {
      maxInFlight = inFlight;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Text of a stub message's content. */
export function stubText(message: StubMessage): string {
  if (typeof message.content === "string") return message.content;
  return (message.content ?? []).map((part) => part.text ?? "").join("");
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
