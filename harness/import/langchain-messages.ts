import { parseArgs } from "../recorder/callback-values.js";
import type { TokenUsage } from "../trajectory/schema.js";
import { counted } from "../trajectory/usage.js";
import { contentText } from "./format.js";

/**
 * Chat messages as LangChain serialises them, which is how LangSmith stores
 * a run's inputs and outputs and how OpenInference writes `input.value` /
 * `output.value`: the constructor form `{ lc: 1, type: "constructor", id:
 * [..., "AIMessage"], kwargs: { content, tool_calls, ... } }`, the dict form
 * `{ type: "ai", data: { ... } }` (Python's messages_to_dict), the flat form
 * `{ type: "ai", content, ... }`, and OpenAI's `{ role, content, tool_calls }`.
 */

/** A chat message read from a log, whatever its convention. */
export interface LoggedMessage {
  /** system, user, assistant or tool; "" when the source gave a role trajlab does not know. */
  readonly role: string;
  readonly text: string;
  /** The speaker's name (an agent's, for assistant messages that carry one). */
  readonly name: string | null;
  readonly toolCalls: ReadonlyArray<{ id: string | null; name: string; args: Record<string, unknown> }>;
  /** For a tool message, the call it answers. */
  readonly toolCallId: string | null;
  /** For a tool message, true when it reports a failure (`status: "error"`). */
  readonly failed?: boolean;
  /** Token counts an assistant message carries (`usage_metadata`). */
  readonly usage?: TokenUsage;
  /** The model an assistant message names (`response_metadata.model_name`). */
  readonly model?: string | null;
  readonly finishReason?: string | null;
}

type Json = Record<string, unknown>;

const ROLES: Record<string, string> = {
  human: "user",
  humanmessage: "user",
  humanmessagechunk: "user",
  user: "user",
  ai: "assistant",
  aimessage: "assistant",
  aimessagechunk: "assistant",
  assistant: "assistant",
  system: "system",
  systemmessage: "system",
  systemmessagechunk: "system",
  developer: "system",
  tool: "tool",
  toolmessage: "tool",
  toolmessagechunk: "tool",
  function: "tool",
  functionmessage: "tool",
};

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** A JSON string parsed, or the value itself when it is not one. */
export function parsedJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * A tool's result text as a log holds it. Text is kept verbatim (a JSON
 * result is never parsed and written again, which would change its
 * spacing, key order or numbers); only a value LangChain serialised is
 * unwrapped: a ToolMessage (its content and call id), or with `wrapped`,
 * the `{ output }` a LangChain run's outputs put around it (LangSmith,
 * OpenInference's `output.value`). A value that is no text is written as JSON.
 */
export function loggedToolOutput(value: unknown, { wrapped }: { wrapped: boolean }): { text: string; toolCallId: string | null } {
  const parsed = parsedJson(value);
  // The tool's output as the log holds it: inside the run's { output }, or the value itself.
  const raw = wrapped && isObject(parsed) && "output" in parsed ? parsed.output : value;
  const read = parsedJson(raw);
  const message = wrapped || isSerialised(read) ? readLoggedMessage(read) : null;
  if (message?.role === "tool") return { text: message.text, toolCallId: message.toolCallId };
  if (typeof raw === "string") return { text: raw, toolCallId: null };
  return { text: raw === undefined || raw === null ? "" : (JSON.stringify(raw) ?? ""), toolCallId: null };
}

/** LangChain's own serialised forms (`{ lc: 1, type: "constructor", ... }`, `{ type, data }`), as opposed to any JSON a tool returns. */
function isSerialised(value: unknown): boolean {
  return isObject(value) && ((value.lc === 1 && isObject(value.kwargs)) || (typeof value.type === "string" && isObject(value.data)));
}

