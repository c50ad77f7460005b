import { applies, type Grade } from "../../harness/core.js";
import type { TargetJudgements } from "../judgements.js";
import { labelMeaning } from "../label-meaning.js";
import { ratingScore } from "../record.js";
import { bootstrapInterval, type BootstrapOptions, type Interval } from "./bootstrap.js";
import { MEASURES_BY_TARGET, categoriesOf, consensusOf, type Consensus, type ConsensusStatus } from "./measures.js";
import { binaryScores, cohenKappa, krippendorffAlpha, type BinaryCounts, type RatedPair } from "./statistics.js";

/**
 * What a label means, read from a grade that carries it: whether it flags the
 * step, and the review verdict it stands for (null for a vague flag such as
 * a missing call, and for information such as `extra_call`). The review's
 * {@link labelMeaning} by default, so agreement reads labels as the review
 * screen does.
 */
export type LabelMeanings = (grade: Grade, label: string) => { readonly flagged: boolean; readonly verdict: string | null };

/** A 2×2 comparison of a grader signal with the reviews, and its scores. */
export interface BinaryAgreement extends BinaryCounts {
  readonly units: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly kappa: number | null;
  readonly kappaInterval: Interval | null;
}

/** One label of one grader against the verdict it stands for. */
export interface LabelAgreement extends BinaryAgreement {
  readonly label: string;
  /** The review verdict it stands for; null for a vague flag or information (only counted). */
  readonly standsFor: string | null;
  /** Whether the label flags the step (counted in {@link GraderAgreement.flags}). */
  readonly flagged: boolean;
  /** Reviewed steps it labelled. */
  readonly labelled: number;
  /** Times the label was put on steps no review has a settled value for. */
  readonly unreviewed: number;
}

/** All the labels of a grader that stand for one verdict, together, against that verdict. */
export interface VerdictAgreement extends BinaryAgreement {
  readonly verdict: string;
  readonly labels: readonly string[];
}

/** A step on which a grader and the reviews differ, with both sides' reasons. */
export interface GraderDisagreement {
  /** `false-positive`: labelled, but the reviews say otherwise; `missed`: the reviews say a verdict the grader's labels stand for, and it put none of them there. */
  readonly kind: "false-positive" | "missed";
  readonly runId: string;
  readonly trajectoryId: string;
  readonly scenarioId: string;
  readonly eventId: string;
  /** The grader's label(s) on the step, with their reasons. */
  readonly labels: readonly { label: string; reason: string }[];
  /** The verdict the grader's label stands for (false positives) or should have stood for (missed). */
  readonly expected: string;
  /** The reviews' verdict. */
  readonly verdict: string;
  readonly status: ConsensusStatus;
  /** Each reviewer's verdict and reason (the adjudicator's first when settled). */
  readonly reviews: readonly { reviewer: string; verdict: string | null; note: string | null }[];
}

/** One grader against the reviews. */
export interface GraderAgreement {
  readonly grader: string;
  /** Trajectories it graded that have reviewed steps or a reviewed plan. */
  readonly trajectories: number;
  /** Reviewed steps (settled, unanimous or single-reviewer values) in the trajectories it graded. */
  readonly steps: number;
  readonly labels: readonly LabelAgreement[];
  readonly verdicts: readonly VerdictAgreement[];
  /** Any flagging label against any verdict other than `correct`. */
  readonly flags: BinaryAgreement;
  /** Rows: each label (then `(none)`); columns: the review verdicts; a step with two labels counts in both rows. */
  readonly confusion: { readonly rows: readonly string[]; readonly columns: readonly string[]; readonly counts: number[][] };
  /** The grade's fail against the reviews' plan verdict `fail` (positive = fail). */
  readonly plan: BinaryAgreement;
  /** The grade's score against the reviews' plan rating as a 0..1 score: Krippendorff's α at the interval level. */
  readonly score: { readonly units: number; readonly alpha: number | null; readonly alphaInterval: Interval | null };
  readonly disagreements: readonly GraderDisagreement[];
}

/** Options of {@link graderAgreement}. */
export interface GraderAgreementOptions {
  readonly labelMeanings?: LabelMeanings;
  readonly bootstrap?: BootstrapOptions;
}

/** What the reviews settled on: step verdicts by trajectory and event, plans by trajectory. */
interface Reference {
  readonly steps: Map<string, Map<string, { consensus: Consensus; judgement: TargetJudgements }>>;
  readonly plans: Map<string, Consensus>;
  readonly ratings: Map<string, Consensus>;
  readonly disputedSteps: number;
}

/**
 * Each grader's labels against the review verdicts they stand for (precision,
 * recall and Cohen's κ per label, per verdict and for flags as a whole, with
 * bootstrap intervals), its pass against the reviews' plan verdict, its score
 * against their plan rating, and the steps where they differ. The reviews'
 * value of a target is its adjudicated value, else the reviewers' when they
 * agree; disputed targets are left out. Works for any grader, LLM judges
 * included, given what its labels stand for.
 */
