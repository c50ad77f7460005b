import { TrajlabError } from "../../../errors/index.js";
import type { GradableTrajectory, ReferencePlan } from "../../trajectory/schema.js";
import type { ToolArgs } from "./tool-args.js";

/**
 * A tool call in an OpenAI chat-format message: `{ function: { name,
 * arguments } }` with arguments as a JSON string, or LangChain's `{ name,
 * args }`.
 */
export type ChatToolCall =
  | { id?: string; type?: string; function: { name: string; arguments: string } }
  | { id?: string; type?: string; name: string; args: ToolArgs };

/** A message in OpenAI chat format, as agentevals accepts it. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: readonly ChatToolCall[] | null;
  tool_call_id?: string;
  name?: string;
}

/** A bare tool call. */
export interface PlainToolCall {
  name: string;
  args: ToolArgs;
}

/**
 * What `matchTrajectory` compares: a trajlab trajectory, a reference plan
 * (`trajectory.reference`), OpenAI chat-format messages (an array or
 * `{ messages }`; LangChain message objects work too), or a bare list of
 * `{ name, args }` calls.
 */
export type MatchInput =
  | GradableTrajectory
  | ReferencePlan
  | readonly ChatMessage[]
  | { readonly messages: readonly ChatMessage[] }
  | readonly PlainToolCall[]
  | readonly unknown[];

/** One tool call, in trajectory order. */
export interface CallRef {
  readonly index: number;
  readonly name: string;
  readonly args: ToolArgs;
  /**
   * The arguments as the JSON text the model sent, when they came as text
   * (OpenAI chat format): two calls with the same text have equal arguments
   * under every built-in mode, without parsing either.
   */
  readonly argsText: string | null;
  /** Event id when the call came from a trajlab trajectory. */
  readonly eventId: string | null;
}

/**
 * Argument texts parsed once for both sides of a comparison: a call and the
 * reference call it repeats usually send the same text.
 */
export class ArgumentTexts {
  private readonly parsed = new Map<string, ToolArgs>();

  /** The arguments a text stands for (parsed the first time that text is read). */
  args(text: string): ToolArgs {
    let args = this.parsed.get(text);
    if (args === undefined) this.parsed.set(text, (args = parseArguments(text)));
    return args;
  }
}

/** A call whose JSON arguments are parsed when first read: most are only compared by their text. */
class TextArgsCall implements CallRef {
  private parsed: ToolArgs | undefined;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly argsText: string,
    private readonly texts: ArgumentTexts,
  ) {}

  get eventId(): null {
    return null;
  }

  get args(): ToolArgs {
    this.parsed ??= this.texts.args(this.argsText);
    return this.parsed;
  }
}

/** One message, for the message-by-message comparison of `strict` mode. */
export interface MessageShape {
  readonly role: string;
  /** Indexes into the call list; null when the message has no `tool_calls` field. */
  readonly calls: readonly number[] | null;
}

/** A match input reduced to its calls (and its messages, when it was messages). */
export interface NormalizedInput {
  readonly kind: "trajectory" | "plan" | "messages" | "calls";
  readonly calls: readonly CallRef[];
  /** Null when the input was not messages, or when the shapes were not asked for. */
  readonly messages: readonly MessageShape[] | null;
}

/**
 * Reduces any accepted input to its tool calls; `side` names it in errors, `texts` parses argument texts;
 * `shapes` keeps each message's shape too (only strict mode compares messages).
 */
export function normalizeInput(
  input: MatchInput | null | undefined,
  side: "actual" | "reference",
  texts: ArgumentTexts,
  shapes: boolean,
): NormalizedInput {
  if (input === null || input === undefined) {
    throw new TrajlabError("NO_TRAJECTORY", `matchTrajectory: the ${side} trajectory is ${String(input)}`, {
      hint:
        side === "reference"
          ? "a trajectory's reference plan is null when its scenario's reference plan fails; run `trajlab check`"
          : "pass a trajectory, a reference plan or an array of messages",
    });
  }
  if (Array.isArray(input)) return fromArray(input, side, texts, shapes);
  const record = input as Record<string, unknown>;
  if (Array.isArray(record.events) && "schemaVersion" in record) return fromTrajectory(input as GradableTrajectory);
  if (Array.isArray(record.messages)) return fromMessages(record.messages, side, texts, shapes);
  if (Array.isArray(record.calls)) return fromCalls(record.calls, "plan", side);
  throw new TrajlabError(
    "BAD_MATCH_INPUT",
    `matchTrajectory: the ${side} value is neither a trajectory, a reference plan nor a list of messages (keys: ${Object.keys(record).slice(0, 6).join(", ")})`,
    {
      hint: "pass a trajlab trajectory, trajectory.reference, an array of OpenAI chat messages, or { messages: [...] }",
    },
  );
}

