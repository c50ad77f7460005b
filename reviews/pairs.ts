import type { TrajectoryEntry } from "./trajectory-index.js";

/** Two trajectories of one scenario, shown side by side as A and B. */
export interface TrajectoryPair {
  readonly scenarioId: string;
  readonly a: TrajectoryEntry;
  readonly b: TrajectoryEntry;
}

/**
 * Pairs for preference judgements. Within each scenario, trajectories are
 * grouped by variant (agent and model); every two variants are compared trial
 * by trial (the i-th of one with the i-th of the other). A scenario with a
 * single variant pairs its trials two by two. The count stays linear in the
 * number of trajectories per variant pair, and the order is deterministic.
 * Which side is A is decided by a hash of the two ids, so one variant is not
 * always on the left (people favour one side when unsure).
 */
export function pairsOf(entries: readonly TrajectoryEntry[]): TrajectoryPair[] {
  const scenarios = new Map<string, Map<string, TrajectoryEntry[]>>();
  for (const entry of entries) {
    const variants = scenarios.get(entry.scenarioId) ?? new Map<string, TrajectoryEntry[]>();
    scenarios.set(entry.scenarioId, variants);
    const key = `${entry.agent} ${entry.model}`;
    const list = variants.get(key);
    if (list) list.push(entry);
    else variants.set(key, [entry]);
  }
  const pairs: TrajectoryPair[] = [];
  for (const scenarioId of [...scenarios.keys()].sort()) {
    const variants = [...scenarios.get(scenarioId)!.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, list]) => list);
    if (variants.length === 1) {
      const only = variants[0]!;
      for (let i = 0; i + 1 < only.length; i += 2) pairs.push(sides(scenarioId, only[i]!, only[i + 1]!));
      continue;
    }
    for (let x = 0; x < variants.length; x += 1) {
      for (let y = x + 1; y < variants.length; y += 1) {
        const first = variants[x]!;
        const second = variants[y]!;
        for (let i = 0; i < Math.min(first.length, second.length); i += 1) pairs.push(sides(scenarioId, first[i]!, second[i]!));
      }
    }
  }
  return pairs;
}

/**
 * Pairs for comparing runs: each trajectory of one run with a trajectory of
 * another run for the same scenario, for every two runs in the order given.
 * Within a scenario both runs' trajectories are taken in trial order (file
 * order where trials repeat) and paired one to one, so trial 0 meets trial 0
 * when both runs have it, and runs that numbered their trials differently
 * still pair up. Within a run nothing is paired. Sides are decided by a hash,
 * as in {@link pairsOf}.
 */
export function pairsAcrossRuns(entries: readonly TrajectoryEntry[]): TrajectoryPair[] {
  const byRun = new Map<string, Map<string, TrajectoryEntry[]>>();
  for (const entry of entries) {
    const scenarios = byRun.get(entry.run.id) ?? new Map<string, TrajectoryEntry[]>();
    byRun.set(entry.run.id, scenarios);
    scenarios.set(entry.scenarioId, [...(scenarios.get(entry.scenarioId) ?? []), entry]);
  }
  // Array.prototype.sort is stable: equal trials keep their file order.
  for (const scenarios of byRun.values()) for (const list of scenarios.values()) list.sort((a, b) => a.trial - b.trial);
  const runs = [...byRun.values()];
  const pairs: TrajectoryPair[] = [];
  for (let x = 0; x < runs.length; x += 1) {
    for (let y = x + 1; y < runs.length; y += 1) {
      const other = runs[y]!;
      const scenarioIds = [...runs[x]!.keys()].filter((scenarioId) => other.has(scenarioId)).sort();
      for (const scenarioId of scenarioIds) {
        const first = runs[x]!.get(scenarioId)!;
        const second = other.get(scenarioId)!;
        for (let i = 0; i < Math.min(first.length, second.length); i += 1) pairs.push(sides(scenarioId, first[i]!, second[i]!));
      }
    }
  }
  return pairs;
}

function sides(scenarioId: string, one: TrajectoryEntry, other: TrajectoryEntry): TrajectoryPair {
  let hash = 0;
  for (const char of `${one.id}|${other.id}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 2 === 0 ? { scenarioId, a: one, b: other } : { scenarioId, a: other, b: one };
}
