import * as z from "zod";
import type { ToolSpec } from "../trajectory/schema.js";
import { ChatLog } from "./chat-log.js";
import { CHAT_MESSAGE_HINT, flaggedToolError, readChatMessages } from "./chat-messages.js";
import type { EffectResolver } from "./effects.js";
import {
  COMPLETED,
  fromEvents,
  invalidInput,
  parseWith,
  recordedOutcome,
  type ConvertedRecord,
  type ImportFormat,
  type ParsedFile,
  type SourceRecord,
} from "./format.js";

const ToolSchemaSchema = z.looseObject({
  type: z.string().optional(),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/** A conversation: its messages, and optionally the tools it offered, its model and metadata. */
const ConversationSchema = z.looseObject({
  messages: z.array(z.unknown()),
  tools: z.array(ToolSchemaSchema).nullish(),
  model: z.string().nullish(),
  id: z.union([z.string(), z.number()]).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

const HINT = `a conversation is a list of messages or { messages: [...], tools?, model?, metadata? }; ${CHAT_MESSAGE_HINT}`;

/** True for an array that is one conversation's messages rather than a list of conversations. */
function isMessageList(value: unknown[]): boolean {
  return value.length > 0 && value.every((item) => typeof item === "object" && item !== null && !Array.isArray(item) && "role" in item);
}

/**
 * OpenAI chat-completions logs: a JSON array of conversations, a JSON object
 * holding one, or JSON Lines with one per line. A conversation is its list of
 * messages or `{ messages, tools, model, metadata }` (the fine-tuning and
 * request shape). Metadata a trajectory uses when present: `scenario_id` or
 * `task_id`, `trial`, `seed`, `domain`, `model`, `agent`, and `pass`,
 * `reward` or `score` for the outcome; all of it is kept in the provenance.
 */
export const openaiFormat: ImportFormat = {
  id: "openai",
  records(file: ParsedFile): SourceRecord[] {
    if (file.kind === "jsonl") return file.lines.map(({ line, value }, index) => ({ value, index, line, pointer: "" }));
    const { value } = file;
    if (Array.isArray(value) && !isMessageList(value))
      return value.map((item, index) => ({ value: item, index, line: null, pointer: `/${index}` }));
    return [{ value, index: 0, line: null, pointer: "" }];
  },
  convert(record, { effects, options }): ConvertedRecord {
    const conversation = parseWith(ConversationSchema, Array.isArray(record.value) ? { messages: record.value } : record.value, "", HINT);
    // A bare list of messages has no wrapper: the messages are the record itself.
    const messagesAt = Array.isArray(record.value) ? "" : "/messages";
    if (conversation.messages.length === 0) invalidInput(messagesAt, "the conversation has no messages", HINT);
    const metadata = conversation.metadata ?? {};
    const text = (key: string): string | undefined => (typeof metadata[key] === "string" ? (metadata[key] as string) : undefined);
    const number = (key: string): number | undefined => (typeof metadata[key] === "number" ? (metadata[key] as number) : undefined);
    const flag = (key: string): boolean | undefined => (typeof metadata[key] === "boolean" ? (metadata[key] as boolean) : undefined);
    const model = options.model ?? conversation.model ?? text("model") ?? null;
    // The agent that speaks first owns the log's events; metadata's `agent` (a builder id such as react) names the trajectory's agent.
    const rootAgent = options.agent ?? firstSpeaker(conversation.messages) ?? text("agent") ?? "assistant";
    const log = new ChatLog({ rootAgent, effects });
    readChatMessages(conversation.messages, messagesAt, log, { model, toolError: flaggedToolError });
    const events = log.events();
    const domain = options.domain ?? text("domain") ?? "openai";
    const originalId = conversation.id === null || conversation.id === undefined ? null : String(conversation.id);
    const scenario = text("scenario_id") ?? stringOrNumber(metadata.task_id) ?? originalId ?? `conversation-${record.index}`;
    const trial = number("trial");
    return {
      scenarioId: `${domain}.${scenario}`,
      domain,
      agent: options.agent ?? text("agent") ?? rootAgent,
      model,
      trial: trial !== undefined && Number.isInteger(trial) && trial >= 0 ? trial : 0,
      seed: Number.isInteger(number("seed")) ? number("seed")! : null,
      startedAt: null,
      endedAt: null,
      durationMs: null,
      termination: COMPLETED,
      tools: conversation.tools ? conversation.tools.map((tool) => toolSpec(tool.function, effects)) : null,
      ...fromEvents(events),
      environment: null,
      outcome: recordedOutcome(flag("pass") ?? flag("passed") ?? flag("success"), number("reward") ?? number("score"), "reward"),
      reference: null,
      originalId,
      metadata: { ...metadata, ...(originalId !== null ? { id: originalId } : {}) },
    };
  },
};

/** The first assistant message's `name`: the agent the log starts with. */
function firstSpeaker(messages: readonly unknown[]): string | undefined {
  for (const message of messages) {
    const { role, name } = (message ?? {}) as { role?: unknown; name?: unknown };
    if (role === "assistant") return typeof name === "string" && name !== "" ? name : undefined;
  }
  return undefined;
}

function stringOrNumber(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** A tool schema from the log's `tools`, with its effect resolved. */
export function toolSpec(
  fn: { name: string; description?: string | null; parameters?: Record<string, unknown> | null },
  effects: EffectResolver,
): ToolSpec {
  const { effect, effectSource } = effects(fn.name);
  return { name: fn.name, description: fn.description ?? null, effect, effectSource, parameters: fn.parameters ?? null };
}
