import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import { TrajlabError } from "../../errors/index.js";
import { ModelCallCache } from "./cache.js";
import { localLimit, sharedLimit, type CallLimit } from "./call-limit.js";
import { costOf } from "./prices.js";
import { retriesBefore, withRetries, type RetriedAttempt } from "./retry.js";
import { modelCallSettings, type ModelCallSettings } from "./settings.js";

/**
 * How one model call went, carried in the reply's `response_metadata` (as
 * `trajlab_call`), or on the error of a call that failed, for the recorder
 * to keep on the call's event.
 */
export interface CallTransport {
  /** Attempts made: 1 when the first succeeded; 0 when the reply came from the cache; all of them when the call failed. */
  readonly attempts: number;
  /** Each failed attempt, with the wait after it. */
  readonly retries: readonly RetriedAttempt[];
  readonly cached: boolean;
  /** The tokens' list price in US dollars (also for a cached reply, which cost nothing this time); null without a price. */
  readonly costUsd: number | null;
}

/** The metadata key the transport travels under. */
export const TRANSPORT_KEY = "trajlab_call";

/** What identifies a provider model for the calls made to it. */
export interface ManagedModelTarget {
  readonly spec: string;
  readonly provider: string;
  /** An OpenAI-compatible server's base URL, or null for the provider's own. */
  readonly server: string | null;
  /** The trial's seed: repeated trials of a suite are separate calls, each cached on its own. */
  readonly seed: number;
}

interface BoundTools {
  readonly tools: BindToolsInput[];
  readonly kwargs: Partial<BaseChatModelCallOptions> | undefined;
}

const limiters = new Map<string, { size: number; slots: unknown; limit: CallLimit }>();

/**
 * The limit of a provider's calls, shared by every model of that provider in
 * the process, and across worker threads when the settings carry shared slots.
 */
function limiterOf(provider: string, settings: ModelCallSettings): CallLimit {
  const size = settings.providerConcurrency[provider] ?? settings.providerConcurrency.default;
  const known = limiters.get(provider);
  if (known && known.size === size && known.slots === settings.sharedSlots) return known.limit;
  const limit = (settings.sharedSlots && sharedLimit(settings.sharedSlots, provider, size)) || localLimit(size);
  limiters.set(provider, { size, slots: settings.sharedSlots, limit });
  return limit;
}

interface BoundInner {
  readonly inner: BaseChatModel;
  readonly tools: readonly BindToolsInput[];
  readonly kwargs: string;
  readonly model: Runnable<BaseMessage[], AIMessage>;
}

/**
 * Inner models with tools bound, by the first tool: agents bind their tools
 * before every call (langchain's createAgent does), and binding a provider
 * model builds a new one with a new HTTP client; a trial's tools are bound
 * once, and forgotten with them.
 */
const boundInners = new WeakMap<object, BoundInner[]>();

function bindInner(inner: BaseChatModel, bound: BoundTools): Runnable<BaseMessage[], AIMessage> {
  const bind = () => inner.bindTools!(bound.tools, bound.kwargs) as Runnable<BaseMessage[], AIMessage>;
  const first = bound.tools[0];
  let kwargs: string;
  try {
    kwargs = JSON.stringify(bound.kwargs ?? {});
  } catch {
    return bind();
  }
  if (typeof first !== "object" || first === null) return bind();
  const known = boundInners.get(first) ?? [];
  const same = known.find(
    (entry) =>
      entry.inner === inner &&
      entry.kwargs === kwargs &&
      entry.tools.length === bound.tools.length &&
      entry.tools.every((tool, index) => tool === bound.tools[index]),
  );
  if (same) return same.model;
  const model = bind();
  boundInners.set(first, [...known, { inner, tools: [...bound.tools], kwargs, model }]);
  return model;
}

/**
 * A provider's chat model as trajlab calls it: every call goes through the
 * model-call cache (when one is set), the provider's concurrency limit, and
 * retries with backoff on rate limits, server errors, timeouts and dropped
 * connections (honouring Retry-After); the reply carries what happened
 * (attempts, waits, cached, cost) for the recorder. The inner model makes
 * one attempt per call: its own retries are turned off when it is created.
 */