function fromTrajectory(trajectory: GradableTrajectory): NormalizedInput {
  const calls: CallRef[] = [];
  for (const event of trajectory.events) {
    if (event.kind !== "tool_call") continue;
    calls.push({ index: calls.length, name: event.name, args: event.args, argsText: null, eventId: event.id });
  }
  return { kind: "trajectory", calls, messages: null };
}

function fromArray(items: readonly unknown[], side: string, texts: ArgumentTexts, shapes: boolean): NormalizedInput {
  if (items.length === 0) return { kind: "messages", calls: [], messages: shapes ? [] : null };
  const first = items[0] as Record<string, unknown> | null;
  if (first && typeof first === "object" && !("role" in first) && typeof first.getType !== "function" && "name" in first) {
    return fromCalls(items, "calls", side);
  }
  return fromMessages(items, side, texts, shapes);
}

function fromCalls(items: readonly unknown[], kind: "plan" | "calls", side: string): NormalizedInput {
  const calls = items.map((item, index): CallRef => {
    const call = item as { name?: unknown; args?: unknown };
    if (typeof call?.name !== "string") {
      throw new TrajlabError("BAD_MATCH_INPUT", `matchTrajectory: ${side} call ${index} has no tool name`, {
        hint: "each call needs { name, args }",
      });
    }
    return { index, name: call.name, args: asArgs(call.args), argsText: null, eventId: null };
  });
  return { kind, calls, messages: null };
}

function fromMessages(items: readonly unknown[], side: string, texts: ArgumentTexts, shapes: boolean): NormalizedInput {
  const calls: CallRef[] = [];
  const messages: MessageShape[] | null = shapes ? [] : null;
  for (let position = 0; position < items.length; position++) {
    const message = asChatMessage(items[position], position, side);
    const toolCalls = message.tool_calls;
    if (toolCalls == null) {
      messages?.push({ role: message.role, calls: null });
      continue;
    }
    const own: number[] = [];
    for (let callIndex = 0; callIndex < toolCalls.length; callIndex++) {
      if (messages) own.push(calls.length);
      calls.push(
        toolCallOf(toolCalls[callIndex]!, calls.length, texts) ?? badToolCall(`${side} message ${position}, tool call ${callIndex}`),
      );
    }
    messages?.push({ role: message.role, calls: own });
  }
  return { kind: "messages", calls, messages };
}

const LANGCHAIN_ROLES: Readonly<Record<string, string>> = {
  ai: "assistant",
  human: "user",
  system: "system",
  tool: "tool",
  function: "function",
  developer: "developer",
};

/** A chat message from an OpenAI-format object or a LangChain message instance. */
function asChatMessage(item: unknown, position: number, side: string): ChatMessage {
  const candidate = item as Record<string, unknown> & { getType?: () => string };
  if (candidate && typeof candidate.getType === "function") {
    const type = candidate.getType();
    const calls = candidate.tool_calls as ChatToolCall[] | undefined;
    return { role: LANGCHAIN_ROLES[type] ?? type, tool_calls: calls && calls.length > 0 ? calls : null };
  }
  if (!candidate || typeof candidate !== "object" || typeof candidate.role !== "string") {
    throw new TrajlabError("BAD_MATCH_INPUT", `matchTrajectory: ${side} message ${position} has no "role"`, {
      hint: 'messages look like { role: "assistant", content: "...", tool_calls: [...] }',
    });
  }
  return candidate as unknown as ChatMessage;
}

/** The call a chat-format tool call stands for; null when it names no tool. */
function toolCallOf(raw: ChatToolCall, index: number, texts: ArgumentTexts): CallRef | null {
  // Each field read once: a field that is absent reads as undefined.
  const fn = (raw as { function?: { name: string; arguments: unknown } }).function;
  if (fn && typeof fn === "object") {
    const text = fn.arguments;
    if (typeof text === "string") return new TextArgsCall(index, fn.name, text, texts);
    return { index, name: fn.name, args: asArgs(text), argsText: null, eventId: null };
  }
  const name = (raw as { name?: unknown }).name;
  if (typeof name === "string") return { index, name, args: asArgs((raw as { args?: unknown }).args), argsText: null, eventId: null };
  return null;
}

function badToolCall(where: string): never {
  throw new TrajlabError("BAD_MATCH_INPUT", `matchTrajectory: ${where} has neither function.name nor name`, {
    hint: 'tool calls look like { type: "function", function: { name, arguments: "{...}" } }',
  });
}

/** Arguments as the model sent them; text that is not a JSON object is kept under `input`. */
function parseArguments(text: string): ToolArgs {
  if (text.trim() === "") return {};
  try {
    return asArgs(JSON.parse(text));
  } catch {
    return { input: text };
  }
}

function asArgs(value: unknown): ToolArgs {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as ToolArgs;
  return value === undefined || value === null ? {} : { input: value };
}
