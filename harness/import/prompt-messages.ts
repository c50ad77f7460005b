import type { ChatLog } from "./chat-log.js";
import type { LoggedMessage } from "./langchain-messages.js";

/**
 * The messages a log of model calls has shown so far. Each call's prompt
 * repeats the conversation before it; only what no earlier prompt, reply or
 * tool result showed is new. Messages are counted, not just remembered: a
 * prompt that holds the same message (a user's "yes") more often than was
 * shown before holds new ones. An assistant message whose tool calls were
 * all requested before (by id) is an earlier reply, even when a prompt shows
 * only some of its calls.
 */
export class SeenMessages {
  private readonly shown = new Map<string, number>();
  private readonly callIds = new Set<string>();

  /** The messages of one prompt that are new, in order; they count as shown from now on. */
  fresh(prompt: readonly LoggedMessage[]): LoggedMessage[] {
    const inPrompt = new Map<string, number>();
    return prompt.filter((message) => {
      const calls = message.toolCalls;
      if (message.role === "assistant" && calls.length > 0 && calls.every((call) => call.id !== null && this.callIds.has(call.id)))
        return false;
      const key = fingerprint(message);
      const occurrence = (inPrompt.get(key) ?? 0) + 1;
      inPrompt.set(key, occurrence);
      if (occurrence <= (this.shown.get(key) ?? 0)) return false;
      this.shown.set(key, occurrence);
      for (const call of calls) if (call.id !== null) this.callIds.add(call.id);
      return true;
    });
  }

  /** Marks a reply as shown (its role may be missing in the source). */
  reply(message: LoggedMessage): void {
    const reply = { ...message, role: "assistant" };
    this.count(fingerprint(reply));
    for (const call of reply.toolCalls) if (call.id !== null) this.callIds.add(call.id);
  }

  /** Marks a tool's result as shown, by the call it answers and by its text. */
  toolResult(toolCallId: string | null, text: string): void {
    if (toolCallId !== null) this.count(`tool:${toolCallId}`);
    this.count(`tool-text:${text}`);
  }

  private count(key: string): void {
    this.shown.set(key, (this.shown.get(key) ?? 0) + 1);
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
  for (const message of seen.fresh(prompt)) {
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