/** One message in any of the conventions above, or null when the value is none of them. */
export function readLoggedMessage(value: unknown): LoggedMessage | null {
  if (!isObject(value)) return null;
  let fields: Json;
  let kind: string | null;
  if (value.lc === 1 && Array.isArray(value.id) && isObject(value.kwargs)) {
    fields = value.kwargs;
    kind = String(value.id.at(-1) ?? "");
  } else if (typeof value.type === "string" && isObject(value.data)) {
    fields = value.data;
    kind = value.type;
  } else if (typeof value.type === "string" && ("content" in value || "tool_calls" in value)) {
    fields = value;
    kind = value.type;
  } else if (typeof value.role === "string") {
    fields = value;
    kind = value.role;
  } else return null;
  // A ChatMessage names its role itself.
  const role = ROLES[kind.toLowerCase()] ?? ROLES[String(fields.role ?? "").toLowerCase()] ?? "";
  const response = isObject(fields.response_metadata) ? fields.response_metadata : {};
  const usage = isObject(fields.usage_metadata) ? fields.usage_metadata : null;
  return {
    role,
    text: contentText(fields.content),
    name: text(fields.name),
    toolCalls: toolCallsOf(fields),
    toolCallId: text(fields.tool_call_id),
    ...(role === "tool" ? { failed: fields.status === "error" } : {}),
    ...(usage
      ? {
          usage: counted("provider", numberOr(usage.input_tokens), numberOr(usage.output_tokens), numberOr(usage.total_tokens)),
        }
      : {}),
    ...(role === "assistant"
      ? {
          model: text(response.model_name) ?? text(response.model),
          finishReason: text(response.finish_reason) ?? text(response.stop_reason),
        }
      : {}),
  };
}

const numberOr = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/** LangChain's `tool_calls` (`{ id, name, args }`), else OpenAI's (`{ id, function: { name, arguments } }`), also under `additional_kwargs`. */
function toolCallsOf(fields: Json): LoggedMessage["toolCalls"] {
  const additional = isObject(fields.additional_kwargs) ? fields.additional_kwargs : {};
  const list = [fields.tool_calls, additional.tool_calls].find((calls) => Array.isArray(calls) && calls.length > 0);
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).flatMap((call) => {
    const fn = isObject(call.function) ? call.function : null;
    const name = text(call.name) ?? text(fn?.name);
    if (name === null) return [];
    const args = call.args ?? fn?.arguments;
    return [{ id: text(call.id), name, args: isObject(args) ? args : typeof args === "string" && args !== "" ? parseArgs(args) : {} }];
  });
}

/**
 * The messages of a chat model's input as LangChain logs it: `{ messages:
 * [[...]] }` (one list per prompt; the first is read), `{ messages: [...] }`,
 * or a bare list. Null when the value holds no messages in a known form.
 */
export function loggedPrompt(value: unknown): LoggedMessage[] | null {
  const parsed = parsedJson(value);
  const container = isObject(parsed) ? (parsed.messages ?? parsed.input) : parsed;
  const list = Array.isArray(container) && Array.isArray(container[0]) ? container[0] : container;
  if (!Array.isArray(list) || list.length === 0) return null;
  const messages = list.map(readLoggedMessage);
  return messages.every((message): message is LoggedMessage => message !== null) ? messages : null;
}

/**
 * The reply of a chat model as LangChain logs it: `{ generations: [[{
 * message }]] }` (an LLMResult), OpenAI's `{ choices: [{ message }] }`, or a
 * message itself. Token counts the result carries beside the message
 * (`llm_output.token_usage`, OpenAI's `usage`) fill in what the message lacks.
 */
export function loggedReply(value: unknown): LoggedMessage | null {
  const parsed = parsedJson(value);
  if (!isObject(parsed)) return null;
  const generations = Array.isArray(parsed.generations) ? parsed.generations : null;
  const first = generations ? (Array.isArray(generations[0]) ? generations[0][0] : generations[0]) : null;
  const choices = Array.isArray(parsed.choices) ? parsed.choices : null;
  const candidate = isObject(first)
    ? (first.message ?? { type: "ai", content: first.text ?? "" })
    : isObject(choices?.[0])
      ? choices[0].message
      : parsed;
  const message = readLoggedMessage(candidate);
  if (message === null) return null;
  if (message.usage && message.usage.source !== "unknown") return message;
  const llmOutput = isObject(parsed.llm_output) ? parsed.llm_output : isObject(parsed.llmOutput) ? parsed.llmOutput : {};
  const tokens = [llmOutput.token_usage, llmOutput.tokenUsage, parsed.usage].find(isObject);
  if (!tokens) return message;
  const usage = counted(
    "provider",
    numberOr(tokens.prompt_tokens ?? tokens.promptTokens ?? tokens.input_tokens),
    numberOr(tokens.completion_tokens ?? tokens.completionTokens ?? tokens.output_tokens),
    numberOr(tokens.total_tokens ?? tokens.totalTokens),
  );
  return { ...message, usage };
}
