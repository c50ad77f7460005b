import * as z from "zod";
import { parseArgs } from "../recorder/callback-values.js";
import type { TokenUsage } from "../trajectory/schema.js";
import type { ChatLog, RequestedCall } from "./chat-log.js";
import { contentText, parseWith, pointerTo } from "./format.js";

/** A function call as chat completions write it: arguments are a JSON string (some logs keep the object). */
const FunctionSchema = z.object({
  name: z.string().min(1, "a tool call needs the tool's name"),
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});

const ToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().optional(),
  function: FunctionSchema,
});

/** One chat-completions message, as far as trajlab reads it (other fields are kept out of the way). */
export const ChatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(z.unknown())]).nullish(),
  name: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  tool_call_id: z.string().nullish(),
  /** The legacy single function call. */
  function_call: FunctionSchema.nullish(),
  /** LangChain and some SDKs mark failed tool results. */
  status: z.string().nullish(),
  is_error: z.boolean().nullish(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The fix printed for a bad chat message. */
export const CHAT_MESSAGE_HINT =
  'each message is { role: "system"|"user"|"assistant"|"tool", content, ... }; assistant tool_calls are [{ id, type: "function", function: { name, arguments: "<JSON string>" } }], and tool messages name the call they answer with tool_call_id';

/** How one source's chat messages differ: its model, and how it marks a failed tool result. */
export interface ChatReading {
  readonly model: string | null;
  /** Why a tool message is a failure, or null when it is a success. */
  readonly toolError: (message: ChatMessage, content: string) => string | null;
  /** Token usage of an assistant message, when the source records it per message. */
  readonly usage?: (message: ChatMessage) => TokenUsage | undefined;
}

/** A tool message fails when it says so (`status: "error"`, `is_error: true`). */
export function flaggedToolError(message: ChatMessage, content: string): string | null {
  return message.status === "error" || message.is_error === true ? content : null;
}

/** The requested calls of an assistant message, with pointers to each. */
function requestedCalls(message: ChatMessage, pointer: string): RequestedCall[] {
  const calls: RequestedCall[] = (message.tool_calls ?? []).map((call, index) => ({
    id: call.id ?? null,
    name: call.function.name,
    args: argumentsOf(call.function.arguments),
    path: pointerTo(pointer, "tool_calls", index),
  }));
  if (message.function_call) {
    calls.push({
      id: null,
      name: message.function_call.name,
      args: argumentsOf(message.function_call.arguments),
      path: pointerTo(pointer, "function_call"),
    });
  }
  return calls;
}

/** Arguments as an object: a JSON string is parsed the way the recorder parses tool input. */
function argumentsOf(value: string | Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (value === null || value === undefined || value === "") return {};
  return typeof value === "string" ? parseArgs(value) : value;
}

/**
 * Reads a list of chat-completions messages into a {@link ChatLog}: system,
 * developer and user messages as messages, each assistant message as a
 * model call (attributed to its `name` when it has one), tool and legacy
 * function messages as results of the calls they answer.
 */
export function readChatMessages(messages: readonly unknown[], pointer: string, log: ChatLog, reading: ChatReading): void {
  messages.forEach((raw, index) => {
    const at = pointerTo(pointer, index);
    const message = parseWith(ChatMessageSchema, raw, at, CHAT_MESSAGE_HINT);
    const content = contentText(message.content);
    switch (message.role) {
      case "system":
      case "developer":
        log.message("system", content, { path: at, ...(message.name ? { name: message.name } : {}) });
        break;
      case "user":
        log.message("user", content, { path: at, ...(message.name ? { name: message.name } : {}) });
        break;
      case "assistant":
        log.assistant({
          ...(message.name ? { speaker: message.name } : {}),
          content,
          toolCalls: requestedCalls(message, at),
          model: reading.model,
          usage: reading.usage?.(message),
          path: at,
        });
        break;
      case "tool":
      case "function":
        log.toolResult({
          toolCallId: message.tool_call_id ?? null,
          ...(message.name ? { name: message.name } : {}),
          content,
          error: reading.toolError(message, content),
          path: at,
        });
        break;
    }
  });
}