export function graderAgreement(
  judgements: readonly TargetJudgements[],
  grades: readonly Grade[],
  options: GraderAgreementOptions = {},
): { graders: GraderAgreement[]; disputedSteps: number } {
  const meanings = options.labelMeanings ?? labelMeaning;
  const reference = referenceOf(judgements);
  const byGrader = new Map<string, Grade[]>();
  for (const grade of grades) byGrader.set(grade.grader, [...(byGrader.get(grade.grader) ?? []), grade]);
  const graders = [...byGrader].map(([grader, list]) => oneGrader(grader, list, reference, meanings, options.bootstrap));
  return { graders, disputedSteps: reference.disputedSteps };
}

function referenceOf(judgements: readonly TargetJudgements[]): Reference {
  const [stepMeasure] = MEASURES_BY_TARGET.step;
  const [planMeasure, ratingMeasure] = MEASURES_BY_TARGET.plan;
  const steps: Reference["steps"] = new Map();
  const plans = new Map<string, Consensus>();
  const ratings = new Map<string, Consensus>();
  let disputedSteps = 0;
  for (const judgement of judgements) {
    const { target } = judgement;
    if (target.kind === "step") {
      const consensus = consensusOf(judgement, stepMeasure!);
      if (consensus?.status === "disputed") disputedSteps += 1;
      if (consensus?.value == null) continue;
      const events = steps.get(judgement.trajectoryId) ?? new Map();
      steps.set(judgement.trajectoryId, events);
      events.set(target.eventId, { consensus, judgement });
    } else if (target.kind === "plan") {
      const plan = consensusOf(judgement, planMeasure!);
      if (plan?.value != null) plans.set(judgement.trajectoryId, plan);
      const rating = consensusOf(judgement, ratingMeasure!);
      if (rating?.value != null) ratings.set(judgement.trajectoryId, rating);
    }
  }
  return { steps, plans, ratings, disputedSteps };
}

interface Unit {
  readonly trajectoryId: string;
  readonly eventId: string;
  readonly verdict: string;
  readonly labels: readonly { label: string; reason: string }[];
  readonly consensus: Consensus;
  readonly judgement: TargetJudgements;
}

function oneGrader(
  grader: string,
  grades: readonly Grade[],
  reference: Reference,
  meanings: LabelMeanings,
  bootstrap: BootstrapOptions | undefined,
): GraderAgreement {
  const units: Unit[] = [];
  const unreviewed = new Map<string, number>();
  const meaning = new Map<string, { flagged: boolean; verdict: string | null }>();
  let trajectories = 0;
  for (const grade of grades) {
    const reviewed = reference.steps.get(grade.trajectoryId);
    if (reviewed || reference.plans.has(grade.trajectoryId) || reference.ratings.has(grade.trajectoryId)) trajectories += 1;
    const labelsByEvent = new Map<string, { label: string; reason: string }[]>();
    for (const step of grade.steps) {
      if (!meaning.has(step.label)) meaning.set(step.label, meanings(grade, step.label));
      if (!reviewed?.has(step.eventId)) unreviewed.set(step.label, (unreviewed.get(step.label) ?? 0) + 1);
      labelsByEvent.set(step.eventId, [...(labelsByEvent.get(step.eventId) ?? []), { label: step.label, reason: step.reason }]);
    }
    for (const [eventId, { consensus, judgement }] of reviewed ?? []) {
      units.push({
        trajectoryId: grade.trajectoryId,
        eventId,
        verdict: consensus.value!,
        labels: labelsByEvent.get(eventId) ?? [],
        consensus,
        judgement,
      });
    }
  }
  const verdictOf = (label: string): string | null => meaning.get(label)?.verdict ?? null;
  const flags = (label: string): boolean => meaning.get(label)?.flagged === true;
  const labelNames = [...meaning.keys()].sort();
  const labels: LabelAgreement[] = labelNames.map((label) => {
    const verdict = verdictOf(label);
    const signal = (unit: Unit) => unit.labels.some((l) => l.label === label);
    const truth = (unit: Unit) => verdict !== null && unit.verdict === verdict;
    const scores = binary(units, signal, truth, bootstrap);
    const labelled = scores.truePositives + scores.falsePositives;
    // An informational label claims nothing, so it cannot be right or wrong: only counted.
    const claims = verdict === null ? { precision: null, recall: null, kappa: null, kappaInterval: null } : {};
    return { label, standsFor: verdict, flagged: flags(label), labelled, unreviewed: unreviewed.get(label) ?? 0, ...scores, ...claims };
  });
  const expressible = new Map<string, string[]>();
  for (const label of labels) {
    if (label.standsFor !== null) expressible.set(label.standsFor, [...(expressible.get(label.standsFor) ?? []), label.label]);
  }
  const says = (unit: Unit, verdict: string) => unit.labels.some((l) => verdictOf(l.label) === verdict);
  const verdicts: VerdictAgreement[] = [...expressible].map(([verdict, names]) => ({
    verdict,
    labels: names,
    ...binary(
      units,
      (unit) => says(unit, verdict),
      (unit) => unit.verdict === verdict,
      bootstrap,
    ),
  }));
  const flagged = binary(
    units,
    (unit) => unit.labels.some((l) => flags(l.label)),
    (unit) => unit.verdict !== "correct",
    bootstrap,
  );
  return {
    grader,
    trajectories,
    steps: units.length,
    labels,
    verdicts,
    flags: flagged,
    confusion: confusionOf(units, labelNames),
    plan: planAgreement(grades, reference, bootstrap),
    score: scoreAgreement(grades, reference, bootstrap),
    disagreements: disagreementsOf(units, verdictOf, expressible),
  };
}

