import { rmSync } from "node:fs";
import type { Command } from "commander";
import {
  createRun,
  type Grade,
  type HeldLock,
  installedVersions,
  openRun,
  type RunDirectory,
  runsDirectory,
  takeLock,
  type Trajectory,
  TrajlabError,
  trajlabVersion,
} from "../../harness/core.js";
import stripAnsi from "strip-ansi";
import { checkModels } from "../../agents/index.js";
import {
  planTrials,
  readRunForResume,
  type ResumeState,
  runSuite,
  scenarioDigest,
  type SuitePlan,
  type SuiteResult,
  summarise,
  type Summary,
  writeMissingGrades,
} from "../../harness/index.js";
import { loadCatalog, pickById, filteredScenarios, addScenarioFilters, type Catalog, type ScenarioFilterOptions } from "../catalog.js";
import { formatDuration, formatNumber, formatTable, formatTokens, NOT_RECORDED_TEXT } from "../format.js";
import { EXIT_INTERRUPTED } from "../exit-codes.js";
import { collect, integer, positiveInt } from "../options.js";

interface RunOptions extends ScenarioFilterOptions {
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
}

/** Options that choose what a run runs; --resume takes them from the run's manifest instead. */
const PLAN_OPTIONS = ["scenario", "domain", "tag", "policy", "model", "agent", "repeat", "timeout", "maxSteps", "seed", "runId"] as const;

/** Offline default when neither --policy nor --model is given. */
export const DEFAULT_POLICIES = ["reference", "wasteful"];

export function registerRun(program: Command): void {
  addScenarioFilters(
    program.command("run").description("run scenarios headlessly, record trajectories, grade them and print a summary"),
    "only ",
  )
    .option("-p, --policy <id>", "offline policy model(s) to run (repeatable); default: reference and wasteful", collect)
    .option("-m, --model <provider:name>", "real model(s) via initChatModel, e.g. openai:gpt-4o-mini (repeatable)", collect)
    .option("-a, --agent <id>", "agent builder(s) (repeatable); default: supervisor for multi-agent scenarios, react otherwise", collect)
    .option("-k, --repeat <k>", "trials per scenario, agent and model", positiveInt("--repeat"), 1)
    .option("-c, --concurrency <n>", "trials run at once", positiveInt("--concurrency"), 4)
    .option("--timeout <ms>", "time limit per trial in milliseconds", positiveInt("--timeout"), 120_000)
    .option("--max-steps <n>", "graph step limit per trial (default: each scenario's own)", positiveInt("--max-steps"))
    .option("--seed <n>", "base seed; trial i uses seed + i", integer("--seed"), 0)
    .option("--json", "print the summary as JSON on stdout (progress goes to stderr)")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--run-id <id>", "name the run (default: a fresh time-based id)")
    .option("-q, --quiet", "no progress output")
    .option("--resume <run>", "continue an interrupted run: run only the trials it has not recorded, with its own settings")
    .addHelpText(
      "after",
      `
Examples:
  trajlab run                                   all built-in scenarios, offline policies
  trajlab run -s 'retail.*' -p reference -k 5   five trials of the reference policy
  OPENAI_BASE_URL=http://127.0.0.1:8000/v1 trajlab run -m openai:my-local-model
  trajlab run --resume 20261121-101502-3f9a     finish a run that was interrupted
Exit status: 0 when the run completed (failed outcomes are results), 2 for bad input,
130 when interrupted (what finished is kept; --resume runs the rest).`,
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
  const prepared = options.resume ? await resumeRun(catalog, runsDir, options, command) : await newRun(catalog, runsDir, options);
  try {
    await executeRun(options, prepared);
  } finally {
    await prepared.lock.release();
  }
}

/** Runs the trials left, completes missing grades, writes the summary and prints it. */
async function executeRun(options: RunOptions, { plan, run, lock, total, recorded }: PreparedRun): Promise<void> {
  const progress = progressLine(options.quiet === true);
  const left = total - recorded.ids.size;
  progress.write(
    options.resume
      ? `resuming run ${run.id}: ${recorded.ids.size} of ${total} trial(s) already recorded, ${left} to run`
      : `run ${run.id}: ${plan.scenarios.length} scenario(s) × ${plan.agents.length > 0 ? `${plan.agents.length} agent(s)` : "default agent"} × ${plan.models.length} model(s) × ${plan.repeat} trial(s) = ${total}`,
  );
  const started = performance.now();
  let done = 0;
  const interrupted = (): void => {
    progress.done();
    rmSync(lock.path, { force: true });
    process.stderr.write(
      `\ninterrupted: ${recorded.ids.size + done} of ${total} trial(s) recorded in ${run.path}\ncontinue with: npx trajlab run --resume ${run.id}\n`,
    );
    process.exit(EXIT_INTERRUPTED);
  };
  process.once("SIGINT", interrupted);
  let result: SuiteResult;
  try {
    result = await runSuite(plan, run, {
      skip: recorded.ids,
      onTrialDone(trajectory, finished) {
        done = finished;
        progress.update(
          `${recorded.ids.size + finished}/${total} ${trajectory.scenarioId} ${trajectory.model} ${trajectory.outcome.pass ? "pass" : "fail"}`,
        );
      },
    });
  } finally {
    process.removeListener("SIGINT", interrupted);
  }
  progress.done();
  const missing = await writeMissingGrades(run, plan, recorded);
  if (options.resume) {
    await run.updateManifest((manifest) => ({
      ...manifest,
      resumes: [
        ...(manifest.resumes ?? []),
        { at: new Date().toISOString(), command: process.argv.slice(2), trials: result.trajectories.length },
      ],
    }));
  }
  const trajectories = [...recorded.trajectories, ...result.trajectories];
  const summary = summarise(run.id, trajectories, [...recorded.grades, ...missing, ...result.grades], performance.now() - started);
  await run.writeAtomically("summary", `${JSON.stringify(summary, null, 2)}\n`);
  for (const line of terminationReport(trajectories)) process.stderr.write(`${line}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, runDir: run.path }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderSummary(summary)}\n\nrun saved to ${run.path}\nreview it with: npx trajlab review ${run.id}\n`);
  }
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
        hint: "to run with other settings, start a new run; --concurrency, --json, --quiet and --runs-dir may be given",
      },
    );
  }
  const run = await openRun(runsDir, options.resume);
  const lock = await lockRun(run);
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
  return { plan, run, lock: await lockRun(run), total: trials.length, recorded: { trajectories: [], grades: [], ids: new Set() } };
}

