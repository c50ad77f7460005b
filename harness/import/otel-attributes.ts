import { parseArgs } from "../recorder/callback-values.js";
import type { TokenUsage } from "../trajectory/schema.js";
import { counted } from "../trajectory/usage.js";
import { loggedPrompt, loggedReply, loggedToolOutput, parsedJson, type LoggedMessage } from "./langchain-messages.js";
import type { OtelSpan } from "./otlp.js";

/**
 * Reading spans the way the two conventions for AI agents write them: the
 * OpenTelemetry GenAI semantic conventions (`gen_ai.operation.name`:
 * `invoke_agent`, `chat`, `execute_tool`; `gen_ai.input.messages` /
 * `gen_ai.output.messages` as JSON parts; the older flattened
 * `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`) and OpenInference
 * (`openinference.span.kind`: AGENT, LLM, TOOL; `llm.input_messages.N.message.*`,
 * `tool.name`, `input.value` / `output.value`).
 */

/** What a span stands for in a trajectory. */
export type SpanRole = "agent" | "llm" | "tool" | "other";

/** A chat message in either convention, normalised. */
export type SpanMessage = LoggedMessage;

const LLM_OPERATIONS = new Set(["chat", "generate_content", "text_completion"]);

/** The span's part in the trajectory. */
export function roleOf(span: OtelSpan): SpanRole {
  const operation = span.attributes["gen_ai.operation.name"];
  const kind = span.attributes["openinference.span.kind"];
  if (operation === "invoke_agent" || kind === "AGENT") return "agent";
  if ((typeof operation === "string" && LLM_OPERATIONS.has(operation)) || kind === "LLM") return "llm";
  if (operation === "execute_tool" || kind === "TOOL") return "tool";
  return "other";
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** An agent span's agent name. */
export function agentNameOf(span: OtelSpan): string {
  return (
    text(span.attributes["gen_ai.agent.name"]) ??
    text(span.attributes["agent.name"]) ??
    (span.name.replace(/^invoke_agent\s*/, "") || "agent")
  );
}

/** The model an LLM span names: the response's, else the request's. */
export function modelOf(span: OtelSpan): string | null {
  const a = span.attributes;
  return text(a["gen_ai.response.model"]) ?? text(a["gen_ai.request.model"]) ?? text(a["llm.model_name"]);
}

/** Token counts an LLM span carries, from the provider as far as the span says; unknown without any. */
export function usageOf(span: OtelSpan): TokenUsage {
  const a = span.attributes;
  const number = (...keys: string[]): number | undefined => {
    for (const key of keys) if (typeof a[key] === "number" && Number.isFinite(a[key])) return a[key] as number;
    return undefined;
  };
  return counted(
    "provider",
    number("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"),
    number("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"),
    number("llm.token_count.total"),
  );
}

/** Metadata an OpenInference span carries as a JSON string (LangChain's run metadata: langgraph_node, lc_agent_name, ...). */
export function metadataOf(span: OtelSpan): Record<string, unknown> {
  const value = parsedJson(span.attributes.metadata);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The messages of an LLM span's prompt (`input`) or reply (`output`), in either convention. */
export function messagesOf(span: OtelSpan, side: "input" | "output"): SpanMessage[] {
  const a = span.attributes;
  const structured = parsedJson(a[side === "input" ? "gen_ai.input.messages" : "gen_ai.output.messages"]);
  if (Array.isArray(structured)) {
    const system = side === "input" ? parsedJson(a["gen_ai.system_instructions"]) : null;
    const instructions = Array.isArray(system) ? [{ role: "system", parts: system }] : [];
    return [...instructions, ...structured].map(fromParts);
  }
  // OpenInference's LangChain spans keep the messages as LangChain serialised them: whole, where the flattened attributes drop content parts and tool calls.
  const serialised = side === "input" ? loggedPrompt(a["input.value"]) : [loggedReply(a["output.value"])].filter((m) => m !== null);
  if (serialised && serialised.length > 0) return serialised;
  const openinference = indexed(a, side === "input" ? "llm.input_messages." : "llm.output_messages.");
  if (openinference.length > 0) return openinference.map((fields) => fromFlat(fields, "message."));
  return indexed(a, side === "input" ? "gen_ai.prompt." : "gen_ai.completion.").map((fields) => fromFlat(fields, ""));
}

/** A GenAI message `{ role, parts: [text | tool_call | tool_call_response] }`. */
function fromParts(message: unknown): SpanMessage {
  const m = (message ?? {}) as { role?: unknown; name?: unknown; parts?: unknown };
  const parts = (Array.isArray(m.parts) ? m.parts : []) as Array<Record<string, unknown>>;
  const texts: string[] = [];
  const toolCalls: Array<SpanMessage["toolCalls"][number]> = [];
  let toolCallId: string | null = null;
  for (const part of parts) {
    if (part.type === "text" && typeof part.content === "string") texts.push(part.content);
    else if (part.type === "tool_call" && typeof part.name === "string")
      toolCalls.push({ id: text(part.id), name: part.name, args: argsOf(part.arguments) });
    else if (part.type === "tool_call_response") {
      toolCallId = text(part.id);
      // `response` in the messages' JSON schema; some examples write `result`.
      const response = part.response ?? part.result;
      texts.push(typeof response === "string" ? response : (JSON.stringify(response) ?? ""));
    }
  }
  return { role: String(m.role ?? ""), text: texts.join(""), name: text(m.name), toolCalls, toolCallId };
}

/** A flattened message: `<prefix>role`, `<prefix>content`, `<prefix>tool_calls.M.…`, `<prefix>tool_call_id`. */
function fromFlat(fields: Record<string, unknown>, prefix: string): SpanMessage {
  const contents = indexed(fields, `${prefix}contents.`)
    .map((part) => part["message_content.text"])
    .filter((part): part is string => typeof part === "string");
  const calls = indexed(fields, `${prefix}tool_calls.`).map((call) => ({
    id: text(call["tool_call.id"] ?? call.id),
    name: String(call["tool_call.function.name"] ?? call.name ?? ""),
    args: argsOf(call["tool_call.function.arguments"] ?? call.arguments),
  }));
  return {
    role: String(fields[`${prefix}role`] ?? ""),
    text: text(fields[`${prefix}content`]) ?? contents.join(""),
    name: text(fields[`${prefix}name`]),
    toolCalls: calls.filter((call) => call.name !== ""),
    toolCallId: text(fields[`${prefix}tool_call_id`]),
  };
}

/** `{prefix}0.a`, `{prefix}0.b`, `{prefix}1.a` as `[{ a, b }, { a }]`, in index order. */
function indexed(attributes: Readonly<Record<string, unknown>>, prefix: string): Array<Record<string, unknown>> {
  const items = new Map<number, Record<string, unknown>>();
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    const index = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || dot === -1) continue;
    const item = items.get(index) ?? {};
    item[rest.slice(dot + 1)] = value;
    items.set(index, item);
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

/** Tool arguments: an object, or a JSON string parsed the way the recorder parses tool input. */
function argsOf(value: unknown): Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === "string" && value !== "") return parseArgs(value);
  return {};
}

/** A tool span's call: name, the id the model gave it, arguments and result text (verbatim, see {@link loggedToolOutput}). */
export function toolCallOf(span: OtelSpan): { name: string; id: string | null; args: Record<string, unknown>; result: string } {
  const a = span.attributes;
  // The GenAI result is the tool's own output; OpenInference's output.value is the LangChain run's outputs.
  const output =
    a["gen_ai.tool.call.result"] !== undefined
      ? loggedToolOutput(a["gen_ai.tool.call.result"], { wrapped: false })
      : loggedToolOutput(a["output.value"], { wrapped: true });
  return {
    name: text(a["gen_ai.tool.name"]) ?? text(a["tool.name"]) ?? (span.name.replace(/^execute_tool\s*/, "") || "tool"),
    id: text(a["gen_ai.tool.call.id"]) ?? text(a["tool_call.id"]) ?? text(a["tool.id"]) ?? output.toolCallId ?? null,
    args: argsOf(a["gen_ai.tool.call.arguments"] ?? a["input.value"]),
    result: output.text,
  };
}
