/**
 * What `trajlab run` does once its options are read: plan the run (or the
 * rest of an interrupted one), run and grade its trials, and write and print
 * its summary. Kept apart from the command's registration so that
 * `trajlab run --help` loads none of it.
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { type RunDirectory, runsDirectory, TrajlabError, asTrajlabError, readJsonFile, sanitizeForDisplay } from "../../harness/core.js";
import { runSuite, type SuiteResult, type TrialExecutor, type Summary, SummarySchema } from "../../harness/index.js";
import { loadCatalog } from "../catalog.js";
import { newRun, resumeRun, type PreparedRun, type RunOptions } from "../run-plan.js";
import { renderSummary } from "../summary-table.js";
import { formatUsd } from "../money.js";
import { EXIT_CHECK_FAILED, EXIT_INTERRUPTED } from "../exit-codes.js";
import { costBudget } from "../cost-budget.js";
import { configureFromOptions } from "../model-call-options.js";
import { withTrialWorkers } from "../run-workers.js";
import { ciChecks, finishCiOutputs } from "../ci-outputs.js";
import { printJson, printNote, printText } from "../output.js";

/** Runs `trajlab run` with its options. */
export async function runCommand(options: RunOptions, command: Command): Promise<void> {
  const catalog = await loadCatalog();
  const runsDir = runsDirectory(options.runsDir);
  configureFromOptions(options, { runsDir, prices: catalog.prices });
  const prepared = options.resume ? await resumeRun(catalog, runsDir, options, command) : await newRun(catalog, runsDir, options);
  try {
    await withTrialWorkers(options.workers, { configFile: catalog.configFile, models: prepared.plan.models }, (executor) =>
      executeRun(options, prepared, executor),
    );
  } finally {
    await prepared.lock.release();
    // An agent that ignored its abort signal may keep the process alive (timers of its own) after
    // its trial ended as a timeout; everything is written, so do not wait for it.
    setTimeout(() => process.exit(), 1_000).unref();
  }
}

/**
 * Runs the trials left, completes missing grades, writes the summary and
 * prints it. Ctrl-C stops it cleanly: no trial starts after it, those
 * running are abandoned, and the command ends with what was recorded (a
 * second Ctrl-C exits at once). A fatal error stops it the same way, and the
 * error says how to continue.
 */
