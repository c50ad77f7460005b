/**
 * A worker thread of `trajlab run --workers`: loads the catalog as the main
 * thread did (built-ins and trajlab.config.ts, from the same folder and
 * config file), sets up calls to real models as the main thread's flags say
 * (with call slots shared across workers), and runs the trials it is sent.
 */
import { workerData } from "node:worker_threads";
import { configureModelCalls, type ModelCallSettings } from "../agents/index.js";
import { serveTrials } from "../harness/index.js";
import { loadCatalog } from "./catalog.js";

/** What `trajlab run` hands each worker. */
export interface TrialWorkerData {
  readonly cwd: string;
  readonly configFile: string | null;
  /** The model-call settings of the main thread, but for its source of jitter (a function does not cross). */
  readonly modelCalls: Omit<ModelCallSettings, "random">;
}

const data = workerData as TrialWorkerData;
configureModelCalls(data.modelCalls);
await serveTrials(loadCatalog({ cwd: data.cwd, ...(data.configFile ? { configFile: data.configFile } : {}) }));
