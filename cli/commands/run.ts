import { existsSync } from "node:fs";
import type { Command } from "commander";
import {
  createRun,
  type Grade,
  type HeldLock,
  installedVersions,
  openRun,
  type RunDirectory,
  runsDirectory,
  type Trajectory,
  TrajlabError,
  asTrajlabError,
  readJsonFile,
  sanitizeForDisplay,
  trajlabVersion,
} from "../../harness/core.js";
import { checkModels } from "../../agents/index.js";
import { validateScenarios, type Scenario } from "../../scenarios/index.js";
import { renderProblems } from "./check.js";
import {
  planTrials,
  readRunForResume,
  type ResumeState,
  runSuite,
  scenarioDigest,
  type SuitePlan,
  type SuiteResult,
  type TrialExecutor,
  summarise,
  type Summary,
  SummarySchema,
  writeMissingGrades,
} from "../../harness/index.js";
import { loadCatalog, pickById, filteredScenarios, addScenarioFilters, type Catalog, type ScenarioFilterOptions } from "../catalog.js";
import { renderSummary, terminationReport } from "../summary-table.js";
import { formatUsd } from "../format.js";
import { EXIT_CHECK_FAILED, EXIT_INTERRUPTED } from "../exit-codes.js";
import { costBudget, dollars } from "../cost-budget.js";
import { addModelCallOptions, configureFromOptions, type ModelCallOptions } from "../model-call-options.js";
import { withTrialWorkers, workerCount } from "../run-workers.js";
import { collect, integer, positiveInt } from "../options.js";
import { printJson, printNote, printText } from "../output.js";

interface RunOptions extends ScenarioFilterOptions, ModelCallOptions {
  policy?: string[];
  model?: string[];
  agent?: string[];
  repeat: number;
  concurrency: number;
  timeout: number;
  maxSteps?: number;
  seed: number;
  json?: boolean;
  runsDir?: string;
  runId?: string;
  quiet?: boolean;
  resume?: string;
  maxCost?: number;
  workers?: number;
}

/** Options that choose what a run runs; --resume takes them from the run's manifest instead. */
const PLAN_OPTIONS = ["scenario", "domain", "tag", "policy", "model", "agent", "repeat", "timeout", "maxSteps", "seed", "runId"] as const;

/** Offline default when neither --policy nor --model is given. */
export const DEFAULT_POLICIES = ["reference", "wasteful"];

export function registerRun(program: Command): void {
  addScenarioFilters(
    addModelCallOptions(
      program.command("run").description("run scenarios headlessly, record trajectories, grade them and print a summary"),
    ),
    "only ",
  )
    .option("-p, --policy <id>", "offline policy model(s) to run (repeatable); default: reference and wasteful", collect)
    .option("-m, --model <provider:name>", "real model(s) via initChatModel, e.g. openai:gpt-4o-mini (repeatable)", collect)
    .option("-a, --agent <id>", "agent builder(s) (repeatable); default: supervisor for multi-agent scenarios, react otherwise", collect)
    .option("-k, --repeat <k>", "trials per scenario, agent and model", positiveInt("--repeat"), 1)
    .option("-c, --concurrency <n>", "trials run at once", positiveInt("--concurrency"), 4)
    .option("-w, --workers <n>", "run trials in n worker threads (auto: one per core); default: in this thread", workerCount)
    .option("--timeout <ms>", "time limit per trial in milliseconds", positiveInt("--timeout"), 120_000)
    .option("--max-steps <n>", "graph step limit per trial (default: each scenario's own)", positiveInt("--max-steps"))
    .option("--seed <n>", "base seed; trial i uses seed + i", integer("--seed"), 0)
    .option("--json", "print the summary as JSON on stdout (progress goes to stderr)")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--run-id <id>", "name the run (default: a fresh time-based id)")
    .option("-q, --quiet", "no progress output")
    .option("--resume <run>", "continue an interrupted run: run only the trials it has not recorded, with its own settings")
    .option(
      "--max-cost <usd>",
      "stop launching trials once the run's model calls have cost this many US dollars (trials in flight finish)",
      dollars,
    )
    .addHelpText(
      "after",
      `
Examples:
  trajlab run                                   all built-in scenarios, offline policies
  trajlab run -s 'retail.*' -p reference -k 5   five trials of the reference policy
  OPENAI_BASE_URL=http://127.0.0.1:8000/v1 trajlab run -m openai:my-local-model
  trajlab run --resume 20261121-101502-3f9a     finish a run that was interrupted
Exit status: 0 when the run completed (failed outcomes are results), 2 for bad input,
3 when --max-cost stopped it early, 130 when interrupted (what finished is kept; --resume
runs the rest).`,
    )
    .action(async (options: RunOptions, command: Command) => {
      await runCommand(options, command);
    });
}

