import type { ChatLog } from "./chat-log.js";
import type { LoggedMessage } from "./langchain-messages.js";

/**
 * The messages a log of model calls has shown so far. Each call's prompt
 * repeats the conversation before it; only what no earlier prompt, reply or
 * tool result showed is new. An assistant message whose tool calls were all
 * requested before (by id) is an earlier reply, even when a prompt shows
 * only some of its calls.
 */
export class SeenMessages {
  private readonly keys = new Set<string>();
  private readonly callIds = new Set<string>();

  /** Marks a message as shown; true when it had not been. */
  add(message: LoggedMessage): boolean {
    const calls = message.toolCalls;
    if (message.role === "assistant" && calls.length > 0 && calls.every((call) => call.id !== null && this.callIds.has(call.id)))
      return false;
    const key = fingerprint(message);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    for (const call of calls) if (call.id !== null) this.callIds.add(call.id);
    return true;
  }

  /** Marks a reply as shown (its role may be missing in the source). */
  reply(message: LoggedMessage): void {
    this.add({ ...message, role: "assistant" });
  }

  /** Marks a tool's result as shown, by the call it answers and by its text. */
  toolResult(toolCallId: string | null, text: string): void {
    if (toolCallId !== null) this.keys.add(`tool:${toolCallId}`);
    this.keys.add(`tool-text:${text}`);
  }
}

/** Fingerprint of a message, to tell one a prompt repeats from one that is new. */
function fingerprint(message: LoggedMessage): string {
  if (message.role === "tool") return message.toolCallId ? `tool:${message.toolCallId}` : `tool-text:${message.text}`;
  return `${message.role}:${message.toolCalls.map((call) => `${call.name}(${JSON.stringify(call.args)})`).join(",")}:${message.text}`;
}

/**
 * The new messages of a model call's prompt into the log: tool results
 * answer the calls waiting for them (or fill in the text of a call already
 * answered), system, user and assistant messages become messages.
 */
export function logPrompt(log: ChatLog, prompt: readonly LoggedMessage[], seen: SeenMessages, where: { path: string; id: string }): void {
  for (const message of prompt) {
    if (!seen.add(message)) continue;
    if (message.role === "tool") {
      if (!log.resultAgain(message.toolCallId, message.text))
        log.toolResult({
          toolCallId: message.toolCallId,
          content: message.text,
          error: message.failed ? message.text : null,
          path: where.path,
        });
    } else if (message.role === "system" || message.role === "user" || message.role === "assistant")
      log.message(message.role, message.text, { path: where.path, id: where.id, ...(message.name ? { name: message.name } : {}) });
  }
}
