/**
 * pass@k and pass^k over repeated trials, as τ-bench defines them: for each
 * task with n trials of which c passed, pass^k = C(c, k) / C(n, k) (the
 * chance that k trials drawn without replacement all pass: reliability) and
 * pass@k = 1 − C(n − c, k) / C(n, k) (the chance that at least one passes);
 * each is averaged over the tasks with at least k trials.
 */

/** Trials and passes of one task (one scenario under one agent and model). */
export interface TaskTally {
  readonly trials: number;
  readonly passed: number;
}

/** pass@k and pass^k for one k, with how many tasks had enough trials. */
export interface PassAtK {
  readonly k: number;
  readonly passAtK: number;
  readonly passHatK: number;
  /** Tasks with at least k trials (the ones averaged). */
  readonly tasks: number;
}

/** Binomial coefficient C(n, k) as a float; exact for the sizes trials reach. */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) result = (result * (n - i + 1)) / i;
  return result;
}

/** pass@k and pass^k for k = 1 .. `maxK` (default: the most trials any task has, at most 10). */
export function passAtK(tasks: readonly TaskTally[], maxK?: number): PassAtK[] {
  const most = Math.max(0, ...tasks.map((task) => task.trials));
  const limit = Math.min(maxK ?? 10, most);
  const results: PassAtK[] = [];
  for (let k = 1; k <= limit; k++) {
    const eligible = tasks.filter((task) => task.trials >= k);
    if (eligible.length === 0) continue;
    let at = 0;
    let hat = 0;
    for (const { trials, passed } of eligible) {
      const all = choose(trials, k);
      hat += choose(passed, k) / all;
      at += 1 - choose(trials - passed, k) / all;
    }
    results.push({ k, passAtK: at / eligible.length, passHatK: hat / eligible.length, tasks: eligible.length });
  }
  return results;
}
