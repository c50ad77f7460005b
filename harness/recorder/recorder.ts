import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { TRANSPORT_KEY, type CallTransport } from "../../agents/index.js";
import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type {
  ErrorEvent,
  HandoffEvent,
  LlmCallEvent,
  MessageEvent,
  NodeEvent,
  RequestedToolCall,
  ToolCallEvent,
  TrajectoryEvent,
} from "../trajectory/schema.js";
import { UNKNOWN_USAGE } from "../trajectory/schema.js";
import {
  asToolMessage,
  toolMessagesIn,
  fingerprints,
  usageOf,
  textOf,
  parseArgs,
  parseResult,
  serializedName,
  isControlFlow,
  firstParagraph,
  round,
  type ToolMessageLike,
} from "./callback-values.js";
import { errorMessage } from "../../errors/index.js";

/** What the recorder needs to know about the tools an agent was given. */
export interface RecorderOptions {
  /** Agent name for events outside any named agent (a single agent's graph). */
  readonly rootAgent: string;
  /** Read/write effect of each known tool, by name. */
  readonly toolEffects: Readonly<Record<string, "read" | "write">>;
  /**
   * Target agent of a handoff tool, or null for ordinary tools. Defaults to the
   * `transfer_to_<agent>` naming convention of LangGraph supervisors.
   */
  readonly handoffTarget?: (toolName: string) => string | null;
  /** Monotonic clock in ms; injectable for tests. */
  readonly now?: () => number;
}

type Draft<E extends TrajectoryEvent> = Omit<E, "id" | "parentId" | "durationMs" | "startMs"> & {
  /** The recorder times every event it sees. */
  startMs: number;
  key: number;
  seq: number;
  parentKey: number | null;
  endMs: number | null;
};
type DraftOf<E> = E extends TrajectoryEvent ? Draft<E> : never;
type AnyDraft = DraftOf<TrajectoryEvent>;

interface RunInfo {
  parentRunId: string | undefined;
  /** Event this LangChain run maps to (node, llm call, tool call), if any. */
  eventKey: number | null;
  /** Agent named by this run's metadata (`lc_agent_name`). */
  agentName: string | undefined;
  /** Node name for node runs, used to classify their outputs. */
  nodeName: string | undefined;
}

const HIDDEN_NODES = new Set(["__start__", "__end__"]);

/** Fields a draft has that its event does not. */
const DRAFT_ONLY: ReadonlySet<string> = new Set(["key", "seq", "parentKey", "endMs"]);

/** Default handoff detection: tools named `transfer_to_<agent>`. */
export function transferToolTarget(toolName: string): string | null {
  const match = /^transfer_to_(.+)$/.exec(toolName);
  return match ? match[1]! : null;
}

/**
 * Turns the callbacks of any LangGraph run, sub-agents included, into
 * trajectory events. Attach one instance per trajectory in
 * `config.callbacks`; it is awaited, so when `invoke()` returns every event
 * has arrived. Read the result with {@link TrajectoryRecorder.events}.
 *
 * Besides the callbacks LangGraph fires, it reconstructs what it does not:
 * tool calls rejected before a tool ran (unknown tool, invalid arguments)
 * become tool-call events with their error, taken from the tools node's
 * output; control passing between agents becomes handoff events.
 */
export class TrajectoryRecorder extends BaseCallbackHandler {
  name = "trajlab-recorder";

  private readonly options: RecorderOptions;
  private readonly now: () => number;
  private readonly t0: number;
  private readonly drafts = new Map<number, AnyDraft>();
  private readonly runs = new Map<string, RunInfo>();
  /** Node events by checkpoint namespace (one per task). */
  private readonly nodesByNamespace = new Map<string, number>();
  /** Message fingerprints to the event that produced the message. */
  private readonly producers = new Map<string, number>();
  /**
   * The same, by message object: a graph hands every prompt the messages of
   * its state, the same objects call after call, so most are known without
   * building their fingerprints (text included) again at every call.
   */
  private readonly producerOfMessage = new WeakMap<BaseMessage, number>();
  private readonly toolCallsById = new Map<string, number>();
  private readonly requested = new Map<string, RequestedToolCall & { agent: string }>();
  /** transfer_back_to_* call ids already attached to a return handoff. */
  private readonly claimedTransfers = new Set<string>();
  private nextKey = 1;
  private nextSeq = 0;
  private activeAgent: string | null = null;
  private pendingHandoffTo: string | null = null;

