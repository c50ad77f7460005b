import { setMaxListeners } from "node:events";
import { parentPort, Worker } from "node:worker_threads";
import type { Policy, Scenario } from "../../scenarios/index.js";
import { builtinAgents, type AgentDefinition } from "../../agents/index.js";
import { TrajlabError, errorMessage, isTrajlabError, type ErrorCode } from "../../errors/index.js";
import type { Grade, Grader } from "../graders/grade.js";
import { gradeTrajectoryAsync } from "../graders/registry.js";
import type { RecordedTrajectory } from "../trajectory/schema.js";
import { runTrial, type TrialSpec } from "./run-trial.js";

/** A finished trial: its trajectory and the grades it got. */
export interface TrialOutcome {
  readonly trajectory: RecordedTrajectory;
  readonly grades: Grade[];
}

/**
 * Runs one trial and grades it; `signal` stops it (the suite stopping). The
 * default runs it in this thread; a {@link TrialPool} runs it in a worker.
 */
export type TrialExecutor = (spec: TrialSpec, graders: readonly Grader[], signal: AbortSignal) => Promise<TrialOutcome>;

/** Runs and grades a trial in this thread. */
export const runInThisThread: TrialExecutor = async (spec, graders, signal) => {
  const trajectory = await runTrial(spec, { signal });
  return { trajectory, grades: await gradeTrajectoryAsync(trajectory, spec.scenario, graders) };
};

/** A trial as it crosses to a worker: ids the worker looks up in its own catalog, and the settings. */
interface TrialTask {
  readonly runId: string;
  readonly scenarioId: string;
  readonly agentId: string;
  readonly model: string;
  readonly trial: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly maxSteps?: number;
}

/** An error as it crosses back: enough to raise it again as it was (a TrajlabError keeps its code and fix). */
interface CarriedError {
  readonly message: string;
  readonly name: string;
  readonly stack?: string;
  readonly code?: ErrorCode;
  readonly hint?: string;
}

type ToWorker = { readonly kind: "run"; readonly id: number; readonly task: TrialTask } | { readonly kind: "abort"; readonly id: number };
type FromWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "failed"; readonly error: CarriedError }
  | { readonly kind: "done"; readonly id: number; readonly outcome: TrialOutcome }
  | { readonly kind: "threw"; readonly id: number; readonly error: CarriedError };

function carry(error: unknown): CarriedError {
  const stack = error instanceof Error ? error.stack : undefined;
  const name = error instanceof Error ? error.name : "Error";
  if (isTrajlabError(error)) return { message: error.message, name, stack, code: error.code, hint: error.hint };
  return { message: errorMessage(error), name, stack };
}

function raise(carried: CarriedError, where: string): Error {
  if (carried.code) return new TrajlabError(carried.code, carried.message, { hint: carried.hint });
  const error = new Error(`${carried.message} (in ${where})`);
  error.name = carried.name;
  if (carried.stack) error.stack = `${carried.name}: ${error.message}\n${carried.stack.split("\n").slice(1).join("\n")}`;
  return error;
}

/** What a worker needs to run trials: the catalog, as its own thread loaded it. */
export interface WorkerCatalog {
  readonly scenarios: readonly Scenario[];
  readonly agents: readonly AgentDefinition[];
  readonly policies: readonly Policy[];
  readonly graders: readonly Grader[];
}

/** Where a pool's workers start, and what they are given. */
export interface TrialPoolOptions {
  /** Worker threads to start. */
  readonly workers: number;
  /** The worker module: it loads its catalog and calls {@link serveTrials}. */
  readonly script: URL;
  /** Handed to every worker as `workerData` (structured-cloned; a SharedArrayBuffer in it is shared). */
  readonly workerData: unknown;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending: Map<number, { resolve(outcome: TrialOutcome): void; reject(error: unknown): void }>;
  dead: Error | null;
}

/**
 * Worker threads that run trials, so a run uses every core: each worker
 * loads the catalog itself (built-ins and trajlab.config.ts), runs the trials
 * it is sent and grades them, and sends back the trajectory and grades;
 * this thread decides what starts when and writes every file. A trial goes
 * to the worker with the fewest running. A worker that dies fails its
 * trials with WORKER_FAILED, which stops the suite like any fatal error.
 */
export class TrialPool {
  private readonly workers: PoolWorker[];
  private next = 0;

  constructor(options: TrialPoolOptions) {
    this.workers = Array.from({ length: options.workers }, (_, index) => this.start(options, index));
  }

