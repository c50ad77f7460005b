import type { GradableTrajectory } from "../../harness/core.js";
import type { ChatMessage } from "./conversation.js";

/** A tool as TRL's `tools` column and OpenAI's `tools` field both describe it. */
export interface FunctionTool {
  readonly type: "function";
  readonly function: { readonly name: string; readonly description?: string; readonly parameters?: Record<string, unknown> };
}

/** A message in TRL's conversational format (tool calls with arguments as an object). */
export type TrlMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: string;
      tool_calls?: { type: "function"; function: { name: string; arguments: Record<string, unknown> } }[];
    }
  | { role: "tool"; name: string; content: string };

/** A message in OpenAI's chat fine-tuning format (ids, arguments as a JSON string, per-turn weight). */
export type OpenAiMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: string;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
      weight?: 0 | 1;
    }
  | { role: "tool"; tool_call_id: string; content: string };

/**
 * The trajectory's tools as JSON-schema function definitions (what chat
 * templates render and OpenAI expects), without the schema's `$schema` tag.
 * A description or schema the source did not give is left out, never
 * invented; a trajectory that recorded no tool list gets the tools it called,
 * by name.
 */
export function functionTools(trajectory: GradableTrajectory): FunctionTool[] {
  if (trajectory.tools === null) return toolNamesOf(trajectory).map((name) => ({ type: "function", function: { name } }));
  return trajectory.tools.map((tool) => {
    const { $schema: _dialect, ...parameters } = tool.parameters ?? {};
    return {
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description !== null ? { description: tool.description } : {}),
        ...(tool.parameters !== null ? { parameters } : {}),
      },
    };
  });
}

/** The names of the trajectory's tools: its tool list, or the tools it called when it recorded none. */
export function toolNamesOf(trajectory: GradableTrajectory): string[] {
  if (trajectory.tools !== null) return trajectory.tools.map((tool) => tool.name);
  const called = trajectory.events.flatMap((event) =>
    event.kind === "tool_call" ? [event.name] : event.kind === "handoff" && event.toolName ? [event.toolName] : [],
  );
  return [...new Set(called)];
}

/** Messages in TRL's conversational format with tools. */
export function trlMessages(messages: readonly ChatMessage[]): TrlMessage[] {
  return messages.map((message): TrlMessage => {
    switch (message.role) {
      case "system":
      case "user":
        return { role: message.role, content: message.content };
      case "assistant":
        return message.toolCalls.length === 0
          ? { role: "assistant", content: message.content }
          : {
              role: "assistant",
              content: message.content,
              tool_calls: message.toolCalls.map((call) => ({ type: "function", function: { name: call.name, arguments: call.arguments } })),
            };
      case "tool":
        return { role: "tool", name: message.name, content: message.content };
    }
  });
}

/**
 * Messages in OpenAI's chat fine-tuning format. `weightOf` gives an
 * assistant message's weight (1 trains on it, 0 keeps it as context only);
 * without it no weights are written. Tool-call ids are made unique within the
 * example (a model that reused an id gets `<id>-2`, ...), and each tool
 * message answers the id of the call it follows, as OpenAI requires.
 */
export function openAiMessages(messages: readonly ChatMessage[], weightOf?: (message: ChatMessage) => 0 | 1): OpenAiMessage[] {
  const used = new Map<string, number>();
  const current = new Map<string, string>();
  return messages.map((message, index): OpenAiMessage => {
    switch (message.role) {
      case "system":
      case "user":
        return { role: message.role, content: message.content };
      case "assistant": {
        const weight = weightOf ? { weight: weightOf(message) } : {};
        if (message.toolCalls.length === 0) return { role: "assistant", content: message.content, ...weight };
        const tool_calls = message.toolCalls.map((call, at) => {
          const original = call.id || `call_${message.eventId}_${at + 1}`;
          const times = (used.get(original) ?? 0) + 1;
          used.set(original, times);
          const id = times === 1 ? original : `${original}-${times}`;
          current.set(original, id);
          return { id, type: "function" as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
        });
        // Content stays even when empty: chat templates (Qwen's, Llama's) concatenate it and fail on a missing one.
        return { role: "assistant", content: message.content, tool_calls, ...weight };
      }
      case "tool": {
        const original = message.toolCallId || answeredCall(messages, index);
        return { role: "tool", tool_call_id: current.get(original) ?? original, content: message.content };
      }
    }
  });
}

/** The id of the call a tool message without one answers: the nearest assistant call before it with the tool's name. */
function answeredCall(messages: readonly ChatMessage[], index: number): string {
  const tool = messages[index]!;
  for (let i = index - 1; i >= 0; i -= 1) {
    const message = messages[i]!;
    if (message.role !== "assistant") continue;
    const at = message.toolCalls.findIndex((call) => tool.role === "tool" && call.name === tool.name);
    if (at >= 0) return message.toolCalls[at]!.id || `call_${message.eventId}_${at + 1}`;
  }
  return `call_${tool.eventId}`;
}

/** Whether any assistant message asks for more than one tool at once (OpenAI's `parallel_tool_calls`). */
export function hasParallelCalls(messages: readonly ChatMessage[]): boolean {
  return messages.some((message) => message.role === "assistant" && message.toolCalls.length > 1);
}
