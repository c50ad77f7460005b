import type { Grade } from "../../harness/core.js";
import type { TargetJudgements } from "../judgements.js";
import { labelMeaning } from "../label-meaning.js";
import { graderAgreement } from "./graders.js";
import { MEASURES_BY_TARGET, consensusOf } from "./measures.js";

/** A group of trajectories by the reviews' plan verdict, with the automatic outcome beside it. */
export interface VerdictGroup {
  readonly verdict: string;
  readonly trajectories: number;
  /** Of those, how many the outcome check passed. */
  readonly automaticPass: number;
}

/** The reviews' verdicts on the steps one grader label was put on. */
export interface LabelReviewVerdicts {
  readonly grader: string;
  readonly label: string;
  /** Reviewed steps with the label (settled, unanimous or single-reviewer values). */
  readonly steps: number;
  readonly verdicts: Readonly<Record<string, number>>;
}

/** What `trajlab report` says about the people who reviewed a run. */
export interface HumanReport {
  readonly reviewers: readonly string[];
  readonly adjudicators: readonly string[];
  /** Trajectories with any judgement, and with a plan verdict (the reviewer's sign-off), of all in the run. */
  readonly trajectories: { readonly total: number; readonly judged: number; readonly planJudged: number };
  /** Steps with a value, and steps reviewers dispute. */
  readonly steps: { readonly judged: number; readonly disputed: number };
  /** Step verdicts, counted once per step (its settled or agreed value). */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Success: the outcome check over the trajectories with a plan verdict, against the reviews' pass rate. */
  readonly success: {
    readonly reviewed: number;
    readonly automatic: number | null;
    readonly human: number | null;
    readonly byVerdict: readonly VerdictGroup[];
  };
  /** For each grader label on reviewed steps, what the reviews said there. */
  readonly byLabel: readonly LabelReviewVerdicts[];
  /** Each flagging label against the verdict it stands for (precision, recall, κ; `trajlab agreement` has the rest). */
  readonly graders: readonly {
    readonly grader: string;
    readonly label: string;
    readonly standsFor: string | null;
    readonly labelled: number;
    readonly precision: number | null;
    readonly recall: number | null;
    readonly kappa: number | null;
  }[];
}

/**
 * The people's part of a run's report: how much was reviewed, the step
 * verdict distribution, the reviews' verdicts under each grader label, how
 * each grader label scores against them, and success by the reviews' plan
 * verdict beside the outcome check. `passOf` is the automatic outcome of a
 * trajectory (null when unknown).
 */
export function humanReport(
  judgements: readonly TargetJudgements[],
  grades: readonly Grade[],
  trajectoryIds: readonly string[],
  passOf: (trajectoryId: string) => boolean | null,
): HumanReport {
  const [step] = MEASURES_BY_TARGET.step;
  const [plan] = MEASURES_BY_TARGET.plan;
  const known = new Set(trajectoryIds);
  const mine = judgements.filter((j) => known.has(j.trajectoryId));
  const verdicts: Record<string, number> = {};
  const stepValues = new Map<string, string>();
  let disputed = 0;
  const plans = new Map<string, string>();
  for (const judgement of mine) {
    if (judgement.target.kind === "step") {
      const consensus = consensusOf(judgement, step!);
      if (consensus?.status === "disputed") disputed += 1;
      if (consensus?.value == null) continue;
      verdicts[consensus.value] = (verdicts[consensus.value] ?? 0) + 1;
      stepValues.set(`${judgement.trajectoryId}#${judgement.target.eventId}`, consensus.value);
    } else if (judgement.target.kind === "plan") {
      const value = consensusOf(judgement, plan!)?.value;
      if (value != null) plans.set(judgement.trajectoryId, value);
    }
  }
  const groups = new Map<string, { trajectories: number; automaticPass: number; known: number }>();
  for (const [trajectoryId, verdict] of plans) {
    const group = groups.get(verdict) ?? { trajectories: 0, automaticPass: 0, known: 0 };
    const pass = passOf(trajectoryId);
    group.trajectories += 1;
    if (pass !== null) group.known += 1;
    if (pass) group.automaticPass += 1;
    groups.set(verdict, group);
  }
  const withOutcome = [...groups.values()].reduce((sum, g) => sum + g.known, 0);
  const automaticPasses = [...groups.values()].reduce((sum, g) => sum + g.automaticPass, 0);
  const byLabel = new Map<string, { grader: string; label: string; steps: number; verdicts: Record<string, number> }>();
  for (const grade of grades) {
    if (!known.has(grade.trajectoryId)) continue;
    for (const label of grade.steps) {
      const value = stepValues.get(`${grade.trajectoryId}#${label.eventId}`);
      if (value === undefined) continue;
      const key = `${grade.grader}\u0000${label.label}`;
      const entry = byLabel.get(key) ?? { grader: grade.grader, label: label.label, steps: 0, verdicts: {} };
      entry.steps += 1;
      entry.verdicts[value] = (entry.verdicts[value] ?? 0) + 1;
      byLabel.set(key, entry);
    }
  }
  const scored = graderAgreement(
    mine,
    grades.filter((grade) => known.has(grade.trajectoryId)),
    { labelMeanings: labelMeaning, bootstrap: { samples: 0 } },
  );
  return {
    reviewers: [...new Set(mine.flatMap((j) => [...j.byReviewer.keys()]))].sort(),
    adjudicators: [...new Set(mine.flatMap((j) => (j.settlement ? [j.settlement.reviewer] : [])))].sort(),
    trajectories: {
      total: known.size,
      judged: new Set(mine.filter((j) => j.target.kind !== "pair").map((j) => j.trajectoryId)).size,
      planJudged: plans.size,
    },
    steps: { judged: stepValues.size, disputed },
    verdicts,
    success: {
      reviewed: plans.size,
      automatic: withOutcome === 0 ? null : automaticPasses / withOutcome,
      human: plans.size === 0 ? null : (groups.get("pass")?.trajectories ?? 0) / plans.size,
      byVerdict: [...groups].map(([verdict, g]) => ({ verdict, trajectories: g.trajectories, automaticPass: g.automaticPass })),
    },
    byLabel: [...byLabel.values()].sort((a, b) => a.grader.localeCompare(b.grader) || a.label.localeCompare(b.label)),
    graders: scored.graders.flatMap((grader) =>
      grader.labels
        .filter((label) => label.flagged)
        .map((label) => ({
          grader: grader.grader,
          label: label.label,
          standsFor: label.standsFor,
          labelled: label.labelled,
          precision: label.precision,
          recall: label.recall,
          kappa: label.kappa,
        })),
    ),
  };
}
