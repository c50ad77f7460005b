import { InvalidArgumentError, type Command } from "commander";
import { join, resolve } from "node:path";
import { DEFAULT_MODEL_CALL_SETTINGS, configureModelCalls, type ModelCallSettings, type PriceTable } from "../agents/index.js";
import { positiveInt } from "./options.js";

/** The flags {@link addModelCallOptions} adds, as commander gives them. */
export interface ModelCallOptions {
  /** False with --no-cache. */
  readonly cache: boolean;
  readonly cacheDir?: string;
  readonly maxRetries: number;
  readonly callTimeout: number;
  readonly providerConcurrency?: Record<string, number> & { default: number };
}

/** The model-call cache's folder when none is given: beside the runs, shared by all of them. */
export function defaultCacheDir(runsDir: string): string {
  return join(runsDir, ".cache", "model-calls");
}

/** Parses `16` (every provider) or `openai=32,anthropic=4` (those two; the others unlimited). */
function providerConcurrency(value: string): Record<string, number> & { default: number } {
  const limits: Record<string, number> & { default: number } = { default: DEFAULT_MODEL_CALL_SETTINGS.providerConcurrency.default };
  for (const part of value.split(",").map((text) => text.trim())) {
    const [name, count] = part.includes("=") ? part.split("=", 2) : ["default", part];
    const number = Number(count);
    if (!name || !Number.isInteger(number) || number < 1) {
      throw new InvalidArgumentError(
        `--provider-concurrency expects a number or provider=number pairs (openai=32,anthropic=4), got ${JSON.stringify(value)}`,
      );
    }
    limits[name.trim()] = number;
  }
  return limits;
}

/** Adds the flags for calls to real models: cache, retries, time limit per call, per-provider concurrency. */
export function addModelCallOptions(command: Command): Command {
  return command
    .option("--no-cache", "call real models even when the model-call cache holds the reply (the cache is on by default)")
    .option("--cache-dir <dir>", "where replies of real models are cached (default: <runs-dir>/.cache/model-calls)")
    .option(
      "--max-retries <n>",
      "retries of a model call on rate limits, server errors, timeouts and dropped connections",
      (value) => (value === "0" ? 0 : positiveInt("--max-retries")(value)),
      DEFAULT_MODEL_CALL_SETTINGS.maxRetries,
    )
    .option(
      "--call-timeout <ms>",
      "time limit of one attempt of a model call",
      positiveInt("--call-timeout"),
      DEFAULT_MODEL_CALL_SETTINGS.callTimeoutMs,
    )
    .option(
      "--provider-concurrency <n>",
      "model calls in flight per provider, e.g. 32, or openai=32,anthropic=4 for those two (default: no limit but --concurrency)",
      providerConcurrency,
    );
}

/** Sets how this command calls real models, from its flags and the config's prices. */
export function configureFromOptions(options: ModelCallOptions, context: { runsDir: string; prices: PriceTable }): ModelCallSettings {
  return configureModelCalls({
    maxRetries: options.maxRetries,
    callTimeoutMs: options.callTimeout,
    providerConcurrency: options.providerConcurrency ?? DEFAULT_MODEL_CALL_SETTINGS.providerConcurrency,
    cacheDir: options.cache ? resolve(options.cacheDir ?? defaultCacheDir(context.runsDir)) : null,
    prices: context.prices,
  });
}
