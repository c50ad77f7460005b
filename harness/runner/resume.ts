import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { toJSONSchema } from "zod";
import { defaultAgentId, type AgentDefinition } from "../../agents/index.js";
import { initialStateOf, referenceExecution, type Policy, type Scenario } from "../../scenarios/index.js";
import { TrajlabError } from "../../errors/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import { GradeSchema, type Grade, type Grader } from "../graders/grade.js";
import { builtinGraders, gradeTrajectoryAsync } from "../graders/registry.js";
import { CostTally } from "../metrics/cost.js";
import { streamJsonlForAppend, type TornTail } from "../store/jsonl.js";
import { TrajectoryIds, type Manifest, type RunDirectory } from "../store/run-store.js";
import { TrajectorySchema, type Trajectory } from "../trajectory/schema.js";
import { eachTrial, trialId, type SuitePlan } from "./run-suite.js";

/** What a run can be resumed with: the scenarios, agents, policies and graders loaded now. */
export interface ResumeCatalog {
  readonly scenarios: readonly Scenario[];
  readonly agents: readonly AgentDefinition[];
  readonly policies: readonly Policy[];
  readonly graders: readonly Grader[];
}

/**
 * A run read back for resuming: its plan, what it already recorded, and what
 * is left. It holds the ids of what was recorded, never the trajectories or
 * grades: {@link readRunForResume} gives them, one at a time, to its
 * `visit`, which keeps what the end of the run counts.
 */
export interface ResumeState {
  readonly plan: SuitePlan;
  readonly manifest: Manifest;
  /** Ids of the recorded trajectories that belong to the plan, for `runSuite`'s `skip`. */
  readonly recorded: ReadonlySet<string>;
  /** What the model calls of those trajectories spent, in US dollars (0 when none recorded a cost), for a cost budget. */
  readonly spentUsd: number;
  /** Trials planned in all. */
  readonly total: number;
  /** Grades written for recorded trajectories that missed some (an interruption between a trajectory and its grades). */
  readonly gradesWritten: number;
}

/** What {@link readRunForResume} gives each grade and trajectory it reads. */
export interface RecordedRunVisitor {
  /** Every grade of `grades.jsonl` in the file's order, then each grade written, just before its trajectory's {@link trajectory}. */
  grade?(grade: Grade): void;
  /** Each recorded trajectory of the plan, in the file's order, once its grades were given. */
  trajectory?(trajectory: Trajectory): void;
}

/**
 * Reads an interrupted run back, in one pass over its files: rebuilds its
 * plan from `manifest.json` (scenarios, agents, models, trials, seed,
 * limits), reads every grade of `grades.jsonl`, then each trajectory of
 * `trajectories.jsonl`, grading those that miss a grade of the plan's graders
 * (an interruption between writing a trajectory and its grades) and appending
 * those grades as it goes, and cuts a torn last line left by the interruption
 * (kept in `<file>.torn`), so that the trials left can be appended.
 * Trajectory ids are a hash of what identifies a trial, so the trials already
 * recorded are known by id. Holds a few bytes per trajectory (its id, which
 * graders graded it until it is read), never the trajectories or grades:
 * `visit` keeps what the summary and reports of the end of the run count.
 * Fails with the fix when the run cannot be rebuilt as it was (a scenario,
 * agent or policy no longer loaded).
 */
