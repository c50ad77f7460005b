import type { GradableTrajectory, LlmCallEvent, TrajectoryEvent } from "../../harness/core.js";

/** A tool call an assistant message asks for, and the event that ran it. */
export interface ChatToolCall {
  /** The model's tool_call_id (may repeat within a trajectory: some models reuse them). */
  readonly id: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
  /** The tool_call or handoff event that ran it, when recorded. */
  readonly eventId: string | null;
}

/**
 * One chat message of a trajectory, in a neutral shape the export formats
 * are written from; each names the event it comes from.
 */
export type ChatMessage =
  | { readonly role: "system" | "user"; readonly content: string; readonly eventId: string }
  | { readonly role: "assistant"; readonly content: string; readonly toolCalls: readonly ChatToolCall[]; readonly eventId: string }
  | { readonly role: "tool"; readonly content: string; readonly name: string; readonly toolCallId: string; readonly eventId: string };

/** A model call and the steps (tool calls, handoffs) it asked for: one assistant turn. */
export interface AssistantTurn {
  readonly call: LlmCallEvent;
  /** Event ids of the steps its tool calls ran, in call order. */
  readonly stepIds: readonly string[];
}

/**
 * What the conversation of a trajectory is made of: its assistant turns by
 * model call, and for each step the turn that asked for it.
 */
export class TrajectoryConversation {
  private readonly byId = new Map<string, TrajectoryEvent>();
  private readonly turnByStep = new Map<string, LlmCallEvent>();
  private readonly executor = new Map<LlmCallEvent, (string | null)[]>();

  constructor(readonly trajectory: GradableTrajectory) {
    for (const event of trajectory.events) this.byId.set(event.id, event);
    this.matchSteps();
  }

  /** The model calls of one agent (all agents when null), in order. */
  calls(agent: string | null = null): LlmCallEvent[] {
    return this.trajectory.events.filter(
      (event): event is LlmCallEvent => event.kind === "llm_call" && (agent === null || event.agent === agent),
    );
  }

  /** Agents that made model calls, in order of their first call. */
  agents(): string[] {
    return [...new Set(this.calls().map((call) => call.agent))];
  }

  /** The model call that asked for a step (a tool call or a handoff tool), if recorded. */
  turnOf(stepId: string): LlmCallEvent | undefined {
    return this.turnByStep.get(stepId);
  }

  /** A model call with the steps its tool calls ran. */
  turn(call: LlmCallEvent): AssistantTurn {
    return { call, stepIds: (this.executor.get(call) ?? []).filter((id): id is string => id !== null) };
  }

  /** The assistant message a model call produced. */
  assistantOf(call: LlmCallEvent): ChatMessage & { role: "assistant" } {
    const executors = this.executor.get(call) ?? [];
    return {
      role: "assistant",
      content: call.output.content,
      toolCalls: call.output.toolCalls.map((toolCall, index) => ({
        id: toolCall.id,
        name: toolCall.name,
        arguments: toolCall.args,
        eventId: executors[index] ?? null,
      })),
      eventId: call.id,
    };
  }

  /**
   * The messages a model call was given, in order, as the recorder saw them
   * (its `inputEventIds`). A call recorded without them (an imported
   * trajectory that kept no prompts) gets its agent's events before it.
   */
  promptOf(call: LlmCallEvent): ChatMessage[] {
    const ids = call.inputEventIds.length > 0 ? call.inputEventIds : this.earlierEventsOf(call);
    const messages: ChatMessage[] = [];
    for (const id of ids) {
      const message = this.messageOf(this.byId.get(id));
      if (message) messages.push(message);
    }
    return messages;
  }

  /**
   * One agent's whole conversation: the prompt of its last model call, that
   * call's reply, and the results of the calls the reply asked for.
   */
  conversationOf(agent: string): ChatMessage[] {
    const last = this.calls(agent).at(-1);
    if (!last) return [];
    const results = this.turn(last)
      .stepIds.map((id) => this.messageOf(this.byId.get(id)))
      .filter((message): message is ChatMessage => message !== null);
    return [...this.promptOf(last), this.assistantOf(last), ...results];
  }

  /** An event as a chat message; null for events that are no message (nodes, handoffs, errors). */
  messageOf(event: TrajectoryEvent | undefined): ChatMessage | null {
    if (!event) return null;
    switch (event.kind) {
      case "message":
        if (event.role === "system" || event.role === "user") return { role: event.role, content: event.content, eventId: event.id };
        if (event.role === "assistant") return { role: "assistant", content: event.content, toolCalls: [], eventId: event.id };
        return { role: "tool", content: event.content, name: event.name ?? "", toolCallId: event.toolCallId ?? "", eventId: event.id };
      case "llm_call":
        return this.assistantOf(event);
      case "tool_call":
        return { role: "tool", content: event.resultText, name: event.name, toolCallId: event.toolCallId ?? "", eventId: event.id };
      default:
        return null;
    }
  }

  /** The agent's messages, model calls and tool results before a call, for calls recorded without a prompt. */
  private earlierEventsOf(call: LlmCallEvent): string[] {
    const ids: string[] = [];
    for (const event of this.trajectory.events) {
      if (event === call) break;
      if (event.agent !== call.agent) continue;
      if (event.kind === "message" || event.kind === "llm_call" || event.kind === "tool_call") ids.push(event.id);
    }
    return ids;
  }

  /**
   * Pairs each step with the model call that asked for it: by tool_call_id
   * (the latest call before the step with that id, since ids can repeat), else
   * the latest earlier call of the same agent that asked for that tool.
   */
  private matchSteps(): void {
    const calls: LlmCallEvent[] = [];
    for (const event of this.trajectory.events) {
      if (event.kind === "llm_call") {
        calls.push(event);
        this.executor.set(
          event,
          event.output.toolCalls.map(() => null),
        );
        continue;
      }
      const step =
        event.kind === "tool_call"
          ? { id: event.toolCallId, name: event.name }
          : event.kind === "handoff" && event.via === "tool"
            ? { id: event.toolCallId, name: event.toolName }
            : null;
      if (!step) continue;
      for (let i = calls.length - 1; i >= 0; i -= 1) {
        const candidate = calls[i]!;
        const slots = this.executor.get(candidate)!;
        const index = candidate.output.toolCalls.findIndex(
          (toolCall, at) =>
            slots[at] === null && (step.id ? toolCall.id === step.id : candidate.agent === event.agent && toolCall.name === step.name),
        );
        if (index < 0) continue;
        slots[index] = event.id;
        this.turnByStep.set(event.id, candidate);
        break;
      }
    }
  }
}
