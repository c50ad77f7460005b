import { UNKNOWN_USAGE, type TokenSource, type TokenUsage, type Trajectory, type TrajectoryEvent } from "./schema.js";

/**
 * Usage from the counts a source gave. A total it left out is the sum when
 * both parts are known; with no count at all the usage is `unknown`.
 */
export function counted(
  source: Exclude<TokenSource, "unknown">,
  input: number | undefined | null,
  output: number | undefined | null,
  total: number | undefined | null,
): TokenUsage {
  const inputTokens = input ?? null;
  const outputTokens = output ?? null;
  const totalTokens = total ?? (inputTokens !== null && outputTokens !== null ? inputTokens + outputTokens : null);
  if (inputTokens === null && outputTokens === null && totalTokens === null) return { ...UNKNOWN_USAGE };
  return { source, inputTokens, outputTokens, totalTokens };
}

/**
 * A trajectory's usage: model and tool calls counted, token counts summed
 * over its model calls. A count is null unless every model call recorded it
 * (a partial sum would pass for a total); the source is the weakest of the
 * calls' (unknown, then estimated, then provider). With no model calls the
 * counts are unknown.
 */
export function usageTotals(events: readonly TrajectoryEvent[]): Trajectory["usage"] {
  const calls = events.filter((event) => event.kind === "llm_call");
  const toolCalls = events.filter((event) => event.kind === "tool_call").length;
  const sumOf = (pick: (usage: TokenUsage) => number | null): number | null => {
    let total = 0;
    for (const call of calls) {
      const value = pick(call.usage);
      if (value === null) return null;
      total += value;
    }
    return calls.length === 0 ? null : total;
  };
  const inputTokens = sumOf((usage) => usage.inputTokens);
  const outputTokens = sumOf((usage) => usage.outputTokens);
  const totalTokens = sumOf((usage) => usage.totalTokens);
  const sources = new Set(calls.map((call) => call.usage.source));
  const source: TokenSource =
    calls.length === 0 || sources.has("unknown") || (inputTokens === null && outputTokens === null && totalTokens === null)
      ? "unknown"
      : sources.has("estimated")
        ? "estimated"
        : "provider";
  return source === "unknown"
    ? { ...UNKNOWN_USAGE, llmCalls: calls.length, toolCalls }
    : { source, inputTokens, outputTokens, totalTokens, llmCalls: calls.length, toolCalls };
}
