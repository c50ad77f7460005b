import { BaseChatModel, type BaseChatModelParams, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, type ToolMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { nextAction, SUPERVISOR, withoutHandoffs, type HistoryEntry, type PolicyAction, type PolicyScript } from "../scenarios/index.js";

/**
 * Parts a policy model can play in a plan-and-execute agent: the planner and
 * replanner answer with a plan or a reply to the user; the executor makes
 * one call per activation and reports.
 */
export type PolicyRole = "planner" | "replanner" | "executor";

/** Tool a planner or replanner calls with the remaining steps. */
export const PLAN_TOOL = "submit_plan";
/** Tool a planner or replanner calls to reply to the user (a question or the final answer). */
export const RESPOND_TOOL = "respond_to_user";

export interface PolicyChatModelFields extends BaseChatModelParams {
  /** The script this model replays. */
  readonly script: PolicyScript;
  /** Model name reported in trajectories, e.g. `policy:reference`. */
  readonly modelName: string;
  /**
   * Agent this model speaks for. With a routed script (one whose steps name
   * their agents) the model acts only on its own steps and otherwise hands
   * back; with an unrouted script only the agent's own calls count as its progress.
   */
  readonly agent?: string;
  /** Part played in a plan-and-execute agent. */
  readonly role?: PolicyRole;
}

/**
 * A deterministic chat model for offline runs: its reply is a function of the
 * conversation alone. It reads which moves it has already made (tool calls
 * with their results, questions with the user's replies) from the messages
 * and returns the script's next tool call, question, or final answer. Token
 * counts are estimated from text length (about four characters per token)
 * and marked as estimates.
 *
 * It is a scripted policy, not a language model: it never reads the task text
 * except to pick values the plan asks it to find there.
 */
export class PolicyChatModel extends BaseChatModel {
  readonly script: PolicyScript;
  readonly modelName: string;
  readonly agent: string | undefined;
  readonly role: PolicyRole | undefined;
  readonly boundToolNames: readonly string[];
  /** The script as this model replays it, and each step's index in `script`. */
  private readonly replay: { script: PolicyScript; indexes: number[] };
  /** One agent of a team replaying a routed script: it acts only on its own steps and otherwise hands back. */
  private readonly teamMode: boolean;
  /**
   * The agent, when it replays an unrouted script of its own: only its
   * messages are its history, and its tool-call ids carry its name.
   */
  private readonly scriptOwner: string | undefined;

  constructor(fields: PolicyChatModelFields & { boundToolNames?: readonly string[] }) {
    super(fields);
    this.script = fields.script;
    this.modelName = fields.modelName;
    this.agent = fields.agent;
    this.role = fields.role;
    this.boundToolNames = fields.boundToolNames ?? [];
    // A single agent (no `agent`) replays a routed script without its handoffs.
    this.replay =
      this.agent === undefined ? withoutHandoffs(this.script) : { script: this.script, indexes: this.script.steps.map((_, i) => i) };
    this.teamMode = this.agent !== undefined && this.script.routed === true;
    this.scriptOwner = this.agent !== undefined && this.script.routed !== true ? this.agent : undefined;
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

  /** A copy of this model with other fields (the agent it speaks for, its role, the tools bound to it). */
  with(fields: Partial<Pick<PolicyChatModelFields, "agent" | "role">> & { boundToolNames?: readonly string[] }): PolicyChatModel {
    return new PolicyChatModel({
      script: this.script,
      modelName: this.modelName,
      agent: this.agent,
      role: this.role,
      boundToolNames: this.boundToolNames,
      callbacks: this.callbacks,
      ...fields,
    });
  }

  override bindTools(tools: BindToolsInput[]): ReturnType<NonNullable<BaseChatModel["bindTools"]>> {
    const names = tools.map((tool) => boundToolName(tool)).filter((name): name is string => name !== undefined);
    return this.with({ boundToolNames: names }) as unknown as ReturnType<NonNullable<BaseChatModel["bindTools"]>>;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const history = historyFromConversation(messages, this.scriptOwner);
    const action = nextAction(this.replay.script, history.entries, history.userTexts);
    const prefix = this.agent ? `${slug(this.agent)}_` : this.role ? `${this.role}_` : "";
    const id = `policy-${prefix}${history.turns + 1}`;
    const message = this.reply(action, messages, history.turns + 1);
    const ai = new AIMessage({
      id,
      content: message.content,
      name: this.agent,
      tool_calls: message.toolCalls.map((call) => ({ ...call, type: "tool_call" as const })),
    });
    const inputTokens = messages.reduce((sum, m) => sum + 4 + estimateTokens(messageText(m)), 0);
    const outputTokens = estimateTokens(messageText(ai));
    ai.usage_metadata = { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
    ai.response_metadata = {
      model_name: this.modelName,
      finish_reason: message.toolCalls.length > 0 ? "tool_calls" : "stop",
      usage_estimated: true,
    };
    return { generations: [{ text: message.content, message: ai }] };
  }

  /** The reply for the next action, given who this model speaks for. */
  private reply(action: PolicyAction, messages: readonly BaseMessage[], turn: number): Reply {
    if (this.role === "planner" || this.role === "replanner") return this.planReply(action, turn);
    if (this.role === "executor") {
      // One call per activation: once its call has returned, report.
      if (messages.at(-1)?.getType() === "tool" || action.kind !== "call") return { content: "Step done.", toolCalls: [] };
      return this.callReply(action);
    }
    if (this.teamMode) {
      const mine = action.kind !== "answer" && action.agent === this.agent;
      if (!mine && this.agent !== SUPERVISOR) return { content: `${this.agent} is done and hands back to ${SUPERVISOR}.`, toolCalls: [] };
      if (!mine && action.kind !== "answer") {
        return {
          content: `I could not complete the request: the next step belongs to ${action.agent}, which does not have control.`,
          toolCalls: [],
        };
      }
    }
    if (action.kind === "call") return this.callReply(action);
    return { content: action.text, toolCalls: [] };
  }

  private callReply(action: Extract<PolicyAction, { kind: "call" }>): Reply {
    const index = this.replay.indexes[action.index] ?? action.index;
    const id = policyToolCallId(this.scriptOwner, index, action.repetition);
    return { content: "", toolCalls: [{ id, name: action.tool, args: action.args }] };
  }

  /** A plan of the remaining calls up to the next question, or a reply to the user. */
  private planReply(action: PolicyAction, turn: number): Reply {
    if (action.kind !== "call") {
      return { content: "", toolCalls: [{ id: `${this.role}_${turn}`, name: RESPOND_TOOL, args: { message: action.text } }] };
    }
    const steps: string[] = [];
    for (const step of this.replay.script.steps.slice(action.index)) {
      if (step.ask !== undefined) break;
      steps.push(`Call ${step.tool}`);
    }
    return { content: "", toolCalls: [{ id: `${this.role}_${turn}`, name: PLAN_TOOL, args: { steps } }] };
  }
}

interface Reply {
  content: string;
  toolCalls: Array<{ id: string; name: string; args: Record<string, unknown> }>;
}

/**
 * The tool_call_id a policy model gives the call for script step `index`
 * (and, for a looping step, its repetition). Agents replaying their own
 * unrouted script put their name in it so ids stay unique across agents.
 */
export function policyToolCallId(agent: string | undefined, index: number, repetition = 0): string {
  return `call_${agent ? `${slug(agent)}_` : ""}${index + 1}${repetition > 0 ? `_${repetition + 1}` : ""}`;
}

/** Tool-call ids made by policy models for routed or single-agent scripts. */
const POLICY_CALL_ID = /^call_\d+(_\d+)?$/;

/**
 * What a policy has done so far, read from the conversation: each tool call
 * of the policy's AI messages with the tool message answering it, and each
 * question (a text reply followed by a user message) with the user's reply.
 * With `agent`, only that agent's messages count (each agent replays its own
 * script); without, every policy-made call counts (one script for all).
 */
export function historyFromConversation(
  messages: readonly BaseMessage[],
  agent?: string,
): { entries: HistoryEntry[]; userTexts: string[]; turns: number } {
  const answers = new Map<string, ToolMessage>();
  const userTexts: string[] = [];
  for (const message of messages) {
    if (message.getType() === "tool") answers.set((message as ToolMessage).tool_call_id, message as ToolMessage);
    if (message.getType() === "human") userTexts.push(messageContent(message));
  }
  const entries: HistoryEntry[] = [];
  let turns = 0;
  messages.forEach((message, position) => {
    if (message.getType() !== "ai") return;
    if (agent !== undefined && message.name !== agent) return;
    turns += 1;
    const calls = ((message as AIMessage).tool_calls ?? []).filter((call) => agent !== undefined || POLICY_CALL_ID.test(call.id ?? ""));
    for (const call of calls) {
      const answer = call.id ? answers.get(call.id) : undefined;
      const text = answer ? messageContent(answer) : "";
      const failed = !answer || answer.status === "error";
      entries.push({
        tool: call.name,
        args: call.args,
        result: failed ? undefined : parseJson(text),
        error: failed ? (answer ? text : "no answer") : null,
      });
    }
    const next = messages[position + 1];
    if (((message as AIMessage).tool_calls ?? []).length === 0 && next?.getType() === "human") {
      entries.push({ ask: messageContent(message), reply: messageContent(next) });
    }
  });
  return { entries, userTexts, turns };
}

/** The name of a tool as `bindTools` receives it (a LangChain tool or an OpenAI-style definition). */
function boundToolName(tool: BindToolsInput): string | undefined {
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
