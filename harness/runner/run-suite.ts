import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import type { Policy, Scenario } from "../../scenarios/index.js";
import { builtinAgents, defaultAgentId, type AgentDefinition } from "../../agents/index.js";
import type { Grade, Grader } from "../graders/grade.js";
import { builtinGraders } from "../graders/registry.js";
import type { RunDirectory } from "../store/run-store.js";
import type { RecordedTrajectory } from "../trajectory/schema.js";
import { trajectoryId, type TrialSpec } from "./run-trial.js";
import { runInThisThread, type TrialExecutor } from "./trial-pool.js";

/** Everything a suite run needs. */
export interface SuitePlan {
  readonly scenarios: readonly Scenario[];
  /** Agents to run every scenario on; empty: each scenario on its default agent (see defaultAgentId). */
  readonly agents: readonly AgentDefinition[];
  readonly models: readonly string[];
  readonly repeat: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly maxSteps?: number;
  readonly policies: readonly Policy[];
  readonly graders?: readonly Grader[];
  /** Run only this part of the trials (`--shard 2/4`: the second of four); see {@link planTrials}. */
  readonly shard?: Shard | null;
}

/** Part `index` (from 1) of `count` parts of a plan's trials. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Progress callbacks, e.g. for a progress line, trials to leave out, and a way to stop. */
export interface SuiteProgress {
  /** Called once a trajectory and its grades are on disk, in the order they were written. */
  onTrialDone?(trajectory: RecordedTrajectory, done: number, total: number, grades: readonly Grade[]): void;
  /** Ids of trajectories already recorded (see {@link trialId}): their trials are not run again. */
  readonly skip?: ReadonlySet<string>;
  /**
   * Stops the suite (e.g. Ctrl-C): no trial starts after it aborts, the
   * trials running are aborted and not recorded (a resume runs them), and
   * {@link runSuite} resolves with `stopped` once nothing more will be written.
   */
  readonly signal?: AbortSignal;
  /**
   * Asked before each trial starts; false leaves it (and every later one) for
   * a resume, while the trials running finish and are recorded (e.g. a cost
   * budget reached).
   */
  readonly mayStart?: () => boolean;
  /** Runs and grades each trial: in this thread by default, or in a {@link TrialPool}'s workers. */
  readonly executor?: TrialExecutor;
  /**
   * False: the result's `trajectories` and `grades` stay empty, so that a run
   * of any size holds no trajectory once it is written (read them back from
   * the run's files; `recorded` counts them either way). True by default.
   */
  readonly retain?: boolean;
}

/** What a finished (or stopped) suite recorded. */
export interface SuiteResult {
  /** The trajectories recorded, in the order they were written (empty when `retain` was false). */
  readonly trajectories: RecordedTrajectory[];
  readonly grades: Grade[];
  /** How many trajectories this call recorded. */
  readonly recorded: number;
  /** True when `signal` stopped the suite before every trial was recorded. */
  readonly stopped: boolean;
}

/**
 * The trials of a plan, in a stable order: scenario, agent, model,
 * repetition. With a shard, every `count`-th of them from the `index`-th on,
 * so the parts of a suite split across machines are alike in size and mix.
 */
export function planTrials(plan: SuitePlan, runId: string): TrialSpec[] {
  return [...eachTrial(plan, runId)];
}

/** {@link planTrials} one trial at a time, so that a plan of any size can be counted or filtered without holding it. */
export function* eachTrial(plan: SuitePlan, runId: string): Generator<TrialSpec> {
  const shard = plan.shard;
  let position = 0;
  for (const scenario of plan.scenarios) {
    const agents = plan.agents.length > 0 ? plan.agents : builtinAgents.filter((agent) => agent.id === defaultAgentId(scenario));
    for (const agent of agents) {
      for (const model of plan.models) {
        for (let trial = 0; trial < plan.repeat; trial++) {
          const inShard = !shard || position % shard.count === shard.index - 1;
          position += 1;
          if (!inShard) continue;
          yield {
            runId,
            scenario,
            agent,
            model,
            trial,
            seed: plan.seed + trial,
            timeoutMs: plan.timeoutMs,
            maxSteps: plan.maxSteps,
            policies: plan.policies,
          };
        }
      }
    }
  }
}

/** The id the trajectory of a planned trial will have. */
export function trialId(spec: TrialSpec): string {
  return trajectoryId({ ...spec, scenarioId: spec.scenario.id, agentId: spec.agent.id });
}

/**
 * Runs every trial of a plan with bounded concurrency. Each trajectory is
 * appended to the run's `trajectories.jsonl` (and its grades to
 * `grades.jsonl`) as soon as it finishes, so an interrupted run keeps all
 * finished trials.
 *
 * A trial that throws (a setup error: a model that cannot load, an agent
 * builder that throws; or a write that fails) stops the suite: no trial
 * starts after it, those running are aborted and not recorded, and once they
 * have settled (so nothing more is written, and the caller may release the
 * run's lock) the first such error is thrown.
 */
export async function runSuite(plan: SuitePlan, run: RunDirectory, progress: SuiteProgress = {}): Promise<SuiteResult> {
  // One planned trial at a time: a resume of a large run holds only the trials left.
  const trials: TrialSpec[] = [];
  for (const spec of eachTrial(plan, run.id)) if (!progress.skip?.has(trialId(spec))) trials.push(spec);
  const limit = pLimit(plan.concurrency);
  const graders = plan.graders ?? builtinGraders;
  const failed = new AbortController();
  const stop = progress.signal ? AbortSignal.any([failed.signal, progress.signal]) : failed.signal;
  // Every running trial listens to it: as many listeners as the concurrency, not a leak.
  setMaxListeners(0, stop);
  const execute = progress.executor ?? runInThisThread;
  let failure: { error: unknown } | null = null;
  const trajectories: RecordedTrajectory[] = [];
  const grades: Grade[] = [];
  const retain = progress.retain ?? true;
  let recorded = 0;
  let held = false;
  const runOne = async (spec: TrialSpec): Promise<void> => {
    if (stop.aborted || held) return;
    if (progress.mayStart && !progress.mayStart()) {
      held = true;
      return;
    }
    let trajectory: RecordedTrajectory;
    let trajectoryGrades: Grade[];
    try {
      ({ trajectory, grades: trajectoryGrades } = await execute(spec, graders, stop));
    } catch (error) {
      if (stop.aborted) return;
      throw error;
    }
    // A trial that ends as the suite stops is left for a resume, like those never started.
    if (stop.aborted) return;
    await run.trajectories.append(trajectory);
    await run.grades.appendMany(trajectoryGrades);
    recorded += 1;
    if (retain) {
      trajectories.push(trajectory);
      grades.push(...trajectoryGrades);
    }
    progress.onTrialDone?.(trajectory, recorded, trials.length, trajectoryGrades);
  };
  await Promise.all(
    trials.map((spec) =>
      limit(() =>
        runOne(spec).catch((error: unknown) => {
          if (failure) return;
          failure = { error };
          failed.abort(error);
        }),
      ),
    ),
  );
  if (failure) throw (failure as { error: unknown }).error;
  return { trajectories, grades, recorded, stopped: recorded < trials.length };
}
