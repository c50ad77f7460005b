import * as z from "zod";
import { counted } from "../trajectory/usage.js";
import type { ChatLog, RequestedCall, Timing } from "./chat-log.js";
import type { EffectResolver } from "./effects.js";
import { contentText, parseWith, pointerTo } from "./format.js";

const Tau2ToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).nullish(),
  requestor: z.string().nullish(),
});

const Tau2ToolMessageSchema = z.looseObject({
  role: z.literal("tool"),
  id: z.string().nullish(),
  content: z.string().nullish(),
  requestor: z.string().nullish(),
  error: z.boolean().nullish(),
  timestamp: z.string().nullish(),
});

/** A τ²-bench message: system, assistant, user (who may call tools of their own), tool, or several tool results at once. */
const Tau2MessageSchema = z.looseObject({
  role: z.enum(["system", "assistant", "user", "tool"]),
  content: z.union([z.string(), z.array(z.unknown())]).nullish(),
  tool_calls: z.array(Tau2ToolCallSchema).nullish(),
  timestamp: z.string().nullish(),
  usage: z.looseObject({ prompt_tokens: z.number().int().nullish(), completion_tokens: z.number().int().nullish() }).nullish(),
  generation_time_seconds: z.number().nullish(),
  tool_messages: z.array(z.unknown()).nullish(),
});

const HINT =
  'each τ²-bench message is { role, content, tool_calls: [{ id, name, arguments: {...}, requestor }], timestamp }; tool messages are { role: "tool", id, content, error }';

/** The reading of one simulation's messages: its model, and its start for message times. */
export interface Tau2Reading {
  readonly model: string | null;
  readonly startedMs: number | null;
}

/**
 * Reads τ²-bench messages into a {@link ChatLog}. Times are offsets from the
 * simulation's start: a message's timestamp is when it was made, so a model
 * call starts its generation time earlier (unknown without it); tool results
 * carry no start.
 */
export function readTau2Messages(messages: readonly unknown[], pointer: string, log: ChatLog, reading: Tau2Reading): void {
  const offset = (timestamp: string | null | undefined): number | null => {
    if (!timestamp || reading.startedMs === null) return null;
    const ms = Date.parse(timestamp);
    return Number.isNaN(ms) ? null : Math.max(0, ms - reading.startedMs);
  };
  const toolResult = (raw: unknown, at: string): void => {
    const message = parseWith(Tau2ToolMessageSchema, raw, at, HINT);
    const content = message.content ?? "";
    log.toolResult({ toolCallId: message.id ?? null, content, error: message.error === true ? content : null, path: at });
  };
  messages.forEach((raw, index) => {
    const at = pointerTo(pointer, index);
    const message = parseWith(Tau2MessageSchema, raw, at, HINT);
    const content = contentText(message.content);
    const calls: RequestedCall[] = (message.tool_calls ?? []).map((call, callIndex) => ({
      id: call.id || null,
      name: call.name,
      args: call.arguments ?? {},
      path: pointerTo(at, "tool_calls", callIndex),
    }));
    const made = offset(message.timestamp);
    switch (message.role) {
      case "system":
        log.message("system", content, { path: at, timing: { startMs: made, durationMs: null } });
        break;
      case "user":
        if (content !== "" || calls.length === 0) log.message("user", content, { path: at, timing: { startMs: made, durationMs: null } });
        // The simulated user's own tools (τ²'s telecom domain): calls the user makes, answered like the agent's.
        log.request(calls, "user");
        break;
      case "assistant": {
        const generation = typeof message.generation_time_seconds === "number" ? message.generation_time_seconds * 1000 : null;
        const timing: Timing = {
          startMs: made !== null && generation !== null ? Math.max(0, made - generation) : null,
          durationMs: generation,
        };
        log.assistant({
          content,
          toolCalls: calls,
          model: reading.model,
          usage: message.usage ? counted("provider", message.usage.prompt_tokens, message.usage.completion_tokens, null) : undefined,
          path: at,
          timing,
        });
        break;
      }
      case "tool":
        if (message.tool_messages)
          message.tool_messages.forEach((inner, innerIndex) => toolResult(inner, pointerTo(at, "tool_messages", innerIndex)));
        else toolResult(raw, at);
        break;
    }
  });
}

/** τ² classifies the tools its action checks name (read, write, think): the source's own effect for those tools. */
export function tau2ToolEffects(
  effects: EffectResolver,
  checks: ReadonlyArray<{ action: { name: string }; tool_type?: string | null }>,
): EffectResolver {
  const declared = new Map<string, "read" | "write">();
  for (const check of checks) {
    const type = check.tool_type;
    if (type === "write") declared.set(check.action.name, "write");
    else if (type === "read" || type === "think") declared.set(check.action.name, "read");
  }
  return (name, fromSource) => effects(name, fromSource ?? declared.get(name));
}
