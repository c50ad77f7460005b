/**
 * `trajlab report`, `trajlab grade` and `trajlab run --resume` on a run of 100,000 trajectories of
 * recorded size (lines of about 25 kB; a recorded line averages 25 kB), in a
 * temporary folder: peak resident memory (RSS) and wall time of the real
 * binary, each in a fresh process. Baselines, measured in the same run on the
 * same file: a node process that only counts the file's newlines (the least
 * any reader does), and one that also parses every line with JSON.parse (a
 * reader with no schema, no metrics and no grading). Prints each command's
 * figures, its ratios to the baselines (CPU time rather than wall time: the
 * machine is shared), and the target: RSS under 300 MB at 100,000
 * trajectories, whatever the file's size. The resume is of another run of the
 * same size and line length (tests/support/resumable-run.ts: 100,000 planned
 * trials of a built-in scenario, 5 of them missing and 3 trajectories without
 * grades), which it finishes: it runs the 5 trials, grades the 3 and writes
 * the summary; its ratios are to the baselines of the first run's file.
 *
 * Leaves out: writing the runs (timed apart); the page cache (the file is read
 * once before the first measurement, so every process reads it from memory).
 * Peak RSS comes from the process itself (process.resourceUsage().maxRSS at
 * exit): no tool beyond node is needed.
 *
 *   npx tsx bench/run-scale.ts [trajectories] [line bytes]     # default: 100000 25000
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { rm, statfs } from "node:fs/promises";
import { resolve } from "node:path";
import { tempRunsDir } from "../tests/reviews/fixtures.js";
import { writeLargeRun } from "../tests/support/large-run.js";
import { writeResumableRun } from "../tests/support/resumable-run.js";

const BIN = resolve(import.meta.dirname, "../bin/trajlab.js");
const COUNT = Number(process.argv[2] ?? 100_000);
const WANTED_LINE = Number(process.argv[3] ?? 25_000);
const TARGET_RSS = 300e6;
// Prints the process's peak RSS and CPU time as it exits.
const PROBE = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nprobe "+u.maxRSS+" "+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rss: number;
  readonly stdout: string;
}

/** Runs node with `args` and the probe; fails unless it exits 0. */
function measure(args: readonly string[]): Promise<Measured> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PROBE, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const probe = /probe (\d+) (\d+)/.exec(stderr);
      if (code !== 0 || !probe) return fail(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
      done({ wallMs, cpuMs: Number(probe[2]) / 1000, rss: Number(probe[1]) * 1024, stdout });
    });
  });
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const runsDir = await tempRunsDir();
try {
  // A run of 100,000 recorded-size lines is 2.5 GB: make it smaller if the disk is short, and say so.
  const { bavail, bsize } = await statfs(runsDir);
  const free = bavail * bsize;
  const lineBytes = Math.min(WANTED_LINE, Math.floor((free * 0.5) / COUNT));
  if (lineBytes < WANTED_LINE) {
    console.log(`disk: ${mb(free)} free in ${runsDir}; lines of ${lineBytes} bytes instead of ${WANTED_LINE} (half the free space)`);
  }
  const writing = performance.now();
  const { run, figures } = await writeLargeRun(runsDir, "scale", COUNT, lineBytes);
  const file = run.file("trajectories");
  console.log(
    `run: ${COUNT.toLocaleString("en")} trajectories, trajectories.jsonl ${mb(figures.bytes)} (${Math.round(figures.bytes / COUNT)} bytes a line), written in ${seconds(performance.now() - writing)}`,
  );
  // Into the page cache, so that no measurement pays for the disk.
  for await (const chunk of createReadStream(file)) void chunk;

  const newlines = await measure([
    "-e",
    `let n=0;const s=require("fs").createReadStream(${JSON.stringify(file)});s.on("data",(c)=>{for(let i=c.indexOf(10);i>=0;i=c.indexOf(10,i+1))n++});s.on("end",()=>console.log(n))`,
  ]);
  const parsed = await measure([
    "-e",
    `const rl=require("readline").createInterface({input:require("fs").createReadStream(${JSON.stringify(file)}),crlfDelay:Infinity});let n=0;rl.on("line",(l)=>{if(JSON.parse(l).id)n++});rl.on("close",()=>console.log(n))`,
  ]);
  if (Number(newlines.stdout) !== COUNT || Number(parsed.stdout) !== COUNT) throw new Error("the baselines did not read every line");

  const report = await measure([BIN, "report", "scale", "--json", "--runs-dir", runsDir]);
  const reported = JSON.parse(report.stdout) as { overall: { trials: number; passed: number; skippableCalls: number } };
  if (
    reported.overall.trials !== COUNT ||
    reported.overall.passed !== figures.gradedPasses ||
    reported.overall.skippableCalls !== figures.skippableCalls
  ) {
    throw new Error(`report counted ${JSON.stringify(reported.overall).slice(0, 200)}; expected ${JSON.stringify(figures)}`);
  }
  const grade = await measure([BIN, "grade", "scale", "--json", "--runs-dir", runsDir]);
  const summary = JSON.parse(grade.stdout) as { trajectories: number; passed: number };
  if (summary.trajectories !== COUNT || summary.passed !== figures.recordedPasses) {
    throw new Error(
      `grade summarised ${summary.trajectories} trajectories, ${summary.passed} passed; expected ${COUNT}, ${figures.recordedPasses}`,
    );
  }

  // The first run's 2.5 GB go before the second run's are written.
  await rm(run.path, { recursive: true, force: true });
  const writingResumable = performance.now();
  const resumable = await writeResumableRun(runsDir, "resumable", Math.ceil(COUNT / 2), {
    lineBytes,
    dropped: [0, 1_000, Math.floor(COUNT / 2), COUNT - 2, COUNT - 1].filter((position) => position < COUNT),
    ungraded: [10, 2_000, COUNT - 10].filter((position) => position >= 0 && position < COUNT),
  });
  console.log(
    `run to resume: ${resumable.ids.length.toLocaleString("en")} trials planned, ${resumable.dropped.length} missing, ${resumable.ungraded.length} without grades, trajectories.jsonl ${mb(resumable.bytes)}, written in ${seconds(performance.now() - writingResumable)}`,
  );
  for await (const chunk of createReadStream(`${runsDir}/resumable/trajectories.jsonl`)) void chunk;
  const resume = await measure([BIN, "run", "--resume", "resumable", "--json", "--quiet", "--runs-dir", runsDir]);
  const resumed = JSON.parse(resume.stdout) as { trajectories: number };
  if (resumed.trajectories !== resumable.ids.length) {
    throw new Error(`run --resume summarised ${resumed.trajectories} trajectories; expected ${resumable.ids.length}`);
  }

  console.log("process                       peak RSS      wall       CPU   RSS / newline scan   CPU / newline scan   CPU / JSON.parse");
  const row = (name: string, m: Measured): void =>
    console.log(
      `${name.padEnd(28)} ${mb(m.rss).padStart(9)} ${seconds(m.wallMs).padStart(9)} ${seconds(m.cpuMs).padStart(9)} ${`${(m.rss / newlines.rss).toFixed(1)}x`.padStart(20)} ${`${(m.cpuMs / newlines.cpuMs).toFixed(1)}x`.padStart(20)} ${`${(m.cpuMs / parsed.cpuMs).toFixed(1)}x`.padStart(18)}`,
    );
  row("baseline: newline scan", newlines);
  row("baseline: JSON.parse lines", parsed);
  row("trajlab report --json", report);
  row("trajlab grade --json", grade);
  row("trajlab run --resume --json", resume);
  const worst = Math.max(report.rss, grade.rss, resume.rss);
  console.log(
    `target: report, grade and run --resume under ${mb(TARGET_RSS)} RSS at 100,000 trajectories: ${worst < TARGET_RSS ? "met" : "NOT met"} (highest ${mb(worst)})`,
  );
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
