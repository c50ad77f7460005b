import { configureModelCalls, modelCallSettings, parseModelSpec, sharedCallSlots } from "../agents/index.js";
import { TrialPool, type TrialExecutor } from "../harness/index.js";
import type { TrialWorkerData } from "./trial-worker.js";

/**
 * Runs `work` with the executor `--workers` asks for: none (trials run in
 * this thread) without it, else a pool of worker threads that load the
 * catalog from `configFile` and call real models with this thread's settings,
 * the per-provider limits shared across them. The workers are stopped when
 * `work` ends, however it ends.
 */
export async function withTrialWorkers<T>(
  workers: number | undefined,
  context: { readonly configFile: string | null | undefined; readonly models: readonly string[] },
  work: (executor: TrialExecutor | undefined) => Promise<T>,
): Promise<T> {
  if (workers === undefined) return work(undefined);
  const providers = context.models.flatMap((spec) => {
    const parsed = parseModelSpec(spec);
    return parsed.kind === "provider" ? [parsed.provider] : [];
  });
  const { random: _random, ...settings } = configureModelCalls({ ...modelCallSettings(), sharedSlots: sharedCallSlots(providers) });
  const workerData: TrialWorkerData = { cwd: process.cwd(), configFile: context.configFile ?? null, modelCalls: settings };
  const pool = new TrialPool({ workers, script: new URL("./trial-worker.js", import.meta.url), workerData });
  try {
    return await work(pool.execute);
  } finally {
    await pool.close();
  }
}
