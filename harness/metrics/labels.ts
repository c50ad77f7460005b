import { BUILTIN_LABELS } from "../graders/builtin-labels.js";
import { parseLabels } from "../graders/define.js";
import { applies, type Grade, type LabelMeaning, type StepLabel } from "../graders/grade.js";

/**
 * Label meanings for readers of grades. A grade carries the meanings of the
 * labels it uses, as its grader declared them; grades written before that
 * (and hand-written ones) fall back to the built-in graders' declarations by
 * grader id. A label no declaration covers means nothing: it is shown, never
 * counted.
 */

const LEGACY: ReadonlyMap<string, Readonly<Record<string, LabelMeaning>>> = new Map(
  Object.entries(BUILTIN_LABELS).map(([id, labels]) => [id, parseLabels(id, labels)]),
);

/** What a label of a grade means, or undefined when nothing declares it. */
export function labelMeaning(grade: Pick<Grade, "grader" | "labels">, label: string): LabelMeaning | undefined {
  return grade.labels?.[label] ?? (grade.labels ? undefined : LEGACY.get(grade.grader)?.[label]);
}

/** A step label with its grader and what it means. */
export interface MeantStep extends StepLabel {
  readonly grader: string;
  readonly meaning: LabelMeaning | undefined;
  /** `definite` unless the grader marked the label a candidate. */
  readonly certainty: "definite" | "candidate";
}

/** Every step label of some grades, with its meaning. */
export function meantSteps(grades: readonly Grade[]): MeantStep[] {
  return grades.flatMap((grade) =>
    grade.steps.map((step) => ({
      ...step,
      grader: grade.grader,
      meaning: labelMeaning(grade, step.label),
      certainty: step.certainty ?? "definite",
    })),
  );
}

/** Which labels to count: definite ones (what rates count), candidates, or both. */
export type CertaintyFilter = "definite" | "candidate" | "any";

function counted(step: MeantStep, certainty: CertaintyFilter): boolean {
  return certainty === "any" || step.certainty === certainty;
}

/**
 * Steps (tool calls, handoffs, model calls) flagged by any grader, by event
 * id: labels declared `flagged`; by default only definite ones, as rates
 * count them.
 */
export function flaggedEventIds(grades: readonly Grade[], certainty: CertaintyFilter = "definite"): Set<string> {
  return new Set(
    meantSteps(grades)
      .filter((step) => step.meaning?.flagged && counted(step, certainty))
      .map((step) => step.eventId),
  );
}

/** Events some grader labelled skippable (labels declared `skippable`), by default definite labels only. */
export function skippableEventIds(grades: readonly Grade[], certainty: CertaintyFilter = "definite"): Set<string> {
  return new Set(
    meantSteps(grades)
      .filter((step) => step.meaning?.skippable && counted(step, certainty))
      .map((step) => step.eventId),
  );
}

/** The name a candidate label is scored under when compared with reviews: `unused_result (candidate)`. */
export function candidateLabelName(label: string): string {
  return `${label} (candidate)`;
}

/**
 * The grade with its candidate labels renamed (`<label> (candidate)`, same
 * meaning), so that a comparison with reviews scores a grader's definite
 * labels apart from the ones it was unsure of, as rates do.
 */
export function withCandidatesApart(grade: Grade): Grade {
  if (!grade.steps.some((step) => step.certainty === "candidate")) return grade;
  const labels: Record<string, LabelMeaning> = {};
  const steps = grade.steps.map((step) => {
    const meaning = labelMeaning(grade, step.label);
    if (step.certainty !== "candidate") {
      if (meaning) labels[step.label] = meaning;
      return step;
    }
    const name = candidateLabelName(step.label);
    if (meaning) labels[name] = meaning;
    return { ...step, label: name };
  });
  return { ...grade, steps, labels };
}

/** A grader that did not apply to some trajectories, and why. */
export interface NotApplicableGrader {
  readonly grader: string;
  /** Trajectories it did not apply to. */
  readonly trajectories: number;
  /** Trajectories it graded. */
  readonly graded: number;
  /** Each reason given, with how many trajectories gave it, most frequent first. */
  readonly reasons: Array<{ readonly reason: string; readonly trajectories: number }>;
}

/** The graders that said they do not apply to some of these grades' trajectories, by grader id. */
export function notApplicableGraders(grades: readonly Grade[]): NotApplicableGrader[] {
  const tally = new NotApplicableTally();
  for (const grade of grades) tally.add(grade);
  return tally.result();
}

/** Counts, per grader, the trajectories it graded and the reasons it gave for those it did not apply to. */
export class NotApplicableTally {
  private readonly byGrader = new Map<string, { graded: number; reasons: Map<string, number> }>();

  add(grade: Grade): void {
    const entry = this.byGrader.get(grade.grader) ?? { graded: 0, reasons: new Map<string, number>() };
    if (applies(grade)) entry.graded += 1;
    else entry.reasons.set(grade.comment, (entry.reasons.get(grade.comment) ?? 0) + 1);
    this.byGrader.set(grade.grader, entry);
  }

  /** The graders that did not apply to some trajectories, by grader id. */
  result(): NotApplicableGrader[] {
    return [...this.byGrader]
      .filter(([, entry]) => entry.reasons.size > 0)
      .map(([grader, entry]) => ({
        grader,
        trajectories: [...entry.reasons.values()].reduce((sum, n) => sum + n, 0),
        graded: entry.graded,
        reasons: [...entry.reasons]
          .map(([reason, trajectories]) => ({ reason, trajectories }))
          .sort((a, b) => b.trajectories - a.trajectories || a.reason.localeCompare(b.reason)),
      }))
      .sort((a, b) => a.grader.localeCompare(b.grader));
  }
}
