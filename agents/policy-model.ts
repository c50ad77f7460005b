import {
  BaseChatModel,
  type BaseChatModelParams,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, type ToolMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { nextAction, type PolicyScript, type StepResult } from "../scenarios/index.js";

export interface PolicyChatModelFields extends BaseChatModelParams {
  /** The script this model replays. */
  readonly script: PolicyScript;
  /** Model name reported in trajectories, e.g. `policy:reference`. */
  readonly modelName: string;
  /** Agent this model speaks for; only that agent's own calls count as its progress. */
  readonly agent?: string;
}

/**
 * A deterministic chat model for offline runs: its reply is a function of the
 * conversation alone. It reads which calls it has already made (and their
 * results) from the messages and returns the script's next tool call, or the
 * final answer once the script is done. Token counts are estimated from text
 * length (about four characters per token) and marked as estimates.
 *
 * It is a scripted policy, not a language model: it never reads the task text.
 */
export class PolicyChatModel extends BaseChatModel {
  readonly script: PolicyScript;
  readonly modelName: string;
  readonly agent: string | undefined;
  readonly boundToolNames: readonly string[];

  constructor(fields: PolicyChatModelFields & { boundToolNames?: readonly string[] }) {
    super(fields);
    this.script = fields.script;
    this.modelName = fields.modelName;
    this.agent = fields.agent;
    this.boundToolNames = fields.boundToolNames ?? [];
  }

  static override lc_name(): string {
    return "PolicyChatModel";
  }

  override _llmType(): string {
    return "trajlab-policy";
  }

  override invocationParams(): Record<string, unknown> {
    return { model: this.modelName, tools: this.boundToolNames };
  }

  override bindTools(tools: BindToolsInput[]): ReturnType<NonNullable<BaseChatModel["bindTools"]>> {
    const names = tools.map((tool) => toolName(tool)).filter((name): name is string => name !== undefined);
    return new PolicyChatModel({
      script: this.script,
      modelName: this.modelName,
      agent: this.agent,
      boundToolNames: names,
      callbacks: this.callbacks,
    }) as unknown as ReturnType<NonNullable<BaseChatModel["bindTools"]>>;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const history = historyFromMessages(messages, this.agent);
    const action = nextAction(this.script, history.steps);
    const turn = history.turns + 1;
    const prefix = this.agent ? `${slug(this.agent)}_` : "";
    const message =
      action.kind === "call"
        ? new AIMessage({
            id: `policy-${prefix}${turn}`,
            content: "",
            name: this.agent,
            tool_calls: [{ id: policyToolCallId(this.agent, action.index), name: action.tool, args: action.args, type: "tool_call" }],
          })
        : new AIMessage({ id: `policy-${prefix}${turn}`, content: action.text, name: this.agent });
    const inputTokens = messages.reduce((sum, m) => sum + 4 + estimateTokens(messageText(m)), 0);
    const outputTokens = estimateTokens(messageText(message));
    message.usage_metadata = { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
    message.response_metadata = {
      model_name: this.modelName,
      finish_reason: action.kind === "call" ? "tool_calls" : "stop",
      usage_estimated: true,
    };
    return { generations: [{ text: typeof message.content === "string" ? message.content : "", message }] };
  }
}

/** The tool_call_id a policy model gives the call for script step `index`. */
export function policyToolCallId(agent: string | undefined, index: number): string {
  return `call_${agent ? `${slug(agent)}_` : ""}${index + 1}`;
}

/**
 * The calls a policy has made so far, reconstructed from the conversation:
 * each tool call of its own AI messages, with the tool message answering it.
 */
export function historyFromMessages(
  messages: readonly BaseMessage[],
  agent?: string,
): { steps: StepResult[]; turns: number } {
  const answers = new Map<string, ToolMessage>();
  for (const message of messages) {
    if (message.getType() === "tool") {
      const toolMessage = message as ToolMessage;
      answers.set(toolMessage.tool_call_id, toolMessage);
    }
  }
  const steps: StepResult[] = [];
  let turns = 0;
  for (const message of messages) {
    if (message.getType() !== "ai") continue;
    if (agent !== undefined && message.name !== agent) continue;
    turns += 1;
    for (const call of (message as AIMessage).tool_calls ?? []) {
      const answer = call.id ? answers.get(call.id) : undefined;
      const text = answer ? messageContent(answer) : "";
      const failed = !answer || answer.status === "error";
      steps.push({
        tool: call.name,
        args: call.args,
        result: failed ? undefined : parseJson(text),
        error: failed ? (answer ? text : "no answer") : null,
      });
    }
  }
  return { steps, turns };
}

function toolName(tool: BindToolsInput): string | undefined {
  const candidate = tool as { name?: unknown; function?: { name?: unknown } };
  if (typeof candidate.name === "string") return candidate.name;
  if (typeof candidate.function?.name === "string") return candidate.function.name;
  return undefined;
}

function messageContent(message: BaseMessage): string {
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content);
}

function messageText(message: BaseMessage): string {
  const calls = (message as AIMessage).tool_calls;
  return messageContent(message) + (calls && calls.length > 0 ? JSON.stringify(calls) : "");
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function slug(text: string): string {
  return text.replace(/[^a-zA-Z0-9]+/g, "_");
}
