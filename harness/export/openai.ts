import type { Trajectory } from "../trajectory/schema.js";

/** A chat-completions message as trajlab writes it. */
export interface OpenAIMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  name?: string;
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  /** A failed tool result (the marker LangChain and `trajlab import openai` read). */
  status?: "error";
}

/** One trajectory as an OpenAI conversation: `{ id, model, tools, metadata, messages }`, one JSONL line of `trajlab export openai`. */
export interface OpenAIConversation {
  id: string;
  model: string | null;
  tools?: Array<{ type: "function"; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
  metadata: Record<string, unknown>;
  messages: OpenAIMessage[];
}

/**
 * A trajectory as a chat-completions conversation, the shape `trajlab import
 * openai` reads back: messages as they are; each model call as an assistant
 * message named for its agent, with its tool calls (arguments as JSON
 * strings); each tool call's result as a tool message (`status: "error"`
 * when it failed); a handoff by tool as the answer to its transfer call. The
 * scenario, trial, agent and outcome go in `metadata`.
 */
export function toOpenAIConversation(trajectory: Trajectory): OpenAIConversation {
  const messages: OpenAIMessage[] = [];
  for (const event of trajectory.events) {
    switch (event.kind) {
      case "message":
        messages.push({
          role: event.role,
          content: event.content,
          ...(event.role === "assistant" ? { name: event.agent } : event.name ? { name: event.name } : {}),
          ...(event.toolCallId ? { tool_call_id: event.toolCallId } : {}),
        });
        break;
      case "llm_call":
        messages.push({
          role: "assistant",
          name: event.agent,
          content: event.output.content === "" && event.output.toolCalls.length > 0 ? null : event.output.content,
          ...(event.output.toolCalls.length > 0
            ? {
                tool_calls: event.output.toolCalls.map((call) => ({
                  id: call.id,
                  type: "function" as const,
                  function: { name: call.name, arguments: JSON.stringify(call.args) },
                })),
              }
            : {}),
        });
        break;
      case "tool_call":
        messages.push({
          role: "tool",
          ...(event.toolCallId ? { tool_call_id: event.toolCallId } : {}),
          name: event.name,
          content: event.resultText,
          ...(event.status === "error" ? { status: "error" as const } : {}),
        });
        break;
      case "handoff":
        if (event.via === "tool" && event.toolName)
          messages.push({
            role: "tool",
            ...(event.toolCallId ? { tool_call_id: event.toolCallId } : {}),
            name: event.toolName,
            content: `Transferred to ${event.to}`,
          });
        break;
      default:
        break;
    }
  }
  const outcome = trajectory.outcome;
  return {
    id: trajectory.id,
    model: trajectory.model,
    ...(trajectory.tools
      ? {
          tools: trajectory.tools.map((tool) => ({
            type: "function" as const,
            function: {
              name: tool.name,
              ...(tool.description !== null ? { description: tool.description } : {}),
              ...(tool.parameters ? { parameters: tool.parameters } : {}),
            },
          })),
        }
      : {}),
    metadata: {
      scenario_id: trajectory.scenarioId.startsWith(`${trajectory.domain}.`)
        ? trajectory.scenarioId.slice(trajectory.domain.length + 1)
        : trajectory.scenarioId,
      domain: trajectory.domain,
      trial: trajectory.trial,
      agent: trajectory.agent,
      run_id: trajectory.runId,
      ...(outcome ? { pass: outcome.pass, score: outcome.score } : {}),
    },
    messages,
  };
}