  constructor(options: RecorderOptions) {
    super({ _awaitHandler: true });
    this.options = options;
    this.now = options.now ?? (() => performance.now());
    this.t0 = this.now();
  }

  // ----- graph structure --------------------------------------------------

  override handleChainStart(
    _chain: Serialized,
    _inputs: unknown,
    runId: string,
    // Called at runtime as (chain, inputs, runId, parentRunId, tags, metadata, runType, runName),
    // which differs from the declared signature: named here by position.
    parentRunIdAt?: unknown,
    _tags?: unknown,
    metadataAt?: unknown,
    _runType?: unknown,
    runNameAt?: unknown,
  ): void {
    const parentRunId = parentRunIdAt as string | undefined;
    const metadata = (metadataAt ?? {}) as Record<string, unknown>;
    const runName = runNameAt as string | undefined;
    const node = typeof metadata.langgraph_node === "string" ? metadata.langgraph_node : undefined;
    const agentName = typeof metadata.lc_agent_name === "string" ? metadata.lc_agent_name : undefined;
    const info: RunInfo = { parentRunId, eventKey: null, agentName, nodeName: undefined };
    this.runs.set(runId, info);

    if (!node || runName !== node || HIDDEN_NODES.has(node)) return;
    const namespace = typeof metadata.langgraph_checkpoint_ns === "string" ? metadata.langgraph_checkpoint_ns : node;
    info.nodeName = node;
    const existing = this.nodesByNamespace.get(namespace);
    if (existing !== undefined) {
      // The same task seen again from inside a subgraph: it names the agent.
      info.eventKey = existing;
      const draft = this.drafts.get(existing)!;
      if (agentName) draft.agent = agentName;
      return;
    }
    const key = this.add<NodeEvent>({
      kind: "node",
      agent: this.agentOf(runId),
      parentKey: this.parentEventOf(parentRunId),
      name: node,
      step: typeof metadata.langgraph_step === "number" ? metadata.langgraph_step : null,
      namespace: namespace
        .split("|")
        .map((part) => part.split(":")[0])
        .join("|"),
    });
    info.eventKey = key;
    this.nodesByNamespace.set(namespace, key);
  }

  override handleChainEnd(outputs: unknown, runId: string): void {
    const info = this.runs.get(runId);
    if (!info || info.eventKey === null || info.nodeName === undefined) return;
    const draft = this.drafts.get(info.eventKey);
    if (draft?.kind !== "node" || draft.endMs !== null) return;
    draft.endMs = this.elapsed();
    for (const message of toolMessagesIn(outputs)) this.reconcileToolMessage(message, draft as Draft<NodeEvent>);
  }

  override handleChainError(error: unknown, runId: string): void {
    const info = this.runs.get(runId);
    if (!info || info.eventKey === null) return;
    const draft = this.drafts.get(info.eventKey);
    if (draft && draft.endMs === null) draft.endMs = this.elapsed();
    // Failures of the run as a whole are recorded once, by recordError();
    // control-flow signals such as ParentCommand are not failures at all.
    void error;
  }

  // ----- model calls ------------------------------------------------------

  override handleChatModelStart(
    llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.runs.set(runId, { parentRunId, eventKey: null, agentName: undefined, nodeName: undefined });
    const agent = this.agentOf(runId);
    const returnKey = this.noteAgent(agent);
    const parentKey = this.parentEventOf(parentRunId);
    const prompt = messages[0] ?? [];
    if (returnKey !== null) this.claimTransferBack(returnKey, prompt);
    // Keys for now, resolved to event ids in events().
    const inputEventIds: string[] = [];
    for (const message of prompt) inputEventIds.push(String(this.producerOf(message, agent, parentKey)));
    const invocation = (extraParams?.invocation_params ?? {}) as Record<string, unknown>;
    const key = this.add<LlmCallEvent>({
      kind: "llm_call",
      agent,
      parentKey,
      model: String(metadata?.ls_model_name ?? invocation.model ?? invocation.model_name ?? runName ?? serializedName(llm)),
      node: typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : null,
      inputEventIds,
      output: { content: "", toolCalls: [] },
      usage: { ...UNKNOWN_USAGE },
      finishReason: null,
      error: null,
    });
    this.runs.get(runId)!.eventKey = key;
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    const draft = this.draftOfRun<LlmCallEvent>(runId, "llm_call");
    if (!draft) return;
    draft.endMs = this.elapsed();
    const generation = output.generations[0]?.[0] as { text?: string; message?: BaseMessage } | undefined;
    const message = generation?.message as
      (BaseMessage & { tool_calls?: RequestedToolCall[]; usage_metadata?: Record<string, number> }) | undefined;
    const content = message ? textOf(message) : (generation?.text ?? "");
    const toolCalls = (message?.tool_calls ?? []).map((call) => ({ id: call.id ?? "", name: call.name, args: call.args ?? {} }));
    draft.output = { content, toolCalls };
    draft.usage = usageOf(message, output);
    const responseMetadata = (message?.response_metadata ?? {}) as Record<string, unknown>;
    const finish = responseMetadata.finish_reason ?? responseMetadata.stop_reason;
    draft.finishReason = typeof finish === "string" ? finish : null;
    // What trajlab's managed models say about the call: attempts, waits, cache, cost.
    const transport = responseMetadata[TRANSPORT_KEY] as CallTransport | undefined;
    if (transport && typeof transport.attempts === "number") {
      draft.transport = { attempts: transport.attempts, retries: [...transport.retries], cached: transport.cached };
      draft.costUsd = transport.costUsd;
    }
    for (const call of toolCalls) if (call.id) this.requested.set(call.id, { ...call, agent: draft.agent });
    if (message) {
      for (const fingerprint of fingerprints(message)) this.producers.set(fingerprint, draft.key);
      this.producerOfMessage.set(message, draft.key);
    }
  }

