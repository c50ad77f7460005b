import { applies, type Grade } from "../../harness/core.js";
import { consensusOf, MEASURES_BY_TARGET, type ConsensusStatus, type Measure } from "../agreement/measures.js";
import type { TargetJudgements } from "../judgements.js";
import { labelMeaning } from "../label-meaning.js";
import { targetKey, type ReviewRecord, type ReviewTarget } from "../record.js";

/** Which judgements an export may use. */
export interface ExportFilters {
  /** Only these reviewers' records (adjudicators' included only when listed). */
  readonly reviewers?: ReadonlySet<string>;
  /**
   * Only targets at least this share of whose reviewers (two or more) gave the
   * exported value; adjudicated targets pass, since the adjudicator resolved them.
   */
  readonly minAgreement?: number;
  /** Only targets an adjudicator settled or two or more reviewers agree on. */
  readonly settledOnly?: boolean;
  /** Where no review gives a value, use the graders' labels as weak labels (marked `weak`). */
  readonly includeGraders?: boolean;
}

/** Where an exported value came from. */
export type LabelSource = ConsensusStatus | "grader";

/** A target's value as an export uses it, and who it comes from. */
export interface ExportLabel {
  readonly value: string;
  readonly source: LabelSource;
  /** Reviewers who gave a value, and how many gave this one. */
  readonly reviewers: readonly string[];
  readonly agreeing: number;
  readonly adjudicator: string | null;
  /** The reasons given for this value: the adjudicator's, else each agreeing reviewer's. */
  readonly notes: readonly { readonly reviewer: string; readonly note: string }[];
  /** A reviewer's "should have called" for a step, if one gave it. */
  readonly shouldHaveCalled: string | null;
  /** Weak labels: the grader labels the value was read from. */
  readonly graders: readonly { readonly grader: string; readonly label: string; readonly reason: string }[];
}

/** Why a judged target did not make it into an export. */
export type LeftOut = "disputed" | "below-agreement" | "not-settled";

const [STEP] = MEASURES_BY_TARGET.step;
const [PLAN] = MEASURES_BY_TARGET.plan;
const [PAIR] = MEASURES_BY_TARGET.pair;

/**
 * The values exports read, per target: the review's (settled, unanimous or a
 * single reviewer's), filtered as asked, else (with `includeGraders`) a weak
 * label from the graders. Counts what it leaves out and why.
 */
export class ExportLabels {
  private readonly byKey = new Map<string, TargetJudgements>();
  private readonly gradesOf = new Map<string, Grade[]>();
  /** Targets left out, by reason, for the summary. */
  readonly leftOut = new Map<LeftOut, number>();
  private readonly counted = new Set<string>();

  constructor(
    judgements: readonly TargetJudgements[],
    grades: readonly Grade[],
    private readonly filters: ExportFilters = {},
  ) {
    for (const judgement of judgements) this.byKey.set(judgement.key, judgement);
    for (const grade of grades) this.gradesOf.set(grade.trajectoryId, [...(this.gradesOf.get(grade.trajectoryId) ?? []), grade]);
  }

  /** Every judged pair of trajectories. */
  pairs(): TargetJudgements[] {
    return [...this.byKey.values()].filter((judgement) => judgement.target.kind === "pair");
  }

  /** Trajectories with any judgement (and with grades, when weak labels are allowed). */
  trajectoryIds(): Set<string> {
    const ids = new Set<string>();
    for (const judgement of this.byKey.values()) if (judgement.target.kind !== "pair") ids.add(judgement.trajectoryId);
    if (this.filters.includeGraders) for (const id of this.gradesOf.keys()) ids.add(id);
    return ids;
  }

  /** A step's verdict. */
  step(trajectoryId: string, eventId: string): ExportLabel | null {
    const target: ReviewTarget = { kind: "step", eventId };
    return this.reviewed(trajectoryId, target, STEP!) ?? this.weakStep(trajectoryId, eventId);
  }

  /**
   * True when reviewers judged the step but the export may not use it
   * (disputed, below `minAgreement`, not settled): neither good nor bad is known.
   */
  stepLeftOut(trajectoryId: string, eventId: string): boolean {
    const judgement = this.byKey.get(targetKey(trajectoryId, { kind: "step", eventId }));
    const consensus = judgement ? consensusOf(judgement, STEP!) : null;
    return consensus !== null && this.excluded(consensus.status, consensus.agreeing, consensus.reviewers.length) !== null;
  }