export async function readRunForResume(
  run: RunDirectory,
  catalog: ResumeCatalog,
  options: { concurrency?: number; onRepair?: (tail: TornTail) => void; visit?: RecordedRunVisitor } = {},
): Promise<ResumeState> {
  const manifest = await run.manifest();
  const plan = planOfManifest(run, manifest, catalog, options.concurrency);
  const planned = new Set<string>();
  for (const spec of eachTrial(plan, run.id)) planned.add(trialId(spec));
  if (planned.size !== manifest.trials) {
    throw new TrajlabError(
      "RESUME_MISMATCH",
      `run ${run.id} planned ${manifest.trials} trial(s), but its settings give ${planned.size} now`,
      { hint: RESUME_HINT },
    );
  }
  const visit = options.visit ?? {};
  const graders = plan.graders ?? builtinGraders;
  const place = new Map(graders.map((grader, index) => [grader.id, index]));
  // For each trajectory of the plan not read yet, which of the plan's graders graded it.
  const graded = new GradedBy();
  if (existsSync(run.file("grades"))) {
    for await (const { value: grade } of streamJsonlForAppend(run.file("grades"), GradeSchema, options.onRepair)) {
      visit.grade?.(grade);
      const index = place.get(grade.grader);
      if (index !== undefined && planned.has(grade.trajectoryId)) graded.add(grade.trajectoryId, index);
    }
  }
  const recorded = new Set<string>();
  const cost = new CostTally();
  let gradesWritten = 0;
  const file = run.file("trajectories");
  if (existsSync(file)) {
    const ids = new TrajectoryIds(file);
    for await (const { value: trajectory, line } of streamJsonlForAppend(file, TrajectorySchema, options.onRepair)) {
      if (!ids.add(trajectory.id, line) || !planned.has(trajectory.id)) continue;
      recorded.add(trajectory.id);
      cost.add(trajectory);
      const missing = graded.take(trajectory.id, graders);
      if (missing.length > 0) {
        const scenario = plan.scenarios.find((candidate) => candidate.id === trajectory.scenarioId);
        const grades = await gradeTrajectoryAsync(trajectory, scenario, missing);
        await run.grades.appendMany(grades);
        for (const grade of grades) visit.grade?.(grade);
        gradesWritten += grades.length;
      }
      visit.trajectory?.(trajectory);
    }
    ids.check();
  }
  return { plan, manifest, recorded, spentUsd: cost.result()?.spentUsd ?? 0, total: planned.size, gradesWritten };
}

/**
 * Which of a plan's graders graded each trajectory: a bit a grader in one
 * number a trajectory (a set for graders past the 31st), so that a run of
 * 100,000 holds a few megabytes for it.
 */
class GradedBy {
  private readonly flags = new Map<string, number>();
  private readonly beyond = new Map<string, Set<number>>();

  /** Notes that the grader at `index` (in the plan's order) graded the trajectory. */
  add(trajectoryId: string, index: number): void {
    if (index < FLAG_BITS) {
      this.flags.set(trajectoryId, (this.flags.get(trajectoryId) ?? 0) | (1 << index));
      return;
    }
    let more = this.beyond.get(trajectoryId);
    if (!more) this.beyond.set(trajectoryId, (more = new Set()));
    more.add(index);
  }

  /** The graders (in the plan's order) that did not grade the trajectory; forgets it. */
  take<T>(trajectoryId: string, graders: readonly T[]): T[] {
    const flags = this.flags.get(trajectoryId) ?? 0;
    const more = this.beyond.get(trajectoryId);
    this.flags.delete(trajectoryId);
    this.beyond.delete(trajectoryId);
    return graders.filter((_, index) => (index < FLAG_BITS ? ((flags >> index) & 1) === 0 : !more?.has(index)));
  }
}

const FLAG_BITS = 31;

const RESUME_HINT = "resume from the folder the run was made in, with the same trajlab.config.ts and version; or start a new run";

