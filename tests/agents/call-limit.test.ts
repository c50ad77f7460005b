import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { sharedCallSlots } from "../../agents/index.js";
import { sharedLimit } from "../../agents/model-calls/call-limit.js";
import { ROOT } from "../support/project.js";

/**
 * The per-provider limit that worker threads share: counters in a
 * SharedArrayBuffer, taken with compare-and-swap and waited on with
 * Atomics.waitAsync, so the limit holds over every thread at once.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sharedLimit", () => {
  it("keeps calls within the limit over every holder of the slots, and runs them all", async () => {
    const slots = sharedCallSlots(["openai", "anthropic", "openai"]);
    expect(slots.providers).toEqual({ openai: 0, anthropic: 1 });
    // Two limits over the same slots stand for two threads.
    const limits = [sharedLimit(slots, "openai", 3)!, sharedLimit(slots, "openai", 3)!];
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limits[index % 2]!(async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(5);
          running -= 1;
          return index;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(most).toBe(3);
    expect(Atomics.load(slots.counts, 0)).toBe(0);
  });

  it("frees the slot of a call that fails, and knows no provider it was not given", async () => {
    const slots = sharedCallSlots(["openai"]);
    const limit = sharedLimit(slots, "openai", 1)!;
    await expect(limit(() => Promise.reject(new Error("429")))).rejects.toThrow("429");
    expect(await limit(async () => "next")).toBe("next");
    expect(sharedLimit(slots, "mistral", 1)).toBeUndefined();
  });

  it("holds across worker threads, and keeps a thread whose calls all wait alive", async () => {
    const slots = sharedCallSlots(["openai"]);
    const peak = new Int32Array(new SharedArrayBuffer(8));
    // Each worker runs 10 calls through the same limit (the built module, as trajlab's workers load it),
    // counting in \`peak\` how many run at once anywhere.
    const module = pathToFileURL(join(ROOT, "dist/agents/model-calls/call-limit.js")).href;
    const source = `
      const { workerData, parentPort } = require("node:worker_threads");
      const { slots, peak } = workerData;
      import(${JSON.stringify(module)}).then(async ({ sharedLimit }) => {
        const limit = sharedLimit(slots, "openai", 2);
        await Promise.all(Array.from({ length: 10 }, () => limit(async () => {
          const now = Atomics.add(peak, 1, 1) + 1;
          for (let seen = Atomics.load(peak, 0); now > seen; seen = Atomics.load(peak, 0)) Atomics.compareExchange(peak, 0, seen, now);
          await new Promise((resolve) => setTimeout(resolve, 3));
          Atomics.sub(peak, 1, 1);
        })));
        parentPort.postMessage("done");
      }, (error) => { throw error; });`;
    const limit = sharedLimit(slots, "openai", 2)!;
    const workers = [0, 1].map(() => new Worker(source, { eval: true, workerData: { slots, peak } }));
    const here = Array.from({ length: 10 }, () =>
      limit(async () => {
        const now = Atomics.add(peak, 1, 1) + 1;
        for (let seen = Atomics.load(peak, 0); now > seen; seen = Atomics.load(peak, 0)) Atomics.compareExchange(peak, 0, seen, now);
        await sleep(3);
        Atomics.sub(peak, 1, 1);
      }),
    );
    await Promise.all([
      ...here,
      ...workers.map((worker) => new Promise((resolve, reject) => worker.once("message", resolve).once("error", reject))),
    ]);
    await Promise.all(workers.map((worker) => worker.terminate()));
    expect(Atomics.load(peak, 0)).toBe(2);
    expect(Atomics.load(slots.counts, 0)).toBe(0);
  });
});