  override handleLLMError(error: unknown, runId: string): void {
    const draft = this.draftOfRun<LlmCallEvent>(runId, "llm_call");
    if (!draft) return;
    draft.endMs = this.elapsed();
    draft.error = errorMessage(error);
    // A managed model's call that failed says how many attempts it made, and the waits between them.
    const transport = (error as Record<string, unknown> | null)?.[TRANSPORT_KEY] as CallTransport | undefined;
    if (transport && typeof transport.attempts === "number") {
      draft.transport = { attempts: transport.attempts, retries: [...transport.retries], cached: false };
    }
  }

  // ----- tool calls -------------------------------------------------------

  override handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    this.runs.set(runId, { parentRunId, eventKey: null, agentName: undefined, nodeName: undefined });
    const name = runName ?? serializedName(tool);
    const agent = this.agentOf(runId);
    this.noteAgent(agent);
    const args = parseArgs(input);
    const parentKey = this.parentEventOf(parentRunId);
    const target = (this.options.handoffTarget ?? transferToolTarget)(name);
    let key: number;
    if (target !== null) {
      key = this.add<HandoffEvent>({
        kind: "handoff",
        agent,
        parentKey,
        from: agent,
        to: target,
        via: "tool",
        toolName: name,
        toolCallId: toolCallId ?? null,
        args,
      });
      this.pendingHandoffTo = target;
    } else {
      key = this.add<ToolCallEvent>({
        kind: "tool_call",
        agent,
        parentKey,
        name,
        args,
        toolCallId: toolCallId ?? null,
        effect: this.options.toolEffects[name] ?? "unknown",
        effectSource: Object.hasOwn(this.options.toolEffects, name) ? "source" : null,
        node: typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : null,
        status: "ok",
        result: null,
        resultText: "",
        error: null,
      });
    }
    this.runs.get(runId)!.eventKey = key;
    if (toolCallId) {
      this.toolCallsById.set(toolCallId, key);
      this.producers.set(`tool:${toolCallId}`, key);
    }
  }

  override handleToolEnd(output: unknown, runId: string): void {
    const draft = this.draftOfRunAny(runId);
    if (!draft) return;
    draft.endMs = this.elapsed();
    if (draft.kind !== "tool_call") return;
    const message = asToolMessage(output);
    const text = message ? textOf(message) : typeof output === "string" ? output : JSON.stringify(output ?? null);
    draft.resultText = text;
    if (message?.status === "error") {
      draft.status = "error";
      draft.error = { kind: "tool_error", message: text };
      draft.result = null;
    } else {
      draft.result = parseResult(text);
    }
  }

  override handleToolError(error: unknown, runId: string): void {
    const draft = this.draftOfRunAny(runId);
    if (!draft) return;
    draft.endMs = this.elapsed();
    if (draft.kind !== "tool_call" || isControlFlow(error)) return;
    draft.status = "error";
    draft.result = null;
    draft.error = { kind: "tool_error", message: errorMessage(error) };
    draft.resultText = errorMessage(error);
  }

  // ----- what the runner adds ---------------------------------------------

  /**
   * Records a user turn (simulated users, follow-up questions). Give the id of
   * the message that carries it, so later prompts point at this event even
   * when the user says the same words twice.
   */
  recordUserMessage(content: string, messageId?: string): void {
    const key = this.add<MessageEvent>({
      kind: "message",
      agent: this.activeAgent ?? this.options.rootAgent,
      parentKey: null,
      role: "user",
      content,
    });
    this.drafts.get(key)!.endMs = this.elapsed();
    this.producers.set(`human:${content}`, key);
    if (messageId) this.producers.set(`id:${messageId}`, key);
  }

  /** Records the error that ended the run. */
  recordError(error: unknown, code: string | null = null): void {
    const key = this.add<ErrorEvent>({
      kind: "error",
      agent: this.activeAgent ?? this.options.rootAgent,
      parentKey: null,
      name: error instanceof Error ? error.name : "Error",
      message: errorMessage(error),
      code,
    });
    this.drafts.get(key)!.endMs = this.elapsed();
  }

  /** Milliseconds since the recorder was created. */
  elapsed(): number {
    return round(this.now() - this.t0);
  }

  /**
   * The recorded events, ordered by start and numbered e1, e2, ...; events
   * still open (a timeout cut them short) end now.
   */
  events(): TrajectoryEvent[] {
    const end = this.elapsed();
    const ordered = [...this.drafts.values()].sort((a, b) => a.seq - b.seq);
    // Event ids by draft key (keys count up from 1).
    const ids: string[] = [];
    ordered.forEach((draft, index) => (ids[draft.key] = `e${index + 1}`));
    return ordered.map((draft) => {
      // The draft's fields in their order, less the recorder's own, then where the event sits and how long it took.
      const event: Record<string, unknown> = {};
      for (const field of Object.keys(draft)) if (!DRAFT_ONLY.has(field)) event[field] = draft[field as keyof AnyDraft];
      event.id = ids[draft.key]!;
      event.parentId = draft.parentKey === null ? null : (ids[draft.parentKey] ?? null);
      event.durationMs = round(Math.max(0, (draft.endMs ?? end) - draft.startMs));
      if (draft.kind === "llm_call") event.inputEventIds = draft.inputEventIds.map((k) => ids[Number(k)]!).filter(Boolean);
      return event as unknown as TrajectoryEvent;
    });
  }

  // ----- internals --------------------------------------------------------

  private add<E extends TrajectoryEvent>(
    fields: Omit<E, "id" | "parentId" | "durationMs" | "startMs"> & { parentKey: number | null; seq?: number; startMs?: number },
  ): number {
    const key = this.nextKey++;
    // The fields become the draft (the caller's literal, kept by no one else): no copy per event.
    const draft = fields as typeof fields & { key: number; seq: number; startMs: number; endMs: number | null };
    draft.key = key;
    draft.seq = fields.seq ?? this.nextSeq++;
    draft.startMs = fields.startMs ?? this.elapsed();
    draft.endMs = null;
    this.drafts.set(key, draft as unknown as AnyDraft);
    return key;
  }

  private draftOfRun<E extends TrajectoryEvent>(runId: string, kind: E["kind"]): Draft<E> | undefined {
    const draft = this.draftOfRunAny(runId);
    return draft?.kind === kind ? (draft as unknown as Draft<E>) : undefined;
  }

  private draftOfRunAny(runId: string): AnyDraft | undefined {
    const key = this.runs.get(runId)?.eventKey;
    return key === null || key === undefined ? undefined : this.drafts.get(key);
  }

  /** Nearest enclosing node event of a run. */
  private parentEventOf(runId: string | undefined): number | null {
    for (let id = runId; id !== undefined; id = this.runs.get(id)?.parentRunId) {
      const info = this.runs.get(id);
      if (!info) return null;
      if (info.eventKey !== null && info.nodeName !== undefined) return info.eventKey;
    }
    return null;
  }

  /** Innermost agent named along a run's ancestry. */
  private agentOf(runId: string): string {
    for (let id: string | undefined = runId; id !== undefined; id = this.runs.get(id)?.parentRunId) {
      const info = this.runs.get(id);
      if (!info) break;
      if (info.agentName) return info.agentName;
    }
    return this.options.rootAgent;
  }

  /**
   * Tracks which agent is acting; control changing hands without a handoff
   * tool is a return. Returns the key of the return handoff it records, if any.
   */
  private noteAgent(agent: string): number | null {
    if (this.activeAgent === null || this.activeAgent === agent) {
      this.activeAgent = agent;
      return null;
    }
    let key: number | null = null;
    if (this.pendingHandoffTo !== agent) {
      key = this.add<HandoffEvent>({
        kind: "handoff",
        agent,
        parentKey: null,
        from: this.activeAgent,
        to: agent,
        via: "return",
        toolName: null,
        toolCallId: null,
        args: {},
      });
      this.drafts.get(key)!.endMs = this.drafts.get(key)!.startMs;
    }
    this.pendingHandoffTo = null;
    this.activeAgent = agent;
    return key;
  }

  /**
   * Supervisors built with langgraph-supervisor write a "transferring back"
   * pair into the state when a member finishes (an AI message calling
   * `transfer_back_to_<supervisor>` and its tool message), with no callback.
   * When the prompt that follows a return carries such a pair, the return
   * handoff takes its tool name and call id, and the tool message points at it.
   */
  private claimTransferBack(returnKey: number, prompt: readonly BaseMessage[]): void {
    const draft = this.drafts.get(returnKey);
    if (draft?.kind !== "handoff") return;
    for (const message of prompt) {
      if (message.getType() !== "ai") continue;
      for (const call of (message as { tool_calls?: RequestedToolCall[] }).tool_calls ?? []) {
        if (!call.id || !/^transfer_back_to_/.test(call.name) || this.claimedTransfers.has(call.id)) continue;
        this.claimedTransfers.add(call.id);
        draft.toolName = call.name;
        draft.toolCallId = call.id;
        this.producers.set(`tool:${call.id}`, returnKey);
      }
    }
  }

  /** The event that produced a prompt message, creating a message event for new ones. */
  private producerOf(message: BaseMessage, agent: string, parentKey: number | null): number {
    const known = this.producerOfMessage.get(message);
    if (known !== undefined) return known;
    for (const fingerprint of fingerprints(message)) {
      const key = this.producers.get(fingerprint);
      if (key !== undefined) {
        this.producerOfMessage.set(message, key);
        return key;
      }
    }
    const type = message.getType();
    const role = type === "system" ? "system" : type === "ai" ? "assistant" : type === "tool" ? "tool" : "user";
    const toolCallId = (message as { tool_call_id?: string }).tool_call_id;
    const key = this.add<MessageEvent>({
      kind: "message",
      // A named AI message was written by that agent, even when another agent's prompt shows it first.
      agent: type === "ai" && message.name ? message.name : agent,
      parentKey,
      role,
      content: textOf(message),
      ...(message.name ? { name: message.name } : {}),
      ...(toolCallId ? { toolCallId } : {}),
    });
    this.drafts.get(key)!.endMs = this.drafts.get(key)!.startMs;
    for (const fingerprint of fingerprints(message)) this.producers.set(fingerprint, key);
    this.producerOfMessage.set(message, key);
    return key;
  }

  /**
   * A tool message in a node's output: either the answer to a call we saw
   * start (its final text, e.g. with the agent-facing error wording), or a
   * call LangGraph rejected without running a tool, which gets its own event.
   */
  private reconcileToolMessage(message: ToolMessageLike, node: Draft<NodeEvent>): void {
    const id = message.tool_call_id;
    const text = textOf(message);
    const existing = id ? this.toolCallsById.get(id) : undefined;
    if (existing !== undefined) {
      const draft = this.drafts.get(existing)!;
      if (draft.kind === "tool_call" && text) draft.resultText = text;
      return;
    }
    if (message.status !== "error") return;
    const requested = id ? this.requested.get(id) : undefined;
    const name = requested?.name ?? message.name ?? "unknown";
    const known = Object.hasOwn(this.options.toolEffects, name);
    const key = this.add<ToolCallEvent>({
      kind: "tool_call",
      agent: requested?.agent ?? node.agent,
      parentKey: node.key,
      // Directly after its node: the call started when the node did.
      seq: node.seq + 0.5 + 0.001 * this.toolCallsById.size,
      startMs: node.startMs,
      name,
      args: requested?.args ?? {},
      toolCallId: id ?? null,
      effect: this.options.toolEffects[name] ?? "unknown",
      effectSource: known ? "source" : null,
      node: node.name,
      status: "error",
      result: null,
      resultText: text,
      error: { kind: known ? "invalid_args" : "unknown_tool", message: firstParagraph(text) },
    });
    this.drafts.get(key)!.endMs = node.endMs;
    if (id) {
      this.toolCallsById.set(id, key);
      this.producers.set(`tool:${id}`, key);
    }
  }
}
