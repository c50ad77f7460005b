/**
 * Memory an open review holds, on runs shaped like recorded ones (lines of
 * about 24 kB; a recorded line averages 25 kB), as resident memory (RSS) and
 * heap. Each measurement is a fresh process that loads the review code, opens
 * the run (or, for the baseline, nothing) and reports RSS and heap after
 * garbage collection, so no earlier allocation is counted. Baseline: the same
 * process opening nothing, measured in the same run. Prints, for each size,
 * RSS and heap above the baseline, the bytes held per trajectory, and that
 * against the bytes of the file; then the heap a short (10 steps) and a long
 * (1,000 steps) trajectory take once loaded.
 *
 * Leaves out: the terminal UI (bench/review-first-frame.ts measures the real
 * binary's peak RSS in a terminal); allocator pages kept after collection
 * count in RSS, as they do for a reviewer.
 *
 *   npx tsx bench/review-memory.ts [counts...]     # default: 10000 50000
 */
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { openRun } from "../harness/core.js";
import { ReviewSession } from "../reviews/index.js";
import { tempRunsDir, writeRecordedSizeRun, writeStepsRun } from "../tests/reviews/fixtures.js";

interface Held {
  readonly rss: number;
  readonly heap: number;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const held = (): Held => {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heap: heapUsed };
};
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

// A child: open the run given (or nothing), report what the process holds, and end.
if (process.argv[2] === "--child") {
  const [runsDir, runId] = process.argv.slice(3);
  const session = runId ? await ReviewSession.open({ runs: [await openRun(runsDir!, runId)], reviewer: "bench", lock: false }) : null;
  process.stdout.write(JSON.stringify(held()));
  await session?.close();
  process.exit(0);
}

/** What a fresh process holds with `runId` open in a review (nothing open without it). */
function measured(runsDir: string, runId?: string): Held {
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ["--import", "tsx", script, "--child", runsDir, ...(runId ? [runId] : [])], {
    encoding: "utf8",
  });
  return JSON.parse(output) as Held;
}

const counts = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000, 50_000];
const runsDir = await tempRunsDir();
try {
  const baseline = measured(runsDir);
  console.log(`baseline: a process with the review code loaded, nothing open: RSS ${mb(baseline.rss)}, heap ${mb(baseline.heap)}`);
  console.log("trajectories   file        RSS above baseline   heap above baseline   bytes held per trajectory   held / file");
  for (const count of counts) {
    const run = await writeRecordedSizeRun(runsDir, `run-${count}`, count);
    const bytes = statSync(run.file("trajectories")).size;
    const open = measured(runsDir, `run-${count}`);
    const rss = open.rss - baseline.rss;
    const heap = open.heap - baseline.heap;
    console.log(
      `${String(count).padStart(12)}   ${mb(bytes).padStart(9)}   ${mb(rss).padStart(18)}   ${mb(heap).padStart(19)}   ${(rss / count).toFixed(0).padStart(25)}   ${((rss / bytes) * 100).toFixed(1).padStart(10)}%`,
    );
    await rm(run.path, { recursive: true, force: true });
  }

  const stepsRun = await writeStepsRun(runsDir);
  const session = await ReviewSession.open({ runs: [stepsRun], reviewer: "bench", lock: false });
  const before = held();
  const short = session.load("tr-10");
  const shortHeap = held().heap - before.heap;
  const long = session.load("tr-1000");
  const longHeap = held().heap - before.heap - shortHeap;
  void [short, long];
  await session.close();
  console.log(`trajectory loaded:    10 steps ${mb(shortHeap).padStart(9)} of heap`);
  console.log(`trajectory loaded: 1,000 steps ${mb(longHeap).padStart(9)} of heap`);
  console.log("target (with the terminal UI, bench/review-first-frame.ts): review RSS ≤ 300 MB at 100,000 trajectories");
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