function binary<T>(
  units: readonly T[],
  signal: (unit: T) => boolean,
  truth: (unit: T) => boolean,
  bootstrap: BootstrapOptions | undefined,
): BinaryAgreement {
  const pairs: RatedPair[] = units.map((unit) => [signal(unit) ? 1 : 0, truth(unit) ? 1 : 0]);
  const count = (a: number, b: number) => pairs.filter(([x, y]) => x === a && y === b).length;
  const counts: BinaryCounts = {
    truePositives: count(1, 1),
    falsePositives: count(1, 0),
    falseNegatives: count(0, 1),
    trueNegatives: count(0, 0),
  };
  const kappaOf = (sample: readonly RatedPair[]) => cohenKappa(sample, 2);
  return { units: units.length, ...counts, ...binaryScores(counts), kappaInterval: bootstrapInterval(pairs, kappaOf, bootstrap) };
}

function confusionOf(units: readonly Unit[], labelNames: readonly string[]): GraderAgreement["confusion"] {
  const rows = [...labelNames, "(none)"];
  const columns = categoriesOf(
    MEASURES_BY_TARGET.step[0]!,
    units.map((unit) => unit.verdict),
  );
  const counts = rows.map(() => new Array<number>(columns.length).fill(0));
  for (const unit of units) {
    const column = columns.indexOf(unit.verdict);
    const names = unit.labels.length === 0 ? ["(none)"] : [...new Set(unit.labels.map((l) => l.label))];
    for (const name of names) counts[rows.indexOf(name)]![column]! += 1;
  }
  return { rows, columns, counts };
}

function planAgreement(grades: readonly Grade[], reference: Reference, bootstrap: BootstrapOptions | undefined): BinaryAgreement {
  const rows = grades.flatMap((grade) => {
    const plan = reference.plans.get(grade.trajectoryId);
    // A grader that did not apply to the trajectory said nothing about its plan.
    return plan && applies(grade) ? [{ fails: !grade.pass, verdict: plan.value! }] : [];
  });
  return binary(
    rows,
    (row) => row.fails,
    (row) => row.verdict === "fail",
    bootstrap,
  );
}

function scoreAgreement(grades: readonly Grade[], reference: Reference, bootstrap: BootstrapOptions | undefined): GraderAgreement["score"] {
  const rows = grades.flatMap((grade) => {
    const rating = reference.ratings.get(grade.trajectoryId);
    return rating && applies(grade) ? [[grade.score, ratingScore(Number(rating.value))] as const] : [];
  });
  const scale = [...new Set(rows.flat())].sort((a, b) => a - b);
  const units = rows.map((row) => row.map((value) => scale.indexOf(value)));
  const alphaOf = (sample: readonly (readonly number[])[]) => krippendorffAlpha(sample, scale.length, "interval", scale);
  return { units: rows.length, alpha: alphaOf(units), alphaInterval: bootstrapInterval(units, alphaOf, bootstrap) };
}

function disagreementsOf(
  units: readonly Unit[],
  verdictOf: (label: string) => string | null,
  expressible: ReadonlyMap<string, readonly string[]>,
): GraderDisagreement[] {
  const list: GraderDisagreement[] = [];
  for (const unit of units) {
    const base = {
      runId: unit.judgement.runId,
      trajectoryId: unit.trajectoryId,
      scenarioId: unit.judgement.scenarioId,
      eventId: unit.eventId,
      verdict: unit.verdict,
      status: unit.consensus.status,
      reviews: reviewsOf(unit.judgement),
    };
    const said = new Set(unit.labels.map((l) => verdictOf(l.label)).filter((v): v is string => v !== null));
    for (const expected of said) {
      if (expected !== unit.verdict) {
        list.push({
          kind: "false-positive",
          ...base,
          labels: unit.labels.filter((l) => verdictOf(l.label) === expected),
          expected,
        });
      }
    }
    if (expressible.has(unit.verdict) && !said.has(unit.verdict)) {
      list.push({ kind: "missed", ...base, labels: unit.labels, expected: unit.verdict });
    }
  }
  return list;
}

function reviewsOf(judgement: TargetJudgements): GraderDisagreement["reviews"] {
  const records = [...(judgement.settlement ? [judgement.settlement] : []), ...judgement.byReviewer.values()];
  return records.map((record) => ({ reviewer: record.reviewer, verdict: record.verdict, note: record.note }));
}