  private start(options: TrialPoolOptions, index: number): PoolWorker {
    const worker = new Worker(options.script, { workerData: options.workerData, stdout: false, stderr: false });
    const pending: PoolWorker["pending"] = new Map();
    const entry: PoolWorker = { worker, pending, ready: Promise.resolve(), dead: null };
    const die = (error: Error): void => {
      if (entry.dead) return;
      entry.dead = error;
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    };
    const where = `trial worker ${index + 1}`;
    (entry as { ready: Promise<void> }).ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (message: FromWorker) => {
        if (message.kind === "ready") resolve();
        else if (message.kind === "failed") {
          const error = raise(message.error, where);
          die(error);
          reject(error);
        } else {
          const waiting = pending.get(message.id);
          pending.delete(message.id);
          if (message.kind === "done") waiting?.resolve(message.outcome);
          else waiting?.reject(raise(message.error, where));
        }
      });
      const lost = (reason: string, cause?: unknown): void => {
        const error = new TrajlabError("WORKER_FAILED", `${where} stopped: ${reason}`, {
          hint: "run again without --workers to see the error in this process, and report it if it is trajlab's",
          cause,
        });
        die(error);
        reject(error);
      };
      worker.on("error", (error) => lost(errorMessage(error), error));
      worker.on("exit", (code) => lost(`it exited with status ${code}`));
    });
    // Failures reach the trials waiting on it; nobody may be waiting on `ready` itself.
    entry.ready.catch(() => undefined);
    return entry;
  }

  /** Runs a trial in a worker; `graders` must be the worker catalog's (they are looked up there, not sent). */
  readonly execute: TrialExecutor = (spec, _graders, signal) => {
    const entry = this.leastBusy();
    if (entry.dead) return Promise.reject(entry.dead);
    const id = this.next++;
    const task: TrialTask = {
      runId: spec.runId,
      scenarioId: spec.scenario.id,
      agentId: spec.agent.id,
      model: spec.model,
      trial: spec.trial,
      seed: spec.seed,
      timeoutMs: spec.timeoutMs,
      ...(spec.maxSteps === undefined ? {} : { maxSteps: spec.maxSteps }),
    };
    return new Promise<TrialOutcome>((resolve, reject) => {
      const onAbort = (): void => entry.worker.postMessage({ kind: "abort", id } satisfies ToWorker);
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          signal.removeEventListener("abort", onAbort);
          finish(value);
        };
      // The trial is the worker's from now on, before the worker is ready: the trials a run
      // starts at once spread over the workers instead of all going to the first. A worker
      // that dies before it is ready rejects it with the rest of its pending trials.
      entry.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      void entry.ready.then(
        () => {
          if (!entry.pending.has(id)) return;
          signal.addEventListener("abort", onAbort, { once: true });
          entry.worker.postMessage({ kind: "run", id, task } satisfies ToWorker);
          if (signal.aborted) onAbort();
        },
        () => undefined,
      );
    });
  };

  private leastBusy(): PoolWorker {
    const alive = this.workers.filter((entry) => !entry.dead);
    const candidates = alive.length > 0 ? alive : this.workers;
    return candidates.reduce((best, entry) => (entry.pending.size < best.pending.size ? entry : best));
  }

  /** Stops every worker (trials still running in them are abandoned). */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (entry) => {
        entry.worker.removeAllListeners("exit");
        entry.dead ??= new TrajlabError("WORKER_FAILED", "the trial pool was closed", { hint: "start a new pool" });
        await entry.worker.terminate();
      }),
    );
  }
}

/**
 * The worker's side of a {@link TrialPool}: answers the trials it is sent
 * with `catalog` (which the worker loaded, so users' agents, scenarios and
 * graders are the same as the main thread's). Call it from the worker module
 * once the catalog is loaded, or with the loading promise so a failure to
 * load is reported to the pool.
 */
export async function serveTrials(catalog: Promise<WorkerCatalog> | WorkerCatalog): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("serveTrials runs in a worker thread started by a TrialPool");
  let loaded: WorkerCatalog;
  try {
    loaded = await catalog;
  } catch (error) {
    port.postMessage({ kind: "failed", error: carry(error) } satisfies FromWorker);
    return;
  }
  const scenarios = new Map(loaded.scenarios.map((scenario) => [scenario.id, scenario]));
  const agents = new Map([...builtinAgents, ...loaded.agents].map((agent) => [agent.id, agent]));
  const running = new Map<number, AbortController>();
  port.on("message", (message: ToWorker) => {
    if (message.kind === "abort") {
      running.get(message.id)?.abort(new Error("the suite stopped"));
      return;
    }
    const { id, task } = message;
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    running.set(id, controller);
    void (async () => {
      try {
        const scenario = scenarios.get(task.scenarioId);
        const agent = agents.get(task.agentId);
        if (!scenario || !agent) {
          throw new TrajlabError(
            "WORKER_FAILED",
            `the worker's catalog has no ${scenario ? `agent "${task.agentId}"` : `scenario "${task.scenarioId}"`}`,
            {
              hint: "the config file changed while the run started; run again",
            },
          );
        }
        const spec: TrialSpec = { ...task, scenario, agent, policies: loaded.policies };
        const outcome = await runInThisThread(spec, loaded.graders, controller.signal);
        port.postMessage({ kind: "done", id, outcome } satisfies FromWorker);
      } catch (error) {
        port.postMessage({ kind: "threw", id, error: carry(error) } satisfies FromWorker);
      } finally {
        running.delete(id);
      }
    })();
  });
  port.postMessage({ kind: "ready" } satisfies FromWorker);
}
