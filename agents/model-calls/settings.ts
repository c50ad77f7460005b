import type { SharedCallSlots } from "./call-limit.js";
import type { PriceTable } from "./prices.js";

/** How calls to real (provider) models are made: retries, limits, cache and prices. */
export interface ModelCallSettings {
  /** Attempts after the first when a call fails in a way worth retrying (429, 5xx, timeouts, dropped connections). */
  readonly maxRetries: number;
  /** First backoff in milliseconds; each retry doubles it, up to `maxDelayMs`, with jitter. */
  readonly baseDelayMs: number;
  /** Longest wait between attempts, a provider's Retry-After included. */
  readonly maxDelayMs: number;
  /** Time limit of one attempt in milliseconds; an attempt that runs over is retried. */
  readonly callTimeoutMs: number;
  /** Calls in flight at once per provider (`openai`, `anthropic`, ...), whatever the trial concurrency; `default` for the others. */
  readonly providerConcurrency: Readonly<Record<string, number>> & { readonly default: number };
  /**
   * Counters of calls in flight that worker threads share, so that
   * `providerConcurrency` holds across all of them; absent within one thread.
   */
  readonly sharedSlots?: SharedCallSlots;
  /** Folder of the model-call cache, or null for no cache. */
  readonly cacheDir: string | null;
  /** Prices per million tokens, by model spec; see {@link PriceTable}. */
  readonly prices: PriceTable;
  /** The source of jitter: a number in [0, 1). */
  readonly random: () => number;
}

/** The settings a run starts with, unless told otherwise. */
export const DEFAULT_MODEL_CALL_SETTINGS: ModelCallSettings = {
  maxRetries: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  callTimeoutMs: 120_000,
  // No limit but the run's --concurrency, unless asked for.
  providerConcurrency: { default: Number.POSITIVE_INFINITY },
  cacheDir: null,
  prices: {},
  random: Math.random,
};

let current: ModelCallSettings = DEFAULT_MODEL_CALL_SETTINGS;

/**
 * Sets how calls to provider models are made from now on in this process
 * (the CLI does it once per command, from its flags and the config). Fields
 * left out keep their defaults. Models already created read the settings at
 * each call, so a change applies to them too.
 */
export function configureModelCalls(settings: Partial<ModelCallSettings>): ModelCallSettings {
  current = { ...DEFAULT_MODEL_CALL_SETTINGS, ...settings };
  return current;
}

/** The settings in force. */
export function modelCallSettings(): ModelCallSettings {
  return current;
}