  /** The plan's pass or fail. */
  plan(trajectoryId: string): ExportLabel | null {
    return this.reviewed(trajectoryId, { kind: "plan" }, PLAN!) ?? this.weakPlan(trajectoryId);
  }

  /** A pair preference (`a`, `b`, `tie`, in sorted trajectory order). */
  pair(judgement: TargetJudgements): ExportLabel | null {
    return this.labelOf(judgement, PAIR!);
  }

  private reviewed(trajectoryId: string, target: ReviewTarget, measure: Measure): ExportLabel | null {
    const judgement = this.byKey.get(targetKey(trajectoryId, target));
    return judgement ? this.labelOf(judgement, measure) : null;
  }

  private labelOf(judgement: TargetJudgements, measure: Measure): ExportLabel | null {
    const consensus = consensusOf(judgement, measure);
    if (!consensus) return null;
    const reason = this.excluded(consensus.status, consensus.agreeing, consensus.reviewers.length);
    if (reason) {
      // Each target is counted once, however often an export asks for it.
      const key = `${judgement.key}|${measure.id}`;
      if (!this.counted.has(key)) {
        this.counted.add(key);
        this.leftOut.set(reason, (this.leftOut.get(reason) ?? 0) + 1);
      }
      return null;
    }
    const value = consensus.value!;
    const sources: ReviewRecord[] = judgement.settlement
      ? [judgement.settlement]
      : [...judgement.byReviewer.values()].filter((record) => measure.value(record) === value);
    return {
      value,
      source: consensus.status,
      reviewers: consensus.reviewers,
      agreeing: consensus.agreeing,
      adjudicator: consensus.adjudicator,
      notes: sources.filter((record) => record.note).map((record) => ({ reviewer: record.reviewer, note: record.note! })),
      shouldHaveCalled: sources.find((record) => record.shouldHaveCalled)?.shouldHaveCalled ?? null,
      graders: [],
    };
  }

  private excluded(status: ConsensusStatus, agreeing: number, reviewers: number): LeftOut | null {
    if (status === "disputed") return "disputed";
    if (this.filters.settledOnly && status !== "settled" && status !== "unanimous") return "not-settled";
    const min = this.filters.minAgreement;
    if (min !== undefined && status !== "settled" && (reviewers < 2 || agreeing / reviewers < min)) return "below-agreement";
    return null;
  }

  /**
   * A step's weak label from the graders of its trajectory: the verdict of
   * the first flag that stands for one, `other` for a flag that stands for
   * none, `correct` when graders graded the trajectory and flagged nothing here.
   */
  private weakStep(trajectoryId: string, eventId: string): ExportLabel | null {
    const grades = this.weakGrades(trajectoryId);
    if (!grades) return null;
    const flags = grades.flatMap((grade) =>
      grade.steps
        .filter((step) => step.eventId === eventId && labelMeaning(grade, step.label).flagged)
        .map((step) => ({
          grader: grade.grader,
          label: step.label,
          reason: step.reason,
          verdict: labelMeaning(grade, step.label).verdict,
        })),
    );
    const decisive = flags.find((flag) => flag.verdict !== null);
    const value = decisive?.verdict ?? (flags.length > 0 ? "other" : "correct");
    return weak(
      value,
      flags.map(({ grader, label, reason }) => ({ grader, label, reason })),
    );
  }

  /** The plan's weak label: the outcome grade's pass. */
  private weakPlan(trajectoryId: string): ExportLabel | null {
    const outcome = this.weakGrades(trajectoryId)?.find((grade) => grade.grader === "outcome" && applies(grade));
    if (!outcome) return null;
    return weak(outcome.pass ? "pass" : "fail", [
      { grader: outcome.grader, label: outcome.pass ? "pass" : "fail", reason: outcome.comment },
    ]);
  }

  private weakGrades(trajectoryId: string): Grade[] | null {
    if (!this.filters.includeGraders || this.filters.settledOnly || this.filters.minAgreement !== undefined) return null;
    const grades = this.gradesOf.get(trajectoryId);
    return grades && grades.length > 0 ? grades : null;
  }
}

function weak(value: string, graders: ExportLabel["graders"]): ExportLabel {
  return { value, source: "grader", reviewers: [], agreeing: 0, adjudicator: null, notes: [], shouldHaveCalled: null, graders };
}
