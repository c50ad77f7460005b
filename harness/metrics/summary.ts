import * as z from "zod";
import type { Grade } from "../graders/grade.js";
import type { Trajectory } from "../trajectory/schema.js";
import { CostTally } from "./cost.js";
import { GradeIndex, Interner, trajectoryFacts, type TrajectoryFacts } from "./facts.js";
import { passAtK } from "./pass-at-k.js";
import { NOT_RECORDED, ReferenceTally, toolCallRates } from "./report.js";

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
  const builder = new SummaryBuilder(runId);
  for (const grade of grades) builder.grades.add(grade);
  for (const trajectory of trajectories) builder.add(trajectory);
  return builder.finish(wallMs);
}

/** One scenario × agent × model cell, counted trajectory by trajectory. */
interface Cell {
  readonly first: TrajectoryFacts;
  trials: number;
  passed: number;
  toolCalls: number;
  flaggedCalls: number;
  tokens: number;
  tokensRecorded: number;
  durationMs: number;
  timed: number;
  readonly terminations: Record<string, number>;
  readonly cost: CostTally;
}

/**
 * {@link summarise} over a run read one trajectory at a time: give each
 * trajectory's grades to {@link grades} before the trajectory to {@link add}
 * (all grades first, or each trajectory's just before it). Holds a tally per
 * cell and for the run, never the trajectories nor their facts, and lets go
 * of each trajectory's grades once it is counted: the memory of a summary
 * of any size is that of the grades not yet counted.
 */
export class SummaryBuilder {
  readonly grades = new GradeIndex();
  private readonly interner = new Interner();
  private readonly cells = new Map<string, Cell>();
  private readonly cost = new CostTally();
  private readonly reference = new ReferenceTally();
  private trajectories = 0;
  private passed = 0;
  private toolCalls = 0;
  private tokens = 0;
  private tokensRecorded = 0;
  private tokensEstimated = false;
  private skippable = 0;
  private candidates = 0;

  constructor(readonly runId: string) {}

  /** Counts one trajectory, with the grades given for it so far (which it then lets go of). */
  add(trajectory: Trajectory): void {
    const facts = trajectoryFacts(trajectory, this.grades.take(trajectory.id), this.interner);
    this.count(facts);
    const key = [facts.scenarioId, facts.agent, facts.model ?? NOT_RECORDED].join("\u0000");
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        first: facts,
        trials: 0,
        passed: 0,
        toolCalls: 0,
        flaggedCalls: 0,
        tokens: 0,
        tokensRecorded: 0,
        durationMs: 0,
        timed: 0,
        terminations: {},
        cost: new CostTally(),
      };
      this.cells.set(key, cell);
    }
    cell.trials += 1;
    if (facts.passed) cell.passed += 1;
    cell.toolCalls += facts.toolCalls;
    cell.flaggedCalls += facts.flagged;
    if (facts.totalTokens !== null) {
      cell.tokens += facts.totalTokens;
      cell.tokensRecorded += 1;
      this.tokens += facts.totalTokens;
    }
    if (facts.durationMs !== null) {
      cell.durationMs += facts.durationMs;
      cell.timed += 1;
    }
    cell.terminations[facts.termination] = (cell.terminations[facts.termination] ?? 0) + 1;
    cell.cost.add(trajectory);
    this.cost.add(trajectory);
  }

  /** Adds one trajectory's facts to the run's totals. */
  private count(facts: TrajectoryFacts): void {
    this.trajectories += 1;
    if (facts.passed) this.passed += 1;
    this.toolCalls += facts.toolCalls;
    if (facts.totalTokens !== null) this.tokensRecorded += 1;
    if (facts.tokensEstimated) this.tokensEstimated = true;
    this.skippable += facts.skippable;
    this.candidates += facts.candidates;
    this.reference.add(facts);
  }

  /** The summary of the trajectories counted, with the run's wall time. */
  finish(wallMs: number | null): Summary {
    const rows: SummaryRow[] = [...this.cells.values()].map((cell) => {
      const cost = cell.cost.result();
      return {
        scenarioId: cell.first.scenarioId,
        domain: cell.first.domain,
        agent: cell.first.agent,
        model: cell.first.model,
        trials: cell.trials,
        passed: cell.passed,
        passRate: cell.passed / cell.trials,
        meanToolCalls: cell.toolCalls / cell.trials,
        flaggedCalls: cell.flaggedCalls,
        meanTokens: cell.tokensRecorded === 0 ? null : cell.tokens / cell.tokensRecorded,
        meanDurationMs: cell.timed === 0 ? null : cell.durationMs / cell.timed,
        terminations: { ...cell.terminations },
        // What the cell's priced calls cost; null when none of them has a price (an unknown cost is not $0).
        costUsd: cost && cost.pricedCalls > 0 ? cost.spentUsd : null,
      };
    });
    rows.sort(
      (a, b) => a.scenarioId.localeCompare(b.scenarioId) || a.agent.localeCompare(b.agent) || (a.model ?? "").localeCompare(b.model ?? ""),
    );
    const { trajectories, passed, tokensRecorded } = this;
    const rates = toolCallRates(this.reference);
    return {
      runId: this.runId,
      trajectories,
      passed,
      passRate: trajectories === 0 ? 0 : passed / trajectories,
      toolCalls: this.toolCalls,
      flaggedCalls: rows.reduce((sum, row) => sum + row.flaggedCalls, 0),
      totalTokens: tokensRecorded === 0 ? null : this.tokens,
      tokensRecorded,
      tokensEstimated: this.tokensEstimated,
      durationMs: wallMs,
      rows,
      // A cell is a task of pass@k (scenario × agent × model), in the order first seen, as reports count them.
      passAtK: passAtK([...this.cells.values()]),
      skippableCalls: this.skippable,
      candidateSkippableCalls: this.candidates,
      notApplicable: this.grades.notApplicableGraders(),
      toolCallPrecision: rates.toolCallPrecision,
      toolCallRecall: rates.toolCallRecall,
      cost: this.cost.result(),
    };
  }
}