/** A run about to start: its plan, its directory, and what it already holds (when resumed). */
interface PreparedRun {
  readonly plan: SuitePlan;
  readonly run: RunDirectory;
  readonly lock: HeldLock;
  readonly total: number;
  readonly recorded: { trajectories: Trajectory[]; grades: Grade[]; ids: ReadonlySet<string> };
}

async function runCommand(options: RunOptions, command: Command): Promise<void> {
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
  { plan, run, lock, total, recorded }: PreparedRun,
  executor: TrialExecutor | undefined,
): Promise<void> {
  const progress = progressLine(options.quiet === true);
  const left = total - recorded.ids.size;
  progress.write(
    options.resume
      ? `resuming run ${run.id}: ${recorded.ids.size} of ${total} trial(s) already recorded, ${left} to run`
      : `run ${run.id}: ${plan.scenarios.length} scenario(s) × ${plan.agents.length > 0 ? `${plan.agents.length} agent(s)` : "default agent"} × ${plan.models.length} model(s) × ${plan.repeat} trial(s) = ${total}${options.workers ? ` in ${options.workers} worker thread(s)` : ""}`,
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
  const budget = costBudget(options.maxCost, recorded.trajectories);
  let result: SuiteResult;
  try {
    result = await runSuite(plan, run, {
      skip: recorded.ids,
      signal: AbortSignal.any([interrupt.signal, lock.lost]),
      mayStart: () => budget.mayStart(),
      executor,
      onTrialDone(trajectory, finished) {
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
  const recordedNow = recorded.ids.size + result.trajectories.length;
  if (result.stopped && !budget.reached()) {
    process.stderr.write(
      `interrupted: ${recordedNow} of ${total} trial(s) recorded in ${run.path}\ncontinue with: npx trajlab run --resume ${run.argument}\n`,
    );
    process.exitCode = EXIT_INTERRUPTED;
    return;
  }
  const trajectories = [...recorded.trajectories, ...result.trajectories];
  const graded = [...recorded.grades, ...result.grades];
  // Every trajectory leaves with its grades, whatever interrupted an earlier attempt.
  const missing = await writeMissingGrades(run, plan, { trajectories, grades: graded });
  const ranNow = result.trajectories.length > 0 || missing.length > 0;
  if (options.resume && ranNow) {
    await run.updateManifest((manifest) => ({
      ...manifest,
      resumes: [
        ...(manifest.resumes ?? []),
        { at: new Date().toISOString(), command: process.argv.slice(2), trials: result.trajectories.length },
      ],
    }));
  }
  // A resume adds its own time to the run's wall time; one that had nothing to run leaves it as it was.
  const previous = options.resume ? await previousSummary(run) : null;
  const elapsed = result.trajectories.length > 0 ? performance.now() - started : 0;
  const summary = summarise(
    run.id,
    trajectories,
    [...graded, ...missing],
    (previous?.durationMs ?? 0) + (options.resume ? elapsed : performance.now() - started),
  );
  await run.writeAtomically("summary", `${JSON.stringify(summary, null, 2)}\n`);
  for (const line of terminationReport(trajectories)) printNote(line);
  if (options.json) printJson({ ...summary, runDir: run.path });
  else printText(`${renderSummary(summary)}\n\nrun saved to ${run.path}\nreview it with: npx trajlab review ${run.argument}\n`);
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

/** Continues a run with the settings in its manifest, refusing options that would change them. */
async function resumeRun(catalog: Catalog, runsDir: string, options: RunOptions, command: Command): Promise<PreparedRun> {
  const given = PLAN_OPTIONS.filter((name) => command.getOptionValueSource(name) === "cli");
  if (given.length > 0) {
    const flags = given.map((name) => command.options.find((option) => option.attributeName() === name)?.long ?? name);
    throw new TrajlabError(
      "RESUME_SETTINGS",
      `--resume continues a run with the settings in its manifest.json; leave out ${flags.join(", ")}`,
      {
        hint: "to run with other settings, start a new run; --concurrency, --workers, --json, --quiet, --runs-dir and the model-call flags may be given",
      },
    );
  }
  // Trajectory ids hash the run id the manifest records, whatever the folder is called now.
  const run = await (await openRun(runsDir, options.resume)).asRecorded();
  const lock = await run.lock("trajlab run");
  const concurrency = command.getOptionValueSource("concurrency") === "cli" ? options.concurrency : undefined;
  let state: ResumeState;
  try {
    state = await readRunForResume(run, catalog, {
      concurrency,
      onRepair: (tail) =>
        process.stderr.write(
          `warning: cut a torn last line from ${tail.file}:${tail.line}, left by the interruption; its bytes are kept in ${tail.aside}\n`,
        ),
    });
    await checkModels(state.plan.models, { policies: catalog.policies });
  } catch (error) {
    await lock.release();
    throw error;
  }
  return {
    plan: state.plan,
    run,
    lock,
    total: state.total,
    recorded: { trajectories: state.trajectories, grades: state.grades, ids: state.recorded },
  };
}

/** Plans a new run from the options and creates its directory and manifest. */
async function newRun(catalog: Catalog, runsDir: string, options: RunOptions): Promise<PreparedRun> {
  const scenarios = filteredScenarios(catalog.scenarios, options);
  refuseInvalidScenarios(scenarios);
  // No --agent: each scenario runs on its default (supervisor for multi-agent scenarios, react otherwise).
  const agents = options.agent ? pickById(catalog.agents, options.agent, "agent", "--agent") : [];
  const policies = options.policy ?? (options.model ? [] : DEFAULT_POLICIES);
  pickById(catalog.policies, policies, "policy", "--policy", "policies");
  const models = [...policies.map((id) => `policy:${id}`), ...(options.model ?? [])];
  if (models.length === 0) throw new TrajlabError("NO_MODELS", "nothing to run: give --policy or --model");
  // Before the run folder exists: a model that cannot run must not leave a run of failed trials behind.
  await checkModels(models, { policies: catalog.policies });

  const plan = {
    scenarios,
    agents,
    models,
    repeat: options.repeat,
    concurrency: options.concurrency,
    timeoutMs: options.timeout,
    seed: options.seed,
    maxSteps: options.maxSteps,
    policies: catalog.policies,
    graders: catalog.graders,
  };
  const trials = planTrials(plan, "");
  const run = await createRun(runsDir, {
    runId: options.runId,
    trajlabVersion: trajlabVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages: installedVersions(),
    command: process.argv.slice(2),
    settings: {
      scenarios: scenarios.map((s) => s.id),
      agents: [...new Set(trials.map((t) => t.agent.id))],
      models,
      repeat: plan.repeat,
      concurrency: plan.concurrency,
      timeoutMs: plan.timeoutMs,
      seed: plan.seed,
      maxSteps: plan.maxSteps ?? null,
      agentsGiven: agents.length > 0 ? agents.map((agent) => agent.id) : null,
      scenarioDigests: Object.fromEntries(scenarios.map((scenario) => [scenario.id, scenarioDigest(scenario)])),
    },
    trials: trials.length,
  });
  return {
    plan,
    run,
    lock: await run.lock("trajlab run"),
    total: trials.length,
    recorded: { trajectories: [], grades: [], ids: new Set() },
  };
}

/**
 * What `trajlab check` checks without running agents (ids, tools the plans
 * name, arguments against their schemas, the reference plan executed
 * directly): a run of scenarios that fail it is refused before it starts,
 * with check's messages.
 */
function refuseInvalidScenarios(scenarios: readonly Scenario[]): void {
  const problems = validateScenarios(scenarios);
  if (problems.length === 0) return;
  process.stderr.write(sanitizeForDisplay(renderProblems(problems), { multiline: true }));
  const affected = new Set(problems.map((problem) => problem.scenarioId)).size;
  throw new TrajlabError("SCENARIOS_INVALID", `${problems.length} problem(s) in ${affected} of the scenario(s) to run; nothing was run`, {
    hint: "fix each problem at the file and line shown (npx trajlab check lists them too), or leave those scenarios out with --scenario",
  });
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
