import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import { UNKNOWN_USAGE, type RequestedToolCall, type TokenUsage } from "../trajectory/schema.js";
import { counted } from "../trajectory/usage.js";

/**
 * How the recorder reads the values LangChain callbacks hand it: messages and
 * their text, the keys a message is recognised by when it reappears in a
 * prompt, token usage, tool arguments and results, and which errors are
 * control flow rather than failures.
 */

const CONTROL_FLOW_ERRORS = new Set(["ParentCommand", "GraphBubbleUp", "GraphInterrupt", "NodeInterrupt"]);

/** A tool message as callbacks pass it (its class may come from another copy of LangChain). */
export interface ToolMessageLike extends BaseMessage {
  tool_call_id: string;
  status?: "success" | "error";
}

/** The value as a tool message, if it is one. */
export function asToolMessage(value: unknown): ToolMessageLike | undefined {
  const candidate = value as { getType?: () => string } | null;
  if (candidate && typeof candidate.getType === "function" && candidate.getType() === "tool") return value as ToolMessageLike;
  return undefined;
}

/** Tool messages anywhere in a node's output: `{messages}`, arrays, Commands' updates. */
export function toolMessagesIn(output: unknown, depth = 0, found: ToolMessageLike[] = []): ToolMessageLike[] {
  if (depth > 4 || output === null || typeof output !== "object") return found;
  const direct = asToolMessage(output);
  if (direct) {
    found.push(direct);
  } else if (Array.isArray(output)) {
    for (const item of output) toolMessagesIn(item, depth + 1, found);
  } else {
    const record = output as Record<string, unknown>;
    toolMessagesIn(record.messages, depth + 1, found);
    toolMessagesIn(record.update, depth + 1, found);
    toolMessagesIn(record.output, depth + 1, found);
  }
  return found;
}

/** Keys under which a message can be recognised when it reappears in a later prompt. */
export function fingerprints(message: BaseMessage): string[] {
  const type = message.getType();
  if (type === "tool") return [`tool:${(message as ToolMessageLike).tool_call_id}`];
  const keys: string[] = [];
  if (message.id) keys.push(`id:${message.id}`);
  if (type === "ai") {
    const calls = ((message as { tool_calls?: RequestedToolCall[] }).tool_calls ?? []).map((c) => c.id).join(",");
    keys.push(`ai:${calls}:${textOf(message)}`);
  } else {
    keys.push(`${type}:${textOf(message)}`);
  }
  return keys;
}

/**
 * Token usage of a model reply: its usage metadata, else the legacy llmOutput
 * counts. Counts a policy model estimated stay marked `estimated`; a reply
 * with no counts at all is `unknown`, never zero.
 */
export function usageOf(
  message: { usage_metadata?: Record<string, number>; response_metadata?: Record<string, unknown> } | undefined,
  output: LLMResult,
): TokenUsage {
  const usage = message?.usage_metadata;
  const source = message?.response_metadata?.usage_estimated === true ? "estimated" : "provider";
  if (usage) return counted(source, usage.input_tokens, usage.output_tokens, usage.total_tokens);
  const legacy = (output.llmOutput?.tokenUsage ?? {}) as Record<string, number | undefined>;
  if (legacy.promptTokens === undefined && legacy.completionTokens === undefined && legacy.totalTokens === undefined) {
    return { ...UNKNOWN_USAGE };
  }
  return counted(source, legacy.promptTokens, legacy.completionTokens, legacy.totalTokens);
}

/** The text of a message, with non-text content parts left out. */
export function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part === "string" ? part : part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("");
}

/** Tool input as callbacks give it (a JSON string) back to an arguments object. */
export function parseArgs(input: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(input);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    return { input: parsed };
  } catch {
    return { input };
  }
}

/** A tool result as JSON when it is JSON, else the text itself. */
export function parseResult(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The name of a serialized runnable (tool or model). */
export function serializedName(serialized: Serialized): string {
  const withName = serialized as { name?: string; id?: string[] };
  return withName.name ?? withName.id?.at(-1) ?? "unknown";
}

/** True for LangGraph signals (a Command to the parent graph, interrupts) that are not failures. */
export function isControlFlow(error: unknown): boolean {
  return error instanceof Error && CONTROL_FLOW_ERRORS.has(error.name);
}

/** The message of anything thrown. */
/** The agent-facing wording of rejected calls carries a stack trace; keep the message. */
export function firstParagraph(text: string): string {
  const cut = text.indexOf("\n    at ");
  return (cut === -1 ? text : text.slice(0, cut)).trim();
}

/** Milliseconds rounded to the microsecond. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
