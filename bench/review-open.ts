/**
 * Opening a run for review: a small run (100 trajectories) and a large one
 * (10,000, about 15 kB a line like recorded trajectories), measured in the
 * same process. "open" is indexing trajectories.jsonl, reading grades and
 * the reviewer's file; "first frame" adds building the queue and rendering
 * the TUI until the queue is on screen. Prints both sizes and the ratio.
 *
 *   npx tsx bench/review-open.ts [large-count]
 */
import { rm } from "node:fs/promises";
import { ReviewSession } from "../reviews/index.js";
import { tempRunsDir, writeSyntheticRun } from "../tests/reviews/fixtures.js";

// As `trajlab review` runs it: React's production build.
process.env.NODE_ENV ??= "production";
const { render } = await import("ink-testing-library");
const { createElement } = await import("react");
const { ReviewApp } = await import("../reviews/tui/index.js");

const SMALL = 100;
const LARGE = Number(process.argv[2] ?? 10_000);

async function measure(count: number, runsDir: string): Promise<{ openMs: number; frameMs: number; bytes: number }> {
  const run = await writeSyntheticRun(runsDir, `run-${count}`, count);
  const { size } = await (await import("node:fs/promises")).stat(run.file("trajectories"));
  const started = performance.now();
  const session = await ReviewSession.open({ runs: [run], reviewer: "bench", lock: false });
  const openMs = performance.now() - started;
  const instance = render(createElement(ReviewApp, { session, size: { columns: 120, rows: 40 } }));
  while (!(instance.lastFrame() ?? "").includes(`of ${count} reviewed`)) await new Promise((resolve) => setImmediate(resolve));
  const frameMs = performance.now() - started;
  instance.unmount();
  await session.close();
  return { openMs, frameMs, bytes: size };
}

const runsDir = await tempRunsDir();
try {
  await measure(SMALL, runsDir); // warm-up: module loading and JIT
  const small = await measure(SMALL, `${runsDir}/again`);
  const large = await measure(LARGE, runsDir);
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(`trajectories   file        open (index, grades, reviews)   first frame`);
  console.log(
    `${String(SMALL).padStart(12)}   ${mb(small.bytes).padStart(8)}   ${small.openMs.toFixed(0).padStart(10)} ms                   ${small.frameMs.toFixed(0).padStart(6)} ms`,
  );
  console.log(
    `${String(LARGE).padStart(12)}   ${mb(large.bytes).padStart(8)}   ${large.openMs.toFixed(0).padStart(10)} ms                   ${large.frameMs.toFixed(0).padStart(6)} ms`,
  );
  console.log(
    `ratio large/small: open ${(large.openMs / small.openMs).toFixed(1)}x, first frame ${(large.frameMs / small.frameMs).toFixed(1)}x for ${(LARGE / SMALL).toFixed(0)}x the trajectories`,
  );
  console.log(`per trajectory: ${((large.openMs / LARGE) * 1000).toFixed(0)} µs to open at ${LARGE}`);
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
