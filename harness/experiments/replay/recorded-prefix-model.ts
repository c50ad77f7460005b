import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { TrajlabError } from "../../../errors/index.js";
import { textOf } from "../../recorder/callback-values.js";
import type { LlmCallEvent, ToolCallEvent } from "../../trajectory/schema.js";

/** The recorded model calls a replay answers from the recording, and how many it has answered. */
interface RecordedReplies {
  readonly calls: readonly LlmCallEvent[];
  /** What each recorded tool call answered the model, by tool-call id: a recorded reply is valid only after the same answers. */
  readonly results: ReadonlyMap<string, Pick<ToolCallEvent, "id" | "name" | "resultText">>;
  served: number;
}

/** Tools bound to one copy of the model, as `bindTools` received them. */
interface BoundTools {
  readonly tools: BindToolsInput[];
  readonly kwargs: Partial<BaseChatModelCallOptions> | undefined;
}

/**
 * A chat model that replays a recorded run's model calls, then hands over to
 * a real model. The first `calls.length` requests (across every copy made by
 * `bindTools`, so across all the agents of a team) are answered with the
 * recorded outputs, in recording order; every later request goes to `inner`
 * with the same bound tools.
 *
 * This is how a run on a real model is repeated up to a chosen point: with
 * the model's recorded replies, deterministic tools and a deterministic
 * simulated user, the graph takes exactly the recorded path, whatever its
 * shape (a supervisor team, plan-and-execute, a conversation).
 */
export class RecordedPrefixModel extends BaseChatModel {
  private readonly inner: BaseChatModel;
  private readonly replies: RecordedReplies;
  private readonly bound: BoundTools | undefined;
  private readonly modelName: string;

  /**
   * @param calls the recorded model calls to answer with, in order
   * @param toolCalls the recorded tool calls, whose results the replay must see again
   */
  static over(inner: BaseChatModel, calls: readonly LlmCallEvent[], toolCalls: readonly ToolCallEvent[]): RecordedPrefixModel {
    const results = new Map(toolCalls.filter((call) => call.toolCallId !== null).map((call) => [call.toolCallId!, call]));
    return new RecordedPrefixModel(inner, { calls, results, served: 0 }, calls.at(-1)?.model ?? "recorded", undefined);
  }

  private constructor(inner: BaseChatModel, replies: RecordedReplies, modelName: string, bound: BoundTools | undefined) {
    super({});
    this.inner = inner;
    this.replies = replies;
    this.modelName = modelName;
    this.bound = bound;
  }

  static override lc_name(): string {
    return "RecordedPrefixModel";
  }

  override _llmType(): string {
    return "trajlab-recorded-prefix";
  }

  override invocationParams(): Record<string, unknown> {
    return { model: this.modelName };
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<BaseChatModelCallOptions>,
  ): ReturnType<NonNullable<BaseChatModel["bindTools"]>> {
    if (!this.inner.bindTools) {
      throw new TrajlabError("MODEL_WITHOUT_TOOLS", `model ${this.modelName} does not support tool calling`, {
        hint: "replays re-run the agent, which binds tools to its model",
      });
    }
    return new RecordedPrefixModel(this.inner, this.replies, this.modelName, { tools, kwargs }) as unknown as ReturnType<
      NonNullable<BaseChatModel["bindTools"]>
    >;
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const recorded = this.replies.calls[this.replies.served];
    if (recorded) {
      this.checkResults(messages, recorded);
      this.replies.served += 1;
      return { generations: [{ text: recorded.output.content, message: this.recordedMessage(recorded) }] };
    }
    const model = this.bound ? this.inner.bindTools!(this.bound.tools, this.bound.kwargs) : this.inner;
    // This model's own run is the one recorded; the inner call must not be recorded twice.
    const message = await model.invoke(messages, { signal: options.signal, callbacks: [] });
    return { generations: [{ text: textOf(message), message }] };
  }

  /** Refuses to give a recorded reply after tool results other than those it was recorded after. */
  private checkResults(messages: readonly BaseMessage[], call: LlmCallEvent): void {
    for (const message of messages) {
      if (!ToolMessage.isInstance(message)) continue;
      const recorded = this.replies.results.get(message.tool_call_id);
      if (!recorded) continue;
      // The recorder's reading of a tool message, so the comparison is with what it recorded.
      const text = textOf(message);
      if (text === recorded.resultText) continue;
      throw new TrajlabError(
        "REPLAY_DIVERGED",
        `the replay took another path than the recording: before model call ${call.id}, ${recorded.name} (${recorded.id}) answered ${JSON.stringify(preview(text))} where the recording has ${JSON.stringify(preview(recorded.resultText))}`,
        {
          hint: "tools must be deterministic (the same arguments over the same state give the same result), and the agent built as it was when the run was recorded",
        },
      );
    }
  }

  /** The recorded reply as a message (a call to a tool the agent lacks is replayed as recorded: it failed then too). */
  private recordedMessage(call: LlmCallEvent): AIMessage {
    const message = new AIMessage({
      id: `replay-${call.id}`,
      content: call.output.content,
      tool_calls: call.output.toolCalls.map((requested) => ({
        id: requested.id,
        name: requested.name,
        args: requested.args,
        type: "tool_call" as const,
      })),
    });
    const { inputTokens, outputTokens, totalTokens } = call.usage;
    // A replayed reply carries the counts its recording had, and no made-up ones.
    if (inputTokens !== null && outputTokens !== null && totalTokens !== null) {
      message.usage_metadata = { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: totalTokens };
    }
    message.response_metadata = {
      ...(call.model === null ? {} : { model_name: call.model }),
      finish_reason: call.finishReason,
      replayed_from: call.id,
      ...(call.usage.source === "estimated" ? { usage_estimated: true } : {}),
    };
    return message;
  }
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
