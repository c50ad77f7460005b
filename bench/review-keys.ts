/**
 * Key-to-frame time: from a key reaching the TUI to the next frame written,
 * in the queue of a small (100) and a large (10,000) run, and in the timeline
 * of a short (10 steps) and a long (1,000 steps) trajectory, measured in the
 * same process. Prints the median and 95th percentile and the ratio
 * large/small. Frames are Ink's own (debug rendering writes each frame
 * whole, a worst case for the terminal side).
 *
 *   npx tsx bench/review-keys.ts [presses]
 */
import { rm } from "node:fs/promises";
import { ReviewSession } from "../reviews/index.js";
import { tempRunsDir, writeStepsRun, writeSyntheticRun } from "../tests/reviews/fixtures.js";

// As `trajlab review` runs it: React's production build.
process.env.NODE_ENV ??= "production";
const { render } = await import("ink-testing-library");
const { createElement } = await import("react");
const { ReviewApp } = await import("../reviews/tui/index.js");

const PRESSES = Number(process.argv[2] ?? 200);
const DOWN = "\u001B[B";
const UP = "\u001B[A";

interface Timing {
  median: number;
  p95: number;
}

async function keyToFrame(session: ReviewSession, setup: string[], ready: string): Promise<Timing> {
  const instance = render(createElement(ReviewApp, { session, size: { columns: 120, rows: 40 } }));
  const frame = (): string => instance.lastFrame() ?? "";
  while (!frame().includes("reviewed")) await new Promise((resolve) => setImmediate(resolve));
  for (const key of setup) {
    instance.stdin.write(key);
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (!frame().includes(ready)) await new Promise((resolve) => setImmediate(resolve));
  const times: number[] = [];
  for (let i = 0; i < PRESSES + 20; i += 1) {
    const before = instance.frames.length;
    const started = performance.now();
    instance.stdin.write(i % 40 < 20 ? DOWN : UP);
    while (instance.frames.length === before) await new Promise((resolve) => setImmediate(resolve));
    if (i >= 20) times.push(performance.now() - started);
  }
  instance.unmount();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]! };
}

const runsDir = await tempRunsDir();
try {
  const small = await writeSyntheticRun(runsDir, "small", 100);
  const large = await writeSyntheticRun(runsDir, "large", 10_000);
  const stepsRun = await writeStepsRun(runsDir);
  const open = (run: typeof small) => ReviewSession.open({ runs: [run], reviewer: "bench", lock: false });

  const sessions = { small: await open(small), large: await open(large), steps: await open(stepsRun) };
  await keyToFrame(sessions.small, [], "reviewed"); // warm-up
  const queueSmall = await keyToFrame(sessions.small, [], "reviewed");
  const queueLarge = await keyToFrame(sessions.large, [], "reviewed");
  const shortTrajectory = await keyToFrame(sessions.steps, ["\r"], "graded");
  const longTrajectory = await keyToFrame(sessions.steps, ["j", "\r"], "graded");
  const row = (name: string, t: Timing): string =>
    `${name.padEnd(32)} median ${t.median.toFixed(2).padStart(6)} ms   p95 ${t.p95.toFixed(2).padStart(6)} ms`;
  console.log(row("queue, 100 trajectories", queueSmall));
  console.log(row("queue, 10,000 trajectories", queueLarge));
  console.log(
    `  ratio large/small: median ${(queueLarge.median / queueSmall.median).toFixed(2)}x, p95 ${(queueLarge.p95 / queueSmall.p95).toFixed(2)}x`,
  );
  console.log(row("timeline, 10 steps", shortTrajectory));
  console.log(row("timeline, 1,000 steps", longTrajectory));
  console.log(
    `  ratio large/small: median ${(longTrajectory.median / shortTrajectory.median).toFixed(2)}x, p95 ${(longTrajectory.p95 / shortTrajectory.p95).toFixed(2)}x`,
  );
  for (const session of Object.values(sessions)) await session.close();
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