/** The plan a run's manifest records, with the scenarios, agents and policies loaded now; fails when one is missing or changed. */
function planOfManifest(run: RunDirectory, manifest: Manifest, catalog: ResumeCatalog, concurrency: number | undefined): SuitePlan {
  const { settings } = manifest;
  if (settings === null) {
    throw new TrajlabError(
      "RESUME_IMPORTED",
      `run ${run.id} was imported${manifest.imported ? ` (${manifest.imported.format})` : ""}, not run: there is nothing to resume`,
      {
        hint: "an imported run is complete as it is; to add trajectories to it, import again with --run-id " + run.id,
      },
    );
  }
  const hint = RESUME_HINT;
  const scenarios = settings.scenarios.map((id) => {
    const scenario = catalog.scenarios.find((candidate) => candidate.id === id);
    if (!scenario) throw new TrajlabError("RESUME_MISMATCH", `run ${run.id} ran scenario ${id}, which is not loaded now`, { hint });
    const recorded = settings.scenarioDigests?.[id];
    if (recorded !== undefined && recorded !== scenarioDigest(scenario)) {
      throw new TrajlabError(
        "RESUME_MISMATCH",
        `scenario ${id} has changed since run ${run.id} was recorded (its task, tools, data, reference plan or expectations differ)`,
        {
          hint: "the trials left would not be comparable with those recorded; start a new run",
        },
      );
    }
    return scenario;
  });
  const agentIds = settings.agentsGiven !== undefined ? settings.agentsGiven : givenAgents(scenarios, settings.agents);
  const agents = (agentIds ?? []).map((id) => {
    const agent = catalog.agents.find((candidate) => candidate.id === id);
    if (!agent) throw new TrajlabError("RESUME_MISMATCH", `run ${run.id} ran agent ${id}, which is not loaded now`, { hint });
    return agent;
  });
  for (const model of settings.models) {
    const policy = model.startsWith("policy:") ? model.slice("policy:".length) : null;
    if (policy !== null && !catalog.policies.some((candidate) => candidate.id === policy)) {
      throw new TrajlabError("RESUME_MISMATCH", `run ${run.id} ran ${model}, a policy that is not loaded now`, { hint });
    }
  }
  return {
    scenarios,
    agents,
    models: settings.models,
    repeat: settings.repeat,
    concurrency: concurrency ?? settings.concurrency,
    timeoutMs: settings.timeoutMs,
    seed: settings.seed,
    maxSteps: settings.maxSteps ?? undefined,
    policies: catalog.policies,
    graders: catalog.graders,
    shard: settings.shard ?? null,
  };
}

/**
 * A short hash of what a scenario is, as far as data can say: task, tools
 * (names, descriptions, effects, argument schemas), the initial state, the
 * reference plan as it executes (calls, results, answer), distractors,
 * expectations, team, simulated user and step budget. Check functions are
 * named, not hashed. Recorded in a run's manifest, so that a run is never
 * resumed against a scenario that changed under the same id.
 */
export function scenarioDigest(scenario: Scenario): string {
  const reference = referenceExecution(scenario);
  const described = {
    id: scenario.id,
    domain: scenario.domain,
    task: scenario.task,
    tools: scenario.environment.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      effect: tool.effect,
      args: toJSONSchema(tool.args, { unrepresentable: "any" }),
    })),
    initialState: initialStateOf(scenario),
    reference: {
      calls: reference.results.map((result) => [result.tool, result.args, result.result, result.error]),
      userTexts: reference.userTexts,
      answer: reference.answer,
    },
    distractors: scenario.distractors.map((step) => [step.tool, typeof step.args === "function" ? "(computed)" : step.args]),
    expect: {
      stateMatchesReference: scenario.expect.stateMatchesReference,
      answerIncludes: scenario.expect.answerIncludes,
      checks: Object.keys(scenario.expect.checks),
    },
    maxSteps: scenario.maxSteps,
    team: scenario.team ?? null,
    user: scenario.user ?? null,
  };
  return createHash("sha256").update(canonicalJson(described)).digest("hex").slice(0, 16);
}

/**
 * The agents a run was asked for, for runs recorded before manifests said so:
 * null (each scenario on its default agent) when the agents it used are
 * exactly the scenarios' defaults.
 */
function givenAgents(scenarios: readonly Scenario[], used: readonly string[]): string[] | null {
  const defaults = new Set(scenarios.map(defaultAgentId));
  return used.length === defaults.size && used.every((id) => defaults.has(id)) ? null : [...used];
}
