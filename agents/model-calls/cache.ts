import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { BindToolsInput } from "@langchain/core/language_models/chat_models";

/** What decides a model's reply, and so keys the cache: nothing else (message ids, timing) takes part. */
export interface CallKey {
  /** The model spec, e.g. `openai:gpt-4o-mini`. */
  readonly spec: string;
  /** The server it is asked on (an OpenAI-compatible server's base URL), or null for the provider's own. */
  readonly server: string | null;
  /** The model's request parameters (model name, temperature, limits, ...), secrets left out. */
  readonly parameters: Record<string, unknown>;
  readonly messages: readonly BaseMessage[];
  readonly tools: readonly BindToolsInput[];
  /** Call options that shape the reply, such as tool_choice. */
  readonly options: Record<string, unknown>;
}

/** A reply as the cache keeps it: what the recorder and the agent read from a model's message. */
interface CachedReply {
  readonly content: AIMessage["content"];
  readonly toolCalls: NonNullable<AIMessage["tool_calls"]>;
  readonly usage: AIMessage["usage_metadata"] | null;
  readonly responseMetadata: Record<string, unknown>;
  readonly id: string | null;
}

const SECRET = /api_?key|secret|authori[sz]ation|password/i;

/** The key's text: the fields in a fixed order, messages by role, content and tool calls, tools as JSON Schema. */
function keyText(key: CallKey): string {
  const parameters = Object.fromEntries(
    Object.entries(key.parameters).filter(([name, value]) => !SECRET.test(name) && value !== undefined),
  );
  const messages = key.messages.map((message) => {
    const fields = message as BaseMessage & { tool_calls?: unknown; tool_call_id?: string };
    return [message.getType(), message.content, fields.tool_calls ?? null, fields.tool_call_id ?? null, message.name ?? null];
  });
  const tools = key.tools.map((tool) => {
    try {
      return convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]);
    } catch {
      return tool;
    }
  });
  return JSON.stringify([1, key.spec, key.server, parameters, messages, tools, key.options]);
}

/**
 * Replies of real models, one JSON file each under `dir`, named by a SHA-256
 * of what decides the reply (model, server, parameters, messages, tools), so
 * a rerun of an unchanged suite asks the provider nothing and gets the same
 * replies. Files are written aside and renamed, so a reader never sees half
 * of one and concurrent runs can share the folder.
 */
export class ModelCallCache {
  constructor(readonly dir: string) {}

  /** The cache key of a call. */
  keyOf(key: CallKey): string {
    return createHash("sha256").update(keyText(key)).digest("hex");
  }

  /** The reply cached under `hash`, as a fresh message; undefined when there is none (or it cannot be read). */
  get(hash: string): AIMessage | undefined {
    const file = this.fileOf(hash);
    if (!existsSync(file)) return undefined;
    let reply: CachedReply;
    try {
      reply = JSON.parse(readFileSync(file, "utf8")) as CachedReply;
    } catch {
      // A damaged entry is a miss: the call is made again and the entry rewritten.
      return undefined;
    }
    return new AIMessage({
      content: reply.content,
      tool_calls: reply.toolCalls,
      ...(reply.id ? { id: reply.id } : {}),
      ...(reply.usage ? { usage_metadata: reply.usage } : {}),
      response_metadata: reply.responseMetadata,
    });
  }

  /** Keeps a reply under `hash`. */
  put(hash: string, message: BaseMessage): void {
    const ai = message as AIMessage;
    const reply: CachedReply = {
      content: ai.content,
      toolCalls: ai.tool_calls ?? [],
      usage: ai.usage_metadata ?? null,
      responseMetadata: { ...(ai.response_metadata ?? {}) },
      id: ai.id ?? null,
    };
    const file = this.fileOf(hash);
    mkdirSync(dirname(file), { recursive: true });
    const aside = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(aside, `${JSON.stringify(reply)}\n`);
    renameSync(aside, file);
  }

  private fileOf(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }
}
