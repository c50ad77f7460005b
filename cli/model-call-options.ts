import { join, resolve } from "node:path";
import { DEFAULT_MODEL_CALL_SETTINGS, configureModelCalls, type ModelCallSettings, type PriceTable } from "../agents/index.js";
import type { ModelCallOptions } from "./options.js";

/** The model-call cache's folder when none is given: beside the runs, shared by all of them. */
export function defaultCacheDir(runsDir: string): string {
  return join(runsDir, ".cache", "model-calls");
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