/** Takes the run's lock, so that no other `trajlab run` appends to it meanwhile. */
function lockRun(run: RunDirectory): Promise<HeldLock> {
  return takeLock(
    run.file("lock"),
    `trajlab run ${run.id}`,
    (holder) =>
      new TrajlabError("RUN_IN_USE", `run ${run.id} is being written by another trajlab run (pid ${holder.pid}, since ${holder.since})`, {
        hint: `let it finish, or stop it and resume; if no such process exists, delete ${run.file("lock")}`,
      }),
  );
}

/** The summary table printed after a run. Ids and model names of imported runs came from a file: one clean line each. */
export function renderSummary(summary: Summary): string {
  const header = ["scenario", "agent", "model", "outcome", "tool calls", "flagged", "tokens", "time"];
  const rows = summary.rows.map((row) => [
    sanitizeLine(row.scenarioId),
    sanitizeLine(row.agent),
    row.model === null ? NOT_RECORDED_TEXT : sanitizeLine(row.model),
    `${row.passed}/${row.trials} pass`,
    formatNumber(round1(row.meanToolCalls)),
    String(row.flaggedCalls),
    formatTokens(row.meanTokens),
    formatDuration(row.meanDurationMs),
  ]);
  const table = formatTable([header, ...rows], ["left", "left", "left", "right", "right", "right", "right", "right"]);
  const totals = `${summary.trajectories} trajectories · ${summary.passed}/${summary.trajectories} passed · ${summary.toolCalls} tool calls, ${summary.flaggedCalls} flagged · ${summaryTokens(summary)} · ${summary.durationMs === null ? "time not recorded" : formatDuration(summary.durationMs)}`;
  return `${table}\n\n${totals}\n(tool calls, tokens, time: mean per trial · flagged: steps graders labelled avoidable or wrong, summed over trials; details: npx trajlab report)`;
}

/** Total tokens, saying when they were estimated, not recorded, or recorded for only some trajectories. */
function summaryTokens(summary: Summary): string {
  if (summary.totalTokens === null) return "tokens not recorded";
  const recorded = summary.tokensRecorded ?? summary.trajectories;
  const part = recorded < summary.trajectories ? ` (recorded for ${recorded} of ${summary.trajectories})` : "";
  return `${formatNumber(summary.totalTokens)} tokens${summary.tokensEstimated ? " (estimated for policy models)" : ""}${part}`;
}

/**
 * Trials that did not complete, grouped by reason with their first messages,
 * so a run where every call failed (a bad key, a server down) says why.
 */
export function terminationReport(trajectories: readonly Trajectory[]): string[] {
  const unfinished = trajectories.filter((t) => t.termination.reason !== "completed");
  if (unfinished.length === 0) return [];
  const byMessage = new Map<string, number>();
  for (const t of unfinished) {
    const key = `${t.termination.reason}: ${sanitizeLine(t.termination.message ?? "")}`;
    byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
  }
  const lines = [`warning: ${unfinished.length} of ${trajectories.length} trial(s) did not complete:`];
  for (const [message, count] of [...byMessage].slice(0, 5)) lines.push(`  ${count} × ${message}`);
  if (byMessage.size > 5) lines.push(`  ... and ${byMessage.size - 5} other message(s); see termination in trajectories.jsonl`);
  return lines;
}

/** Error text from providers and tools is untrusted: one line, printable characters only, bounded. */
function sanitizeLine(text: string): string {
  const flat = stripAnsi(text)
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]+/g, " ")
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
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
      last = text.slice(0, columns - 1);
      process.stderr.write(`\r\u001B[2K${last}`);
    },
    done() {
      if (!quiet && tty && last) process.stderr.write("\r\u001B[2K");
    },
  };
}
