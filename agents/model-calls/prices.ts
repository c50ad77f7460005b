/** What a model's tokens cost, in US dollars per million tokens. */
export interface ModelPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Input tokens the provider served from its prompt cache, if it prices them apart (defaults to `inputPerMTok`). */
  readonly cachedInputPerMTok?: number;
}

/**
 * Prices by model: keys are model specs (`openai:gpt-4o-mini`) or bare model
 * names (`gpt-4o-mini`, which match under any provider, so an
 * OpenAI-compatible server serving a known model is priced too).
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices of common models, per million tokens, as their providers
 * published them (2025). Prices change: give your own in trajlab.config.ts
 * (`prices: { "openai:gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 } }`),
 * which are looked up first. A model in neither table has no cost (null), not a made-up one.
 */
export const BUILTIN_PRICES: PriceTable = {
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 },
  "gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025 },
  o3: { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
  "o3-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4, cachedInputPerMTok: 0.55 },
  "o4-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4, cachedInputPerMTok: 0.275 },
  "claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5 },
  "claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 },
  "claude-sonnet-4": { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 },
  "claude-3-5-haiku-latest": { inputPerMTok: 0.8, outputPerMTok: 4, cachedInputPerMTok: 0.08 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1 },
  "gemini-2.5-pro": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "gemini-2.5-flash": { inputPerMTok: 0.3, outputPerMTok: 2.5 },
  "mistral-large-latest": { inputPerMTok: 2, outputPerMTok: 6 },
  "deepseek-chat": { inputPerMTok: 0.27, outputPerMTok: 1.1 },
};

/** Token counts of one call, as the provider reported them. */
export interface CallTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Of the input, tokens served from the provider's prompt cache. */
  readonly cachedInputTokens?: number;
}

/** The price of a model spec: the user's table first (by spec, then bare name), then the built-in one. */
export function priceOf(spec: string, prices: PriceTable = {}): ModelPrice | undefined {
  const name = spec.slice(spec.indexOf(":") + 1);
  return prices[spec] ?? prices[name] ?? BUILTIN_PRICES[spec] ?? BUILTIN_PRICES[name];
}

/** What a call cost in US dollars, or null when the model has no price. */
export function costOf(spec: string, tokens: CallTokens, prices: PriceTable = {}): number | null {
  const price = priceOf(spec, prices);
  if (!price) return null;
  const cached = Math.min(tokens.cachedInputTokens ?? 0, tokens.inputTokens);
  const dollars =
    ((tokens.inputTokens - cached) * price.inputPerMTok +
      cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
      tokens.outputTokens * price.outputPerMTok) /
    1_000_000;
  // Micro-dollars: sums over a run stay exact enough and the JSON stays short.
  return Math.round(dollars * 1e9) / 1e9;
}
