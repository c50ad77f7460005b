/**
 * A stand-in for cli/trial-worker.ts in TrialPool tests: it speaks the pool's
 * messages without loading a catalog or running agents. It is ready after
 * `workerData.readyAfterMs`, and answers each trial after `workerData.trialMs`
 * with a trajectory that names the thread that ran it (`threadId`).
 * Plain JavaScript, so it starts as a worker thread without a TypeScript loader.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";

const { readyAfterMs, trialMs } = workerData;
setTimeout(() => parentPort.postMessage({ kind: "ready" }), readyAfterMs);
parentPort.on("message", (message) => {
  if (message.kind !== "run") return;
  setTimeout(() => {
    const trajectory = { id: `${message.task.scenarioId}#${message.task.trial}`, threadId };
    parentPort.postMessage({ kind: "done", id: message.id, outcome: { trajectory, grades: [] } });
  }, trialMs);
});
