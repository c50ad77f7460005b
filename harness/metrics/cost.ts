import type { Trajectory } from "../trajectory/schema.js";

/** What a set of trajectories' model calls cost, from the cost recorded on each call. */
export interface CostTotals {
  /** The calls' tokens at list price, cached calls included: what the run would cost without the cache. */
  readonly listUsd: number;
  /** What was spent: calls that reached the provider (the cache's replies cost nothing). */
  readonly spentUsd: number;
  /** Calls whose model has a price (in the built-in table or the config's). */
  readonly pricedCalls: number;
  /** Calls answered from the model-call cache. */
  readonly cachedCalls: number;
  /** Calls to real models whose model has no price. */
  readonly unpricedCalls: number;
  /** The model specs of those calls, sorted: what to add to `prices` in trajlab.config.ts. */
  readonly unpricedModels: string[];
}

/**
 * The cost of the trajectories' model calls, or null when none recorded one
 * (offline policy models, imported logs): a run without a price is not free.
 */
export function costTotals(trajectories: readonly Trajectory[]): CostTotals | null {
  let listUsd = 0;
  let spentUsd = 0;
  let pricedCalls = 0;
  let cachedCalls = 0;
  let unpricedCalls = 0;
  const unpricedModels = new Set<string>();
  let known = false;
  for (const trajectory of trajectories) {
    for (const event of trajectory.events) {
      if (event.kind !== "llm_call" || event.costUsd === undefined) continue;
      known = true;
      if (event.transport?.cached) cachedCalls += 1;
      if (event.costUsd === null) {
        unpricedCalls += 1;
        unpricedModels.add(trajectory.model ?? event.model ?? "unknown");
        continue;
      }
      pricedCalls += 1;
      listUsd += event.costUsd;
      if (!event.transport?.cached) spentUsd += event.costUsd;
    }
  }
  if (!known) return null;
  return {
    listUsd: round(listUsd),
    spentUsd: round(spentUsd),
    pricedCalls,
    cachedCalls,
    unpricedCalls,
    unpricedModels: [...unpricedModels].sort(),
  };
}

/** Micro-dollars and below: sums over a run stay exact enough and the JSON stays short. */
function round(dollars: number): number {
  return Math.round(dollars * 1e9) / 1e9;
}
