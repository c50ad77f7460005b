/**
 * What `trajlab grade` does once its arguments are read. Kept apart from the
 * command's registration (grade.ts) so that `trajlab grade --help` loads none of it.
 */
import { createReadStream, existsSync } from "node:fs";
import { copyFile, open, rename, rm } from "node:fs/promises";
import {
  checkGraders,
  type Grade,
  type Grader,
  gradeTrajectoryAsync,
  llmJudgeGrader,
  policyRulesGrader,
  replayGrader,
  type ReplayOutcome,
  type ReplayRecord,
  SummaryBuilder,
  SummarySchema,
  writeReplays,
} from "../../harness/index.js";
import { TrajlabError, openRun, readJsonFile, type RunDirectory, runsDirectory } from "../../harness/core.js";
import { checkModels } from "../../agents/index.js";
import { loadCatalog, type Catalog } from "../catalog.js";
import type { ModelCallOptions } from "../options.js";
import { configureFromOptions } from "../model-call-options.js";
import { renderSummary } from "../summary-table.js";
import { printJson, printNote, printText } from "../output.js";
import { describeReplayOutcomes } from "../replay-outcomes.js";

export interface GradeOptions extends ModelCallOptions {
  runsDir?: string;
  json?: boolean;
  replay?: boolean;
  replayLimit: number;
  judge?: string[];
  judgePrompts?: string;
  rule?: string[];
}

/** Runs `trajlab grade` with its arguments and options. */
export async function gradeCommand(runArg: string | undefined, options: GradeOptions): Promise<void> {
  const catalog = await loadCatalog();
  // Judges and replays call real models: the same cache, retries and limits as trajlab run.
  configureFromOptions(options, { runsDir: runsDirectory(options.runsDir), prices: catalog.prices });
  const run = await openRun(runsDirectory(options.runsDir), runArg);
  // grades.jsonl is rewritten whole: never beside a trajlab run appending to it.
  const lock = await run.lock("trajlab grade");
  try {
    await gradeRun(run, catalog, options);
  } finally {
    await lock.release();
  }
}

/** The catalog's graders, with the rules grader checking `--rule` rules on every trajectory. */
function withRules(catalog: Catalog, always: readonly string[]): readonly Grader[] {
  if (always.length === 0) return catalog.graders;
  const known = new Set(catalog.rules.map((rule) => rule.id));
  const unknown = always.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new TrajlabError("UNKNOWN_ID", `--rule ${unknown.join(", ")}: no such policy rule`, {
      hint: `rules: ${[...known].join(", ")}; define your own with defineRule in trajlab.config.ts (rules: [...])`,
    });
  }
  return catalog.graders.map((grader) => (grader.id === "rules" ? policyRulesGrader({ rules: catalog.rules, always }) : grader));
}

/**
 * Grades every trajectory of a run again, one at a time (the trajectories are
 * read as they are graded and the grades written as they come, so a run of
 * any size grades in the same memory), replaces grades.jsonl (keeping the old
 * one if it changes) and the summary.
 */
