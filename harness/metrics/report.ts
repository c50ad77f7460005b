import { applies, type Grade } from "../graders/grade.js";
import type { Trajectory } from "../trajectory/schema.js";
import { GradeIndex, Interner, trajectoryFacts, type TrajectoryFacts } from "./facts.js";
import { passAtK, type PassAtK } from "./pass-at-k.js";
import type { NotApplicableGrader } from "./labels.js";

/** Metrics of a group of trajectories (a whole run, one scenario, one domain, ...). */
export interface Metrics {
  readonly trials: number;
  readonly passed: number;
  readonly successRate: number;
  /** pass@k and pass^k per k, over (scenario, agent, model) tasks. */
  readonly passAtK: PassAtK[];
  readonly toolCalls: number;
  readonly meanToolCalls: number;
  /** Model calls plus tool calls, per trial. */
  readonly meanSteps: number;
  /** Of the calls made, the share that stand for a reference call (exact arguments); null without references. */
  readonly toolCallPrecision: number | null;
  /** Of the reference calls, the share made; null without references. */
  readonly toolCallRecall: number | null;
  /**
   * Tool calls a definite label declared `skippable` falls on (repeats,
   * unused results, undone writes, replay-verified, and any grader's own).
   */
  readonly skippableCalls: number;
  readonly skippableRate: number;
  /** Tool calls only candidate labels call skippable: worth a look, not counted in the rate. */
  readonly candidateSkippableCalls: number;
  /** Of the skippable calls, those verified by counterfactual replay. */
  readonly verifiedSkippable: number;
  /** Steps with a definite label declared `flagged`. */
  readonly flaggedSteps: number;
  /** Mean tokens per trial over the trials that recorded them; null when none did. */
  readonly meanTokens: number | null;
  /** Trials whose token counts were recorded (the rest are left out of meanTokens). */
  readonly tokensRecorded: number;
  readonly tokensEstimated: boolean;
  /** Latency over the trials that recorded their duration; null when none did. */
  readonly meanLatencyMs: number | null;
  readonly p95LatencyMs: number | null;
  /** Trials whose duration was recorded. */
  readonly timedTrials: number;
}

/** Metrics of one group, with the value that names it. */
export interface GroupMetrics extends Metrics {
  readonly group: string;
}

/** What `trajlab report` computes for one run. */
export interface RunReport {
  readonly runId: string;
  readonly overall: Metrics;
  readonly byScenario: GroupMetrics[];
  readonly byDomain: GroupMetrics[];
  readonly byAgent: GroupMetrics[];
  readonly byModel: GroupMetrics[];
  /** Graders that did not apply to some trajectories (a reference, a scenario or state they needed was absent), and why. */
  readonly notApplicable: NotApplicableGrader[];
}

/** Dimensions a report groups by. */
export const GROUPINGS = {
  byScenario: (t: Trajectory) => t.scenarioId,
  byDomain: (t: Trajectory) => t.domain,
  byAgent: (t: Trajectory) => t.agent,
  byModel: (t: Trajectory) => modelOf(t),
} as const;

/** What reports and summaries print for a value the trajectory does not hold. */
export const NOT_RECORDED = "not recorded";

/** A trajectory's model, or "not recorded" for logs that did not name it. */
export function modelOf(trajectory: Trajectory): string {
  return trajectory.model ?? NOT_RECORDED;
}

/** Computes a run's report from its trajectories and grades. */
export function buildReport(runId: string, trajectories: readonly Trajectory[], grades: readonly Grade[]): RunReport {
  const builder = new ReportBuilder(runId);
  for (const grade of grades) builder.grades.add(grade);
  for (const trajectory of trajectories) builder.add(trajectory);
  return builder.build();
}

/**
 * {@link buildReport} over a run read one trajectory at a time: give every
 * grade to {@link grades} first, then each trajectory to {@link add}. Holds
 * the trajectories' {@link TrajectoryFacts}, never the trajectories.
 */
export class ReportBuilder {
  readonly grades = new GradeIndex();
  private readonly interner = new Interner();
  private readonly all: TrajectoryFacts[] = [];

  constructor(readonly runId: string) {}

  /** Counts one trajectory (its grades must all have been given) and returns its facts. */
  add(trajectory: Trajectory): TrajectoryFacts {
    const facts = trajectoryFacts(trajectory, this.grades.of(trajectory.id), this.interner);
    this.all.push(facts);
    return facts;
  }

  /** The facts of the trajectories counted so far, in the order given. */
  get facts(): readonly TrajectoryFacts[] {
    return this.all;
  }

  build(): RunReport {
    const grouped = (key: (t: TrajectoryFacts) => string): GroupMetrics[] =>
      [...groupBy(this.all, key).entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([group, list]) => ({ group, ...metricsOfFacts(list) }));
    return {
      runId: this.runId,
      overall: metricsOfFacts(this.all),
      byScenario: grouped((t) => t.scenarioId),
      byDomain: grouped((t) => t.domain),
      byAgent: grouped((t) => t.agent),
      byModel: grouped((t) => t.model ?? NOT_RECORDED),
      notApplicable: this.grades.notApplicableGraders(),
    };
  }
}

/**
 * Whether a trajectory passed: its outcome grade, else the outcome recorded
 * at run time (an outcome grader that did not apply says nothing).
 */
