import { z } from "zod";
import type { Grade } from "../graders/grade.js";
import type { Trajectory } from "../trajectory/schema.js";
import { costTotals } from "./cost.js";
import { flaggedEventIds, notApplicableGraders } from "./labels.js";
import { groupBy, metricsOf, modelOf, passedOf, recorded } from "./report.js";

/** Aggregates for one scenario × agent × model cell. */
export const SummaryRowSchema = z.object({
  scenarioId: z.string(),
  domain: z.string(),
  agent: z.string(),
  /** Null when the trajectories did not name their model. */
  model: z.string().nullable(),
  trials: z.number().int(),
  passed: z.number().int(),
  passRate: z.number(),
  meanToolCalls: z.number(),
  /** Steps a definite label declared `flagged` falls on. */
  flaggedCalls: z.number().int(),
  /** Over the trials that recorded tokens; null when none did. */
  meanTokens: z.number().nullable(),
  /** Over the trials that recorded their duration; null when none did. */
  meanDurationMs: z.number().nullable(),
  terminations: z.record(z.string(), z.number().int()),
  /** Spent on the cell's model calls, in US dollars; null when none of its calls has a price (absent in older summaries). */
  costUsd: z.number().nullable().optional(),
});
export type SummaryRow = z.infer<typeof SummaryRowSchema>;

/** `summary.json`: per-cell rows and run totals. */
export const SummarySchema = z.object({
  runId: z.string(),
  trajectories: z.number().int(),
  passed: z.number().int(),
  passRate: z.number(),
  toolCalls: z.number().int(),
  flaggedCalls: z.number().int(),
  /** Summed over the trajectories that recorded tokens; null when none did. */
  totalTokens: z.number().int().nullable(),
  /** Trajectories whose tokens were recorded (absent in older summaries). */
  tokensRecorded: z.number().int().optional(),
  tokensEstimated: z.boolean(),
  /** The run's wall time; null when not recorded (imported runs). */
  durationMs: z.number().nullable(),
  rows: z.array(SummaryRowSchema),
  /** pass@k and pass^k over (scenario, agent, model) tasks; see `trajlab report` for groups. */
  passAtK: z.array(z.object({ k: z.number().int(), passAtK: z.number(), passHatK: z.number(), tasks: z.number().int() })).optional(),
  /** Tool calls a grader labelled skippable (a label declared `skippable`), definite labels only. */
  skippableCalls: z.number().int().optional(),
  /** Tool calls only candidate labels call skippable (not in `skippableCalls`). */
  candidateSkippableCalls: z.number().int().optional(),
  /** Graders that did not apply to some trajectories: how many, and each reason with its count. */
  notApplicable: z
    .array(
      z.object({
        grader: z.string(),
        trajectories: z.number().int(),
        graded: z.number().int(),
        reasons: z.array(z.object({ reason: z.string(), trajectories: z.number().int() })),
      }),
    )
    .optional(),
  /** Calls standing for a reference call / calls made (null without references). */
  toolCallPrecision: z.number().nullable().optional(),
  /** Reference calls made / reference calls (null without references). */
  toolCallRecall: z.number().nullable().optional(),
  /** What the run's model calls cost (see costTotals); null when none recorded a cost (policy models, imports). */
  cost: z
    .object({
      listUsd: z.number(),
      spentUsd: z.number(),
      pricedCalls: z.number().int(),
      cachedCalls: z.number().int(),
      unpricedCalls: z.number().int(),
      unpricedModels: z.array(z.string()),
    })
    .nullable()
    .optional(),
});
export type Summary = z.infer<typeof SummarySchema>;

/**
 * Summarises a run: pass rate from the outcome grader (falling back to the
 * recorded outcome), tool calls, calls flagged by graders, tokens and time,
 * by scenario × agent × model, in a stable order.
 */
export function summarise(runId: string, trajectories: readonly Trajectory[], grades: readonly Grade[], wallMs: number | null): Summary {
  const gradesByTrajectory = groupBy(grades, (grade) => grade.trajectoryId);
  const cells = groupBy(trajectories, (trajectory) => [trajectory.scenarioId, trajectory.agent, modelOf(trajectory)].join("\u0000"));
  const didPass = (trajectory: Trajectory): boolean => passedOf(trajectory, gradesByTrajectory.get(trajectory.id));
  const flaggedOf = (trajectory: Trajectory): number => flaggedEventIds(gradesByTrajectory.get(trajectory.id) ?? []).size;

  const rows: SummaryRow[] = [...cells.values()].map((list) => {
    const first = list[0]!;
    const terminations: Record<string, number> = {};
    for (const t of list) terminations[t.termination.reason] = (terminations[t.termination.reason] ?? 0) + 1;
    const passed = list.filter(didPass).length;
    return {
      scenarioId: first.scenarioId,
      domain: first.domain,
      agent: first.agent,
      model: first.model,
      trials: list.length,
      passed,
      passRate: passed / list.length,
      meanToolCalls: mean(list.map((t) => t.usage.toolCalls)),
      flaggedCalls: list.reduce((sum, t) => sum + flaggedOf(t), 0),
      meanTokens: meanOrNull(recorded(list.map((t) => t.usage.totalTokens))),
      meanDurationMs: meanOrNull(recorded(list.map((t) => t.durationMs))),
      terminations,
      costUsd: spentOnPriced(list),
    };
  });
  rows.sort(
    (a, b) => a.scenarioId.localeCompare(b.scenarioId) || a.agent.localeCompare(b.agent) || (a.model ?? "").localeCompare(b.model ?? ""),
  );
  const tokens = recorded(trajectories.map((t) => t.usage.totalTokens));
  const passed = trajectories.filter(didPass).length;
  const overall = metricsOf(trajectories, gradesByTrajectory);
  return {
    runId,
    trajectories: trajectories.length,
    passed,
    passRate: trajectories.length === 0 ? 0 : passed / trajectories.length,
    toolCalls: trajectories.reduce((sum, t) => sum + t.usage.toolCalls, 0),
    flaggedCalls: rows.reduce((sum, row) => sum + row.flaggedCalls, 0),
    totalTokens: tokens.length === 0 ? null : tokens.reduce((sum, value) => sum + value, 0),
    tokensRecorded: tokens.length,
    tokensEstimated: trajectories.some((t) => t.usage.source === "estimated"),
    durationMs: wallMs,
    rows,
    passAtK: overall.passAtK,
    skippableCalls: overall.skippableCalls,
    candidateSkippableCalls: overall.candidateSkippableCalls,
    notApplicable: notApplicableGraders(grades),
    toolCallPrecision: overall.toolCallPrecision,
    toolCallRecall: overall.toolCallRecall,
    cost: costTotals(trajectories),
  };
}

function meanOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : mean(values);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** What the trajectories' priced calls cost; null when none of them has a price (an unknown cost is not $0). */
function spentOnPriced(trajectories: readonly Trajectory[]): number | null {
  const cost = costTotals(trajectories);
  return cost && cost.pricedCalls > 0 ? cost.spentUsd : null;
}
