import { matchTrajectory } from "../graders/match/match-trajectory.js";
import { applies, type Grade } from "../graders/grade.js";
import type { Trajectory } from "../trajectory/schema.js";
import { passAtK, type PassAtK } from "./pass-at-k.js";
import { flaggedEventIds, meantSteps, notApplicableGraders, skippableEventIds, type NotApplicableGrader } from "./labels.js";

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
  const byTrajectory = groupBy(grades, (grade) => grade.trajectoryId);
  const compute = (list: readonly Trajectory[]): Metrics => metricsOf(list, byTrajectory);
  const grouped = (key: (t: Trajectory) => string): GroupMetrics[] =>
    [...groupBy(trajectories, key).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, list]) => ({ group, ...compute(list) }));
  return {
    runId,
    overall: compute(trajectories),
    byScenario: grouped(GROUPINGS.byScenario),
    byDomain: grouped(GROUPINGS.byDomain),
    byAgent: grouped(GROUPINGS.byAgent),
    byModel: grouped(GROUPINGS.byModel),
    notApplicable: notApplicableGraders(grades),
  };
}

/**
 * Whether a trajectory passed: its outcome grade, else the outcome recorded
 * at run time (an outcome grader that did not apply says nothing).
 */
export function passedOf(trajectory: Trajectory, grades: readonly Grade[] | undefined): boolean {
  const outcome = grades?.find((grade) => grade.grader === "outcome" && applies(grade));
  return outcome?.pass ?? trajectory.outcome?.pass ?? false;
}

const matches = new WeakMap<Trajectory, { matched: number; actual: number; reference: number } | null>();

/** Reference-call counts of a trajectory (superset mode, exact arguments), memoised. */
function referenceCounts(trajectory: Trajectory): { matched: number; actual: number; reference: number } | null {
  if (matches.has(trajectory)) return matches.get(trajectory)!;
  const counts = trajectory.reference
    ? matchTrajectory(trajectory, trajectory.reference, { mode: "superset", toolArgs: "exact" }).counts
    : null;
  matches.set(trajectory, counts);
  return counts;
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

/** Metrics of one group of trajectories, given every trajectory's grades by trajectory id. */
export function metricsOf(trajectories: readonly Trajectory[], gradesOf: ReadonlyMap<string, readonly Grade[]>): Metrics {
  const n = trajectories.length;
  const passedList = trajectories.map((t) => passedOf(t, gradesOf.get(t.id)));
  const passed = passedList.filter(Boolean).length;
  const tasks = new Map<string, { trials: number; passed: number }>();
  trajectories.forEach((t, i) => {
    const key = [t.scenarioId, t.agent, modelOf(t)].join("\u0000");
    const task = tasks.get(key) ?? { trials: 0, passed: 0 };
    task.trials += 1;
    if (passedList[i]) task.passed += 1;
    tasks.set(key, task);
  });
  let matched = 0;
  let actual = 0;
  let reference = 0;
  let withReference = 0;
  let skippable = 0;
  let candidates = 0;
  let verified = 0;
  let flagged = 0;
  for (const trajectory of trajectories) {
    const counts = referenceCounts(trajectory);
    if (counts) {
      withReference += 1;
      matched += counts.matched;
      actual += counts.actual;
      reference += counts.reference;
    }
    const own = gradesOf.get(trajectory.id) ?? [];
    const toolCallIds = new Set(trajectory.events.filter((event) => event.kind === "tool_call").map((event) => event.id));
    const definite = [...skippableEventIds(own)].filter((id) => toolCallIds.has(id));
    skippable += definite.length;
    candidates += [...skippableEventIds(own, "candidate")].filter((id) => toolCallIds.has(id) && !definite.includes(id)).length;
    const replayed = new Set(
      meantSteps(own)
        .filter((step) => step.replay !== undefined && step.meaning?.skippable)
        .map((step) => step.eventId),
    );
    verified += definite.filter((id) => replayed.has(id)).length;
    flagged += flaggedEventIds(own).size;
  }
  const toolCalls = sum(trajectories.map((t) => t.usage.toolCalls));
  const latencies = recorded(trajectories.map((t) => t.durationMs)).sort((a, b) => a - b);
  const tokens = recorded(trajectories.map((t) => t.usage.totalTokens));
  return {
    trials: n,
    passed,
    successRate: n === 0 ? 0 : passed / n,
    passAtK: passAtK([...tasks.values()]),
    toolCalls,
    meanToolCalls: mean(trajectories.map((t) => t.usage.toolCalls)),
    meanSteps: mean(trajectories.map((t) => t.usage.toolCalls + t.usage.llmCalls)),
    toolCallPrecision: withReference === 0 ? null : actual === 0 ? 1 : matched / actual,
    toolCallRecall: withReference === 0 ? null : reference === 0 ? 1 : matched / reference,
    skippableCalls: skippable,
    skippableRate: toolCalls === 0 ? 0 : skippable / toolCalls,
    candidateSkippableCalls: candidates,
    verifiedSkippable: verified,
    flaggedSteps: flagged,
    meanTokens: tokens.length === 0 ? null : mean(tokens),
    tokensRecorded: tokens.length,
    tokensEstimated: trajectories.some((t) => t.usage.source === "estimated"),
    meanLatencyMs: latencies.length === 0 ? null : mean(latencies),
    p95LatencyMs: latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)]!,
    timedTrials: latencies.length,
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
