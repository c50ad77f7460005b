import { costTotals, type Trajectory } from "../harness/index.js";

/** What a run has spent against its `--max-cost`, trial by trial. */
export interface CostBudget {
  /** Whether another trial may start: nothing was set, or the spending is still under it. */
  mayStart(): boolean;
  /** Counts a finished trial's spending. */
  add(trajectory: Trajectory): void;
  /** True once spending reached the limit (and so some trials were left to a resume, if any were left). */
  reached(): boolean;
  /** Spent so far, in US dollars. */
  spent(): number;
}

/**
 * The budget of a run: `maxCost` dollars (or none), with what the
 * trajectories already recorded (a resumed run's) spent, `spentBefore`,
 * counted from the start. Spending is what reached a provider: the cache's
 * replies cost nothing.
 */
export function costBudget(maxCost: number | undefined, spentBefore: number): CostBudget {
  let spent = spentBefore;
  return {
    mayStart: () => maxCost === undefined || spent < maxCost,
    add: (trajectory) => {
      spent += costTotals([trajectory])?.spentUsd ?? 0;
    },
    reached: () => maxCost !== undefined && spent >= maxCost,
    spent: () => spent,
  };
}