export class ManagedChatModel extends BaseChatModel {
  private readonly inner: BaseChatModel;
  private readonly target: ManagedModelTarget;
  private readonly bound: BoundTools | undefined;
  private boundInner: Runnable<BaseMessage[], AIMessage> | undefined;

  constructor(inner: BaseChatModel, target: ManagedModelTarget, bound?: BoundTools) {
    super({});
    this.inner = inner;
    this.target = target;
    this.bound = bound;
  }

  static override lc_name(): string {
    return "ManagedChatModel";
  }

  override _llmType(): string {
    // Asked for by the base class's constructor too, before the inner model is set.
    return this.inner?._llmType() ?? "trajlab-managed";
  }

  /** The inner model's parameters, so traces and the recorder name the model and settings it was asked with. */
  override invocationParams(options?: this["ParsedCallOptions"]): Record<string, unknown> {
    const inner = this.inner as BaseChatModel & { invocationParams?: (options?: unknown) => Record<string, unknown> };
    return inner.invocationParams?.(options) ?? {};
  }

  override getLsParams(options: this["ParsedCallOptions"]) {
    return this.inner.getLsParams(options);
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<BaseChatModelCallOptions>,
  ): ReturnType<NonNullable<BaseChatModel["bindTools"]>> {
    if (!this.inner.bindTools) {
      throw new TrajlabError("MODEL_WITHOUT_TOOLS", `model ${this.target.spec} does not support tool calling`, {
        hint: "use a chat model with tool calling, or an agent that calls no tools",
      });
    }
    return new ManagedChatModel(this.inner, this.target, { tools, kwargs }) as unknown as ReturnType<
      NonNullable<BaseChatModel["bindTools"]>
    >;
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const settings = modelCallSettings();
    const cache = settings.cacheDir === null ? null : new ModelCallCache(settings.cacheDir);
    const hash =
      cache?.keyOf({
        spec: this.target.spec,
        server: this.target.server,
        parameters: { ...this.invocationParams(), seed: this.target.seed },
        messages,
        tools: this.bound?.tools ?? [],
        options: { ...(this.bound?.kwargs ?? {}), stop: options.stop ?? null },
      }) ?? null;
    const cachedReply = hash === null ? undefined : cache!.get(hash);
    if (cachedReply)
      return this.result(cachedReply, { attempts: 0, retries: [], cached: true, costUsd: this.costOf(cachedReply, settings) });

    const model = this.innerModel();
    let answered: Awaited<ReturnType<typeof withRetries<AIMessage>>>;
    try {
      answered = await limiterOf(
        this.target.provider,
        settings,
      )(() =>
        // The recorder records this model's run; the inner call must not be recorded twice.
        withRetries(
          (signal) => model.invoke(messages, { signal, callbacks: [], ...(options.stop ? { stop: options.stop } : {}) }),
          settings,
          options.signal,
        ),
      );
    } catch (error) {
      const retries = retriesBefore(error);
      const transport: CallTransport = { attempts: retries.length + 1, retries, cached: false, costUsd: null };
      if (error && typeof error === "object") Object.assign(error, { [TRANSPORT_KEY]: transport });
      throw error;
    }
    const { value: reply, retries } = answered;
    if (hash !== null) cache!.put(hash, reply);
    return this.result(reply, { attempts: retries.length + 1, retries, cached: false, costUsd: this.costOf(reply, settings) });
  }

  private innerModel(): Runnable<BaseMessage[], AIMessage> {
    this.boundInner ??= this.bound ? bindInner(this.inner, this.bound) : (this.inner as Runnable<BaseMessage[], AIMessage>);
    return this.boundInner;
  }

  private costOf(reply: AIMessage, settings: ModelCallSettings): number | null {
    const usage = reply.usage_metadata;
    if (!usage) return null;
    const cached = (usage.input_token_details as { cache_read?: number } | undefined)?.cache_read;
    return costOf(
      this.target.spec,
      { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, cachedInputTokens: cached },
      settings.prices,
    );
  }

  private result(reply: AIMessage, transport: CallTransport): ChatResult {
    reply.response_metadata = { ...(reply.response_metadata ?? {}), [TRANSPORT_KEY]: transport };
    const text =
      typeof reply.content === "string"
        ? reply.content
        : reply.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join("");
    return { generations: [{ text, message: reply }], llmOutput: {} };
  }
}
