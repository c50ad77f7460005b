/**
 * Memory held by an open review: the heap after garbage collection with a
 * small run (100 trajectories) open, then a large one (10,000), and with a
 * short (10 steps) then a long (1,000 steps) trajectory loaded, measured in
 * the same process. Prints each and the ratio large/small. The index keeps a
 * few labels and a byte offset per trajectory; trajectories are read only
 * when opened (and a handful cached).
 *
 *   npx tsx bench/review-memory.ts
 */
import { rm } from "node:fs/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ReviewSession } from "../reviews/index.js";
import { tempRunsDir, writeStepsRun, writeSyntheticRun } from "../tests/reviews/fixtures.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

const runsDir = await tempRunsDir();
try {
  const small = await writeSyntheticRun(runsDir, "small", 100);
  const large = await writeSyntheticRun(runsDir, "large", 10_000);
  const stepsRun = await writeStepsRun(runsDir);

  // Warm up module state so it is not counted against the first measurement.
  await (await ReviewSession.open({ runs: [small], reviewer: "bench", lock: false })).close();

  const base = heap();
  const smallSession = await ReviewSession.open({ runs: [small], reviewer: "bench", lock: false });
  const smallHeap = heap() - base;
  await smallSession.close();
  const base2 = heap();
  const largeSession = await ReviewSession.open({ runs: [large], reviewer: "bench", lock: false });
  const largeHeap = heap() - base2;
  await largeSession.close();

  const stepsSession = await ReviewSession.open({ runs: [stepsRun], reviewer: "bench", lock: false });
  const base3 = heap();
  const short = stepsSession.load("tr-10");
  const shortHeap = heap() - base3;
  const base4 = heap();
  const long = stepsSession.load("tr-1000");
  const longHeap = heap() - base4;
  void short;
  void long;
  await stepsSession.close();

  console.log(`open run,     100 trajectories   ${mb(smallHeap).padStart(9)}`);
  console.log(`open run,  10,000 trajectories   ${mb(largeHeap).padStart(9)}   (${(largeHeap / 10_000).toFixed(0)} bytes each)`);
  console.log(`  ratio large/small: ${(largeHeap / Math.max(1, smallHeap)).toFixed(1)}x for 100x the trajectories`);
  console.log(`trajectory,    10 steps loaded   ${mb(shortHeap).padStart(9)}`);
  console.log(`trajectory, 1,000 steps loaded   ${mb(longHeap).padStart(9)}`);
  console.log(`  ratio large/small: ${(longHeap / Math.max(1, shortHeap)).toFixed(1)}x for 100x the steps`);
  console.log(`process RSS at the end: ${mb(process.memoryUsage().rss)}`);
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
