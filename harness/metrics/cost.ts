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
  const tally = new CostTally();
  for (const trajectory of trajectories) tally.add(trajectory);
  return tally.result();
}

/** {@link costTotals} counted one trajectory at a time (the same sums, added in the same order). */
export class CostTally {
  private listUsd = 0;
  private spentUsd = 0;
  private pricedCalls = 0;
  private cachedCalls = 0;
  private unpricedCalls = 0;
  private readonly unpricedModels = new Set<string>();
  private known = false;

  add(trajectory: Trajectory): void {
    for (const event of trajectory.events) {
      if (event.kind !== "llm_call" || event.costUsd === undefined) continue;
      this.known = true;
      if (event.transport?.cached) this.cachedCalls += 1;
      if (event.costUsd === null) {
        this.unpricedCalls += 1;
        this.unpricedModels.add(trajectory.model ?? event.model ?? "unknown");
        continue;
      }
      this.pricedCalls += 1;
      this.listUsd += event.costUsd;
      if (!event.transport?.cached) this.spentUsd += event.costUsd;
    }
  }

  /** The totals so far; null when no call recorded a cost. */
  result(): CostTotals | null {
    if (!this.known) return null;
    return {
      listUsd: round(this.listUsd),
      spentUsd: round(this.spentUsd),
      pricedCalls: this.pricedCalls,
      cachedCalls: this.cachedCalls,
      unpricedCalls: this.unpricedCalls,
      unpricedModels: [...this.unpricedModels].sort(),
    };
  }
}

/** Micro-dollars and below: sums over a run stay exact enough and the JSON stays short. */
function round(dollars: number): number {
  return Math.round(dollars * 1e9) / 1e9;
}