async function gradeRun(run: RunDirectory, catalog: Catalog, options: GradeOptions): Promise<void> {
  const replays: ReplayRecord[] = [];
  const outcomes: ReplayOutcome[] = [];
  const extra: Grader[] = [];
  if (options.replay) {
    extra.push(
      replayGrader({
        agents: catalog.agents,
        policies: catalog.policies,
        maxPerTrajectory: options.replayLimit,
        onReplay: (record) => void replays.push(record),
        onOutcome: (outcome) => void outcomes.push(outcome),
      }),
    );
  }
  if (options.judge?.length) {
    const judges = llmJudgeGrader({ models: options.judge, promptsDir: options.judgePrompts });
    // Before any trajectory is graded: a judge without its package or key would fail on every one.
    await checkModels(options.judge, { policies: catalog.policies });
    extra.push(judges);
  }
  const graders = checkGraders(
    [...withRules(catalog, options.rule ?? []), ...extra],
    "the graders (built-in, trajlab.config.ts and command-line)",
  );
  const byId = new Map(catalog.scenarios.map((scenario) => [scenario.id, scenario]));
  const manifest = await run.manifest();
  const builder = new SummaryBuilder(manifest.runId);
  // Graders that call models are slow enough to show progress; counting the lines first is cheap beside them.
  const progress = process.stderr.isTTY && extra.length > 0;
  const total = progress ? await countLines(run.file("trajectories")) : 0;
  const file = run.file("grades");
  const written = await writeGradesAside(file, async (write) => {
    let index = 0;
    const trajectories = run.streamTrajectories((problem) =>
      printNote(`warning: skipped ${problem.file}:${problem.line} (${problem.message}); it looks like a write cut short by a crash`),
    );
    for await (const trajectory of trajectories) {
      const grades = await gradeTrajectoryAsync(trajectory, byId.get(trajectory.scenarioId), graders);
      for (const grade of grades) builder.grades.add(grade);
      builder.add(trajectory);
      await write(grades);
      index += 1;
      if (progress) process.stderr.write(`\r\u001B[2Kgraded ${index}/${Math.max(index, total)}`);
    }
    if (progress) process.stderr.write("\r\u001B[2K");
  });
  await replaceGrades(file, written);
  if (options.replay) {
    for (const line of describeReplayOutcomes(outcomes)) printNote(line);
    printNote(`${replays.length} replay(s) written to ${await writeReplays(run.path, replays)}`);
  }
  // The run's wall time belongs to the run, not to grading: keep it (unknown without an earlier summary).
  const previous = existsSync(run.file("summary")) ? await readJsonFile(run.file("summary"), SummarySchema).catch(() => null) : null;
  const summary = builder.finish(previous ? previous.durationMs : null);
  await run.writeAtomically("summary", `${JSON.stringify(summary, null, 2)}\n`);
  if (options.json) printJson(summary);
  else printText(`${renderSummary(summary)}\n\ngrades written to ${file}\n`);
}

/**
 * Writes the grades `produce` gives (one trajectory's at a time) to a file
 * beside `file`, and returns its path; the file is removed if `produce` fails,
 * so grades.jsonl is never left half written.
 */
async function writeGradesAside(
  file: string,
  produce: (write: (grades: readonly Grade[]) => Promise<void>) => Promise<void>,
): Promise<string> {
  const aside = `${file}.${process.pid}.tmp`;
  const handle = await open(aside, "w");
  try {
    await produce(async (grades) => {
      if (grades.length > 0) await handle.write(grades.map((grade) => `${JSON.stringify(grade)}\n`).join(""));
    });
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(aside, { force: true });
    throw error;
  }
  return aside;
}

/**
 * Puts the grades written aside in place of grades.jsonl unless it already
 * holds exactly these bytes; a file whose grades change is first copied aside
 * (`grades.<time>.jsonl`).
 */
async function replaceGrades(file: string, written: string): Promise<void> {
  if (existsSync(file)) {
    if (await sameBytes(file, written)) {
      await rm(written);
      return;
    }
    const backup = `${file.replace(/\.jsonl$/, "")}.${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`;
    await copyFile(file, backup);
    process.stderr.write(`grades changed; previous grades kept in ${backup}\n`);
  }
  await rename(written, file);
}

/** Whether two files hold the same bytes, compared a block at a time. */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([open(a, "r"), open(b, "r")]);
  try {
    const [{ size }, { size: otherSize }] = await Promise.all([first.stat(), second.stat()]);
    if (size !== otherSize) return false;
    const blockA = Buffer.alloc(1024 * 1024);
    const blockB = Buffer.alloc(blockA.length);
    for (let position = 0; position < size; position += blockA.length) {
      const [{ bytesRead }, { bytesRead: otherRead }] = await Promise.all([
        first.read(blockA, 0, blockA.length, position),
        second.read(blockB, 0, blockB.length, position),
      ]);
      if (bytesRead !== otherRead || !blockA.subarray(0, bytesRead).equals(blockB.subarray(0, otherRead))) return false;
    }
    return true;
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
}

/** Lines of a file (its records, for a progress count), counted a block at a time. */
async function countLines(file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
  }
  return lines;
}