export function passedOf(trajectory: Trajectory, grades: readonly Grade[] | undefined): boolean {
  const outcome = grades?.find((grade) => grade.grader === "outcome" && applies(grade));
  return outcome?.pass ?? trajectory.outcome?.pass ?? false;
}

/** Items by key, each list in the items' order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Metrics of one group of trajectories, from their {@link TrajectoryFacts}. */
export function metricsOfFacts(trajectories: readonly TrajectoryFacts[]): Metrics {
  const n = trajectories.length;
  const passed = trajectories.filter((t) => t.passed).length;
  const tasks = new Map<string, { trials: number; passed: number }>();
  for (const t of trajectories) {
    const key = [t.scenarioId, t.agent, t.model ?? NOT_RECORDED].join("\u0000");
    const task = tasks.get(key) ?? { trials: 0, passed: 0 };
    task.trials += 1;
    if (t.passed) task.passed += 1;
    tasks.set(key, task);
  }
  const referenceCalls = new ReferenceTally();
  let skippable = 0;
  let candidates = 0;
  let verified = 0;
  let flagged = 0;
  for (const trajectory of trajectories) {
    referenceCalls.add(trajectory);
    skippable += trajectory.skippable;
    candidates += trajectory.candidates;
    verified += trajectory.verified;
    flagged += trajectory.flagged;
  }
  const toolCalls = sum(trajectories.map((t) => t.toolCalls));
  const latencies = recorded(trajectories.map((t) => t.durationMs)).sort((a, b) => a - b);
  const tokens = recorded(trajectories.map((t) => t.totalTokens));
  return {
    trials: n,
    passed,
    successRate: n === 0 ? 0 : passed / n,
    passAtK: passAtK([...tasks.values()]),
    toolCalls,
    meanToolCalls: mean(trajectories.map((t) => t.toolCalls)),
    meanSteps: mean(trajectories.map((t) => t.toolCalls + t.llmCalls)),
    ...toolCallRates(referenceCalls),
    skippableCalls: skippable,
    skippableRate: toolCalls === 0 ? 0 : skippable / toolCalls,
    candidateSkippableCalls: candidates,
    verifiedSkippable: verified,
    flaggedSteps: flagged,
    meanTokens: tokens.length === 0 ? null : mean(tokens),
    tokensRecorded: tokens.length,
    tokensEstimated: trajectories.some((t) => t.tokensEstimated),
    meanLatencyMs: latencies.length === 0 ? null : mean(latencies),
    p95LatencyMs: latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)]!,
    timedTrials: latencies.length,
  };
}

/** Reference calls matched, made and planned, summed over the trajectories that have a reference. */
export class ReferenceTally {
  matched = 0;
  actual = 0;
  reference = 0;
  /** Trajectories with a reference. */
  trajectories = 0;

  add(facts: TrajectoryFacts): void {
    const counts = facts.reference;
    if (!counts) return;
    this.trajectories += 1;
    this.matched += counts.matched;
    this.actual += counts.actual;
    this.reference += counts.reference;
  }
}

/** Calls standing for a reference call / calls made, and reference calls made / reference calls; null without references. */
export function toolCallRates(tally: ReferenceTally): { toolCallPrecision: number | null; toolCallRecall: number | null } {
  if (tally.trajectories === 0) return { toolCallPrecision: null, toolCallRecall: null };
  return {
    toolCallPrecision: tally.actual === 0 ? 1 : tally.matched / tally.actual,
    toolCallRecall: tally.reference === 0 ? 1 : tally.matched / tally.reference,
  };
}

/** One metric compared between two runs. */
export interface MetricChange {
  readonly metric: keyof Metrics;
  readonly before: number | null;
  readonly after: number | null;
  readonly delta: number | null;
}

/** A group compared between two runs (missing on one side: null metrics). */
export interface GroupComparison {
  readonly dimension: "overall" | keyof typeof GROUPINGS;
  readonly group: string;
  readonly changes: MetricChange[];
}

/** Metrics compared by `trajlab report --compare`. */
export const COMPARED_METRICS: readonly (keyof Metrics)[] = [
  "trials",
  "successRate",
  "toolCallPrecision",
  "toolCallRecall",
  "skippableRate",
  "meanToolCalls",
  "meanSteps",
  "meanTokens",
  "meanLatencyMs",
];

/** Differences between a baseline run and another, overall and per group. */
export function compareReports(baseline: RunReport, other: RunReport): GroupComparison[] {
  const compare = (
    dimension: GroupComparison["dimension"],
    group: string,
    a: Metrics | undefined,
    b: Metrics | undefined,
  ): GroupComparison => ({
    dimension,
    group,
    changes: COMPARED_METRICS.map((metric) => {
      const before = a ? (a[metric] as number | null) : null;
      const after = b ? (b[metric] as number | null) : null;
      return { metric, before, after, delta: before === null || after === null ? null : after - before };
    }),
  });
  const comparisons = [compare("overall", "all", baseline.overall, other.overall)];
  for (const dimension of Object.keys(GROUPINGS) as (keyof typeof GROUPINGS)[]) {
    const groups = [...new Set([...baseline[dimension].map((g) => g.group), ...other[dimension].map((g) => g.group)])].sort();
    for (const group of groups) {
      comparisons.push(
        compare(
          dimension,
          group,
          baseline[dimension].find((g) => g.group === group),
          other[dimension].find((g) => g.group === group),
        ),
      );
    }
  }
  return comparisons;
}

/** The values a source recorded, leaving out the ones it did not (null). */
export function recorded(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}