async function executeRun(
  options: RunOptions,
  { plan, run, lock, total, recorded, tally }: PreparedRun,
  executor: TrialExecutor | undefined,
): Promise<void> {
  const progress = progressLine(options.quiet === true);
  const left = total - recorded.ids.size;
  progress.write(
    options.resume
      ? `resuming run ${run.id}: ${recorded.ids.size} of ${total} trial(s) already recorded, ${left} to run`
      : `run ${run.id}: ${plan.scenarios.length} scenario(s) × ${plan.agents.length > 0 ? `${plan.agents.length} agent(s)` : "default agent"} × ${plan.models.length} model(s) × ${plan.repeat} trial(s)${plan.shard ? `, shard ${plan.shard.index}/${plan.shard.count}:` : " ="} ${total}${plan.shard ? " trial(s)" : ""}${options.workers ? ` in ${options.workers} worker thread(s)` : ""}`,
  );
  const started = performance.now();
  let done = 0;
  const interrupt = new AbortController();
  const onInterrupt = (): void => {
    progress.done();
    if (interrupt.signal.aborted) {
      // The lock directory goes with the process (proper-lockfile removes it on exit).
      process.stderr.write(`\ninterrupted again: stopping now; continue with: npx trajlab run --resume ${run.argument}\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write("\nstopping: the trials running are abandoned (press Ctrl-C again to stop at once)\n");
    interrupt.abort();
  };
  process.on("SIGINT", onInterrupt);
  // Spent by the run so far, resumed parts included, against --max-cost.
  const budget = costBudget(options.maxCost, recorded.spentUsd);
  let result: SuiteResult;
  try {
    result = await runSuite(plan, run, {
      skip: recorded.ids,
      signal: AbortSignal.any([interrupt.signal, lock.lost]),
      mayStart: () => budget.mayStart(),
      executor,
      // Each trial is counted as it finishes (onTrialDone): memory does not grow with the run.
      retain: false,
      onTrialDone(trajectory, finished, _total, grades) {
        for (const grade of grades) tally.grade(grade);
        tally.trajectory(trajectory);
        done = finished;
        budget.add(trajectory);
        progress.update(
          `${recorded.ids.size + finished}/${total} ${trajectory.scenarioId} ${trajectory.model} ${trajectory.outcome.pass ? "pass" : "fail"}`,
        );
      },
    });
  } catch (error) {
    progress.done();
    throw withResumeHint(error, run, `${recorded.ids.size + done} of ${total} trial(s) are recorded in ${run.path}`);
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
  progress.done();
  if (lock.lost.aborted) {
    throw new TrajlabError("LOCK_LOST", `run ${run.id} lost its lock while running (it could not be refreshed in time)`, {
      hint: `make sure no other process writes the run, then finish it with: npx trajlab run --resume ${run.argument}`,
    });
  }
  const recordedNow = recorded.ids.size + result.recorded;
  if (result.stopped && !budget.reached()) {
    process.stderr.write(
      `interrupted: ${recordedNow} of ${total} trial(s) recorded in ${run.path}\ncontinue with: npx trajlab run --resume ${run.argument}\n`,
    );
    process.exitCode = EXIT_INTERRUPTED;
    return;
  }
  // Every trajectory leaves with its grades: the resume graded those an earlier attempt left without, and
  // each trial's were written with it. The summary, the warning and the JUnit report were counted as the
  // run was read back and as each trial finished.
  const { summary, unfinished, junit } = tally;
  const ranNow = result.recorded > 0 || recorded.gradesWritten > 0;
  if (options.resume && ranNow) {
    await run.updateManifest((manifest) => ({
      ...manifest,
      resumes: [...(manifest.resumes ?? []), { at: new Date().toISOString(), command: process.argv.slice(2), trials: result.recorded }],
    }));
  }
  // A resume adds its own time to the run's wall time; one that had nothing to run leaves it as it was.
  const previous = options.resume ? await previousSummary(run) : null;
  const elapsed = result.recorded > 0 ? performance.now() - started : 0;
  const totals = summary.finish((previous?.durationMs ?? 0) + (options.resume ? elapsed : performance.now() - started));
  await run.writeAtomically("summary", `${JSON.stringify(totals, null, 2)}\n`);
  for (const line of unfinished.lines()) printNote(line);
  const checks = ciChecks(options, totals);
  if (options.json) printJson({ ...totals, runDir: run.path, ...(options.failUnder ? { failUnder: checks } : {}) });
  else printText(`${renderSummary(totals)}\n\nrun saved to ${run.path}\nreview it with: npx trajlab review ${run.argument}\n`);
  await finishCiOutputs(options, () => junit?.render() ?? "", checks);
  if (budget.reached() && recordedNow < total) {
    printNote(
      `stopped launching trials: the run's model calls cost ${formatUsd(budget.spent())}, reaching --max-cost ${formatUsd(options.maxCost!)}; ${recordedNow} of ${total} trial(s) recorded\ncontinue with: npx trajlab run --resume ${run.argument} --max-cost <more>`,
    );
    process.exitCode = EXIT_CHECK_FAILED;
  }
}

/** The summary a run wrote before, if it is there and readable. */
async function previousSummary(run: RunDirectory): Promise<Summary | null> {
  return existsSync(run.file("summary")) ? readJsonFile(run.file("summary"), SummarySchema).catch(() => null) : null;
}

/** An error that stopped a run, with how to continue it added to its fix. */
function withResumeHint(error: unknown, run: RunDirectory, recordedNote: string): unknown {
  const known = asTrajlabError(error);
  if (!known) return error;
  const resume = `then finish the run with: npx trajlab run --resume ${run.argument} (${recordedNote})`;
  return new TrajlabError(known.code, known.message, { hint: known.hint ? `${known.hint}\n  ${resume}` : resume, cause: error });
}

/** One updating line on an interactive stderr; plain lines otherwise; nothing when quiet. */
function progressLine(quiet: boolean): { write(text: string): void; update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = "";
  return {
    write(text) {
      if (!quiet) process.stderr.write(`${text}\n`);
    },
    update(text) {
      if (quiet || !tty) return;
      const columns = process.stderr.columns ?? 80;
      last = sanitizeForDisplay(text).slice(0, columns - 1);
      process.stderr.write(`\r\u001B[2K${last}`);
    },
    done() {
      if (!quiet && tty && last) process.stderr.write("\r\u001B[2K");
    },
  };
}
