import type { BaseMessage } from "@langchain/core/messages";

/** The text of a model's reply: its content, or the text of each content part that has any. */
export function replyText(message: BaseMessage): string {
  return typeof message.content === "string"
    ? message.content
    : message.content.map((part) => (typeof part === "object" && "text" in part ? String(part.text) : "")).join("");
}
