/**
 * `trajlab review` as a reviewer starts it: the real binary in a real terminal
 * (tmux), on runs of 10,000 and 100,000 trajectories. It times from the
 * moment the command starts until the queue is on screen (its first frame
 * naming the number reviewed, while the rest of the run is still indexed
 * behind it), and until the run is indexed (the frame counting every
 * trajectory, no longer "so far"); it reads the review process's peak memory
 * (RSS) once the run is indexed, and compares them with baselines measured in
 * the same run: `node -e 0` started the same way (the floor for any Node
 * program), and a plain scan of the same trajectories.jsonl for newlines (the
 * floor for indexing it). "index alone" is the index of the same file in
 * this process, without the review's grades, screen or start-up (median of 3).
 *
 * The runs are shaped like recorded ones: lines of about 24 kB (a recorded
 * line averages 25 kB, most of it the environment's state and the events), and
 * six grades per trajectory, one of them labelling a step on every other one.
 *
 * Leaves out: the terminal's own drawing time, and up to ~2 ms between the
 * frame being written and this process seeing it (it polls the bytes tmux
 * pipes out). Files are read from the page cache (each run is opened once
 * before it is timed), as when a reviewer reopens a run; a cold disk adds its
 * read time to both the review and the scan.
 *
 *   npx tsx bench/review-first-frame.ts [counts...]     # default: 10000 100000
 */
import { execFileSync } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { indexTrajectories } from "../reviews/trajectory-index.js";
import { tempRunsDir, writeRecordedSizeRun } from "../tests/reviews/fixtures.js";

const BIN = resolve(import.meta.dirname, "../bin/trajlab.js");
const COUNTS = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000, 100_000];
const SOCKET = ["-L", `trajlab-bench-${process.pid}`];
const tmux = (...args: string[]): string => execFileSync("tmux", [...SOCKET, ...args], { encoding: "utf8" });
const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

interface Started {
  /** Milliseconds from the command starting until each of `marks` held for the bytes it wrote, in order. */
  readonly ms: number[];
  /** Peak resident memory of the program once the last mark held, in MB (VmHWM). */
  readonly peakMB: number;
}

/**
 * Starts `command` in a tmux pane that waits for a key, so the start is timed
 * from here; waits until the bytes the program wrote satisfy each of `marks`
 * in turn.
 */
async function startInTerminal(name: string, command: string, marks: ((output: string) => boolean)[], dir: string): Promise<Started> {
  const raw = join(dir, `${name}.raw`);
  tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", `read go; exec ${command}`);
  tmux("set-option", "-t", name, "remain-on-exit", "on");
  tmux("pipe-pane", "-t", name, "-o", `cat >> ${quote(raw)}`);
  const pid = Number(tmux("display-message", "-p", "-t", name, "#{pane_pid}").trim());
  const started = performance.now();
  tmux("send-keys", "-t", name, "go", "Enter");
  let seen = 0;
  const ms: number[] = [];
  while (ms.length < marks.length) {
    let size = 0;
    try {
      size = statSync(raw).size;
    } catch {
      // Nothing piped yet.
    }
    if (size !== seen) {
      seen = size;
      const output = readFileSync(raw, "latin1");
      while (ms.length < marks.length && marks[ms.length]!(output)) ms.push(performance.now() - started);
      if (ms.length === marks.length) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  let peakMB = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    peakMB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    // The program already ended (the baseline does at once).
  }
  tmux("kill-session", "-t", name);
  return { ms, peakMB };
}

/** Time to read a file once and count its newlines: the least any index of it can cost. */
function newlineScanMs(file: string): { ms: number; lines: number } {
  const started = performance.now();
  const fd = openSync(file, "r");
  const chunk = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      for (let at = chunk.indexOf(10); at >= 0 && at < read; at = chunk.indexOf(10, at + 1)) lines += 1;
    }
  } finally {
    closeSync(fd);
  }
  return { ms: performance.now() - started, lines };
}

/** Time to index the run's trajectories.jsonl in this process (what the review does behind its first frame, without drawing). */
async function indexMs(run: Parameters<typeof indexTrajectories>[0]): Promise<number> {
  const started = performance.now();
  await indexTrajectories(run);
  return performance.now() - started;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = await tempRunsDir();
// A session that stays for the whole run: tmux ends its server with its last session, and one
// started while it is ending fails ("server exited unexpectedly").
tmux("new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24");
try {
  const node = [];
  for (let i = 0; i < 5; i++)
    node.push(
      await startInTerminal(`node-${i}`, `${quote(process.execPath)} -e 'console.log("ready")'`, [(out) => out.includes("ready")], dir),
    );
  const nodeMs = median(node.map((n) => n.ms[0]!));
  console.log(`node -e 0 (printing one line) in the same terminal: ${nodeMs.toFixed(0)} ms (median of 5)`);
  console.log(
    "trajectories   file       newline scan   review first frame   ratio to scan   ratio to node   indexed      ratio to scan   peak RSS   index alone   ratio to scan",
  );
  for (const count of COUNTS) {
    const run = await writeRecordedSizeRun(dir, `run-${count}`, count);
    const file = run.file("trajectories");
    const bytes = statSync(file).size;
    newlineScanMs(file); // into the page cache
    const scan = newlineScanMs(file);
    const index = median([await indexMs(run), await indexMs(run), await indexMs(run)]);
    const review = `${quote(process.execPath)} ${quote(BIN)} review run-${count} --runs-dir ${quote(dir)} --reviewer bench`;
    const reviewed = (out: string): boolean => out.includes(" reviewed");
    // The header counts every trajectory, no longer "so far", once the run is indexed.
    const everyOne = new RegExp(` of ${count} reviewed(?! so far)`);
    const indexed = (out: string): boolean => everyOne.test(out);
    await startInTerminal(`warm-${count}`, review, [reviewed, indexed], dir);
    const times = [];
    for (let i = 0; i < 3; i++) times.push(await startInTerminal(`review-${count}-${i}`, review, [reviewed, indexed], dir));
    const frameMs = median(times.map((t) => t.ms[0]!));
    const indexedMs = median(times.map((t) => t.ms[1]!));
    const peakMB = Math.max(...times.map((t) => t.peakMB));
    console.log(
      `${String(count).padStart(12)}   ${(bytes / 1e6).toFixed(0).padStart(5)} MB   ${scan.ms.toFixed(0).padStart(9)} ms   ${frameMs.toFixed(0).padStart(15)} ms   ${(frameMs / scan.ms).toFixed(1).padStart(12)}x   ${(frameMs / nodeMs).toFixed(1).padStart(12)}x   ${indexedMs.toFixed(0).padStart(7)} ms   ${(indexedMs / scan.ms).toFixed(1).padStart(12)}x   ${peakMB.toFixed(0).padStart(5)} MB   ${index.toFixed(0).padStart(8)} ms   ${(index / scan.ms).toFixed(1).padStart(12)}x`,
    );
  }
  console.log(
    "targets: first frame ≤ 500 ms at 10,000 and ≤ 2,000 ms at 100,000 trajectories; peak RSS (once indexed) ≤ 300 MB at 100,000",
  );
} finally {
  try {
    tmux("kill-server");
  } catch {
    // Already gone.
  }
  await rm(dir, { recursive: true, force: true });
}
