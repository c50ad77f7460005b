import type { Command } from "commander";
import {
  createRun,
  type HeldLock,
  installedVersions,
  openRun,
  type RunDirectory,
  TrajlabError,
  sanitizeForDisplay,
  trajlabVersion,
} from "../harness/core.js";
import { checkModels } from "../agents/index.js";
import { validateScenarios, type Scenario } from "../scenarios/index.js";
import { renderProblems } from "./commands/check-start.js";
import {
  planTrials,
  readRunForResume,
  type RecordedRunVisitor,
  type ResumeState,
  scenarioDigest,
  type Shard,
  SummaryBuilder,
  type SuitePlan,
} from "../harness/index.js";
import type { Grade, Trajectory } from "../harness/core.js";
import { pickById, filteredScenarios, type Catalog } from "./catalog.js";
import type { CiOptions, ModelCallOptions, ScenarioFilterOptions } from "./options.js";
import { JunitReport } from "./junit.js";
import { TerminationReport } from "./summary-table.js";

/**
 * What `trajlab run` runs: a new run planned from its flags, or an
 * interrupted one read back from its manifest (`--resume`), each checked
 * before anything starts.
 */

/** The flags of `trajlab run`, as commander gives them. */
export interface RunOptions extends ScenarioFilterOptions, ModelCallOptions, CiOptions {
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
  shard?: Shard;
}

/** Options that choose what a run runs; --resume takes them from the run's manifest instead. */
const PLAN_OPTIONS = [
  "scenario",
  "domain",
  "tag",
  "policy",
  "model",
  "agent",
  "repeat",
  "timeout",
  "maxSteps",
  "seed",
  "runId",
  "shard",
] as const;

/** Offline default when neither --policy nor --model is given. */
export const DEFAULT_POLICIES = ["reference", "wasteful"];

/** A run about to start: its plan, its directory, and what it already holds (when resumed). */
export interface PreparedRun {
  readonly plan: SuitePlan;
  readonly run: RunDirectory;
  readonly lock: HeldLock;
  readonly total: number;
  /**
   * Ids of the trajectories already recorded, what their model calls spent (US dollars), and how
   * many grades the resume wrote for those that missed some.
   */
  readonly recorded: { ids: ReadonlySet<string>; spentUsd: number; gradesWritten: number };
  /** What the end of the run counts, with the recorded trajectories already counted. */
  readonly tally: RunTally;
}

/**
 * What the end of a run reports, counted one trajectory at a time as each is
 * read back (a resume) or recorded, so that the run is read once and holds
 * no trajectory: its summary, its unfinished trials and its JUnit report.
 */
export class RunTally implements RecordedRunVisitor {
  readonly summary: SummaryBuilder;
  readonly unfinished = new TerminationReport();
  readonly junit: JunitReport | null;

  constructor(runId: string, options: { junit: boolean }) {
    this.summary = new SummaryBuilder(runId);
    this.junit = options.junit ? new JunitReport(runId) : null;
  }

  /** Counts a grade; give a trajectory's grades before it. */
  grade(grade: Grade): void {
    this.summary.grades.add(grade);
  }

  trajectory(trajectory: Trajectory): void {
    this.summary.add(trajectory);
    this.unfinished.add(trajectory);
    this.junit?.add(trajectory);
  }
}

/** Continues a run with the settings in its manifest, refusing options that would change them. */
export async function resumeRun(catalog: Catalog, runsDir: string, options: RunOptions, command: Command): Promise<PreparedRun> {
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
  const tally = new RunTally(run.id, { junit: Boolean(options.junit) });
  let state: ResumeState;
  try {
    state = await readRunForResume(run, catalog, {
      concurrency,
      visit: tally,
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
    recorded: { ids: state.recorded, spentUsd: state.spentUsd, gradesWritten: state.gradesWritten },
    tally,
  };
}

/** Plans a new run from the options and creates its directory and manifest. */
export async function newRun(catalog: Catalog, runsDir: string, options: RunOptions): Promise<PreparedRun> {
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

  if (options.shard && options.runId === undefined) {
    throw new TrajlabError("SHARD_WITHOUT_RUN_ID", `--shard ${options.shard.index}/${options.shard.count} needs --run-id`, {
      hint: "give every shard the same --run-id (e.g. --run-id ci-$GITHUB_RUN_ID), so their trajectories join into one run with: npx trajlab merge",
    });
  }
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
    shard: options.shard ?? null,
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
      shard: plan.shard,
    },
    trials: trials.length,
  });
  return {
    plan,
    run,
    lock: await run.lock("trajlab run"),
    total: trials.length,
    recorded: { ids: new Set(), spentUsd: 0, gradesWritten: 0 },
    tally: new RunTally(run.id, { junit: Boolean(options.junit) }),
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
