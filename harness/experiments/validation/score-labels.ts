import { FAULT_KINDS } from "../../../scenarios/index.js";
import type { Grade, Grader } from "../../graders/grade.js";
import { declaredLabels } from "../../graders/registry.js";
import type { Trajectory } from "../../trajectory/schema.js";

/** Which grader label stands for which injected fault kind, derived from the label's declared meaning. */
export interface FaultLabelRule {
  /** Fault kind (or, for a label that answers several, their names joined). */
  readonly kind: string;
  /** Fault kinds the label stands for. */
  readonly kinds: readonly string[];
  /**
   * Other fault kinds on whose events the label is also a true statement (a
   * wrong-tool attempt whose result went unused is an unused read). A
   * label there is not counted against precision; strict precision counts it.
   */
  readonly alsoTrueOn: readonly string[];
  readonly grader: string;
  readonly label: string;
  /**
   * `event`: the fault's events are compared with the labelled events.
   * `trajectory`: the fault has no events of its own (a step left out), so a
   * label anywhere in the trajectory counts as finding it.
   */
  readonly unit: "event" | "trajectory";
  /** Precision and recall the label must reach, when one is set for its kind. */
  readonly target?: number;
}

/** Precision and recall targets per fault kind (`trajlab validate-graders --check` fails below them). */
export const VALIDATION_TARGETS: Readonly<Record<string, number>> = {
  repeated_call: 0.9,
  unused_read: 0.9,
  pass_through_handoff: 0.9,
};

/**
 * The rules of some graders: one per label that declares the fault kinds it
 * answers, ordered by the fault kinds' order in `kindOrder` (labels answering
 * several kinds last).
 */
export function faultLabelRules(graders: readonly Grader[], kindOrder: readonly string[] = FAULT_KINDS): FaultLabelRule[] {
  const rules: FaultLabelRule[] = [];
  for (const grader of graders) {
    for (const [label, meaning] of Object.entries(declaredLabels(grader) ?? {})) {
      if (meaning.faultKinds.length === 0) continue;
      const single = meaning.faultKinds.length === 1 ? meaning.faultKinds[0]! : undefined;
      const target = single === undefined ? undefined : VALIDATION_TARGETS[single];
      rules.push({
        kind: single ?? meaning.faultKinds.join(" or "),
        kinds: meaning.faultKinds,
        alsoTrueOn: meaning.alsoTrueOn,
        grader: grader.id,
        label,
        unit: meaning.faultUnit,
        ...(target === undefined ? {} : { target }),
      });
    }
  }
  const position = (rule: FaultLabelRule): number => {
    const index = rule.kinds.length === 1 ? kindOrder.indexOf(rule.kinds[0]!) : -1;
    return index === -1 ? kindOrder.length : index;
  };
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => position(a.rule) - position(b.rule) || a.index - b.index)
    .map(({ rule }) => rule);
}

/** Counts for one fault kind. */
export interface KindScore {
  readonly kind: string;
  readonly grader: string;
  readonly label: string;
  readonly unit: "event" | "trajectory";
  /** Faults of this kind injected (and reached by the run). */
  readonly injected: number;
  /** Units (events, or trajectories) the ground truth marks. */
  readonly truth: number;
  /** Units the grader labelled (definite labels: what rates count). */
  readonly labelled: number;
  /** Events given the label only as a candidate: on this kind's faults, and elsewhere (not scored). */
  readonly candidates: { readonly onFaults: number; readonly elsewhere: number };
  readonly truePositives: number;
  readonly falsePositives: number;
  /** Labels on events of another injected fault, where the label's claim also holds (not counted as false positives). */
  readonly alsoTrue: number;
  /** False positives that sit on events of another injected fault. */
  readonly falsePositivesOnOtherFaults: number;
  readonly falseNegatives: number;
  /** TP / (TP + FP): labels whose claim holds, over labels counted; null when nothing was labelled. */
  readonly precision: number | null;
  /** TP / all labels: only labels on this kind's own faults count as right. */
  readonly strictPrecision: number | null;
  /** TP / (TP + FN); null when nothing was injected. */
  readonly recall: number | null;
  readonly target: number | null;
  /** True when a target is set and both precision and recall reach it. */
  readonly meetsTarget: boolean | null;
}

/** A trajectory with its ground truth and the grades it got (from graders that never saw the ground truth). */
export interface GradedRun {
  readonly trajectory: Trajectory;
  readonly grades: readonly Grade[];
}

/**
 * Step-label precision and recall per fault kind, against the injected
 * ground truth. Labels of a kind's grader on events that carry no fault of
 * that kind are false positives, whether the event is clean or part of
 * another fault (those are also counted apart). Only definite labels are
 * scored, as only they count in rates; candidates are counted apart.
 */
export function scoreLabels(runs: readonly GradedRun[], rules: readonly FaultLabelRule[]): KindScore[] {
  return rules.map((rule) => {
    let injected = 0;
    let truth = 0;
    let labelled = 0;
    let tp = 0;
    let fp = 0;
    let fpOther = 0;
    let alsoTrue = 0;
    let fn = 0;
    let candidatesOnFaults = 0;
    let candidatesElsewhere = 0;
    for (const { trajectory, grades } of runs) {
      const faults = trajectory.groundTruth?.faults ?? [];
      const kinds = new Set(rule.kinds);
      const own = faults.filter((fault) => kinds.has(fault.kind));
      injected += own.length;
      const given = grades
        .filter((grade) => grade.grader === rule.grader)
        .flatMap((grade) => grade.steps)
        .filter((step) => step.label === rule.label);
      const labels = new Set(given.filter((step) => step.certainty !== "candidate").map((step) => step.eventId));
      const faultEvents = new Set(own.flatMap((fault) => fault.eventIds));
      for (const id of new Set(given.filter((step) => step.certainty === "candidate").map((step) => step.eventId))) {
        if (labels.has(id)) continue;
        if (faultEvents.has(id)) candidatesOnFaults += 1;
        else candidatesElsewhere += 1;
      }
      if (rule.unit === "trajectory") {
        const marked = own.length > 0;
        const found = labels.size > 0;
        truth += marked ? 1 : 0;
        labelled += found ? 1 : 0;
        if (marked && found) tp += 1;
        else if (found) {
          fp += 1;
          if (faults.length > 0) fpOther += 1;
        } else if (marked) fn += 1;
        continue;
      }
      const expected = new Set(own.flatMap((fault) => fault.eventIds));
      const otherFaults = new Set(faults.filter((fault) => !kinds.has(fault.kind)).flatMap((fault) => fault.eventIds));
      const tolerated = new Set(faults.filter((fault) => rule.alsoTrueOn.includes(fault.kind)).flatMap((fault) => fault.eventIds));
      truth += expected.size;
      labelled += labels.size;
      for (const id of labels) {
        if (expected.has(id)) tp += 1;
        else if (tolerated.has(id)) alsoTrue += 1;
        else {
          fp += 1;
          if (otherFaults.has(id)) fpOther += 1;
        }
      }
      for (const id of expected) if (!labels.has(id)) fn += 1;
    }
    const precision = tp + fp === 0 ? null : tp / (tp + fp);
    const recall = tp + fn === 0 ? null : tp / (tp + fn);
    const strict = tp + fp + alsoTrue === 0 ? null : tp / (tp + fp + alsoTrue);
    const target = rule.target ?? null;
    return {
      kind: rule.kind,
      grader: rule.grader,
      label: rule.label,
      unit: rule.unit,
      injected,
      truth,
      labelled,
      candidates: { onFaults: candidatesOnFaults, elsewhere: candidatesElsewhere },
      truePositives: tp,
      alsoTrue,
      falsePositives: fp,
      falsePositivesOnOtherFaults: fpOther,
      falseNegatives: fn,
      precision,
      strictPrecision: strict,
      recall,
      target,
      // With nothing injected and nothing labelled there is no evidence either way.
      meetsTarget: target === null || (truth === 0 && labelled === 0) ? null : (precision ?? 0) >= target && (recall ?? 0) >= target,
    };
  });
}

/** How often each label was given, and how often on runs with no injected fault at all (all of those are false alarms). */
export interface LabelTally {
  readonly grader: string;
  readonly label: string;
  readonly total: number;
  readonly onCleanRuns: number;
}

/** Counts every label the graders gave, noting those on fault-free runs. */
export function tallyLabels(runs: readonly GradedRun[]): LabelTally[] {
  const tallies = new Map<string, { grader: string; label: string; total: number; onCleanRuns: number }>();
  for (const { trajectory, grades } of runs) {
    const clean = (trajectory.groundTruth?.faults.length ?? 0) === 0;
    for (const grade of grades) {
      for (const step of grade.steps) {
        const key = `${grade.grader}\u0000${step.label}`;
        const tally = tallies.get(key) ?? { grader: grade.grader, label: step.label, total: 0, onCleanRuns: 0 };
        tally.total += 1;
        if (clean) tally.onCleanRuns += 1;
        tallies.set(key, tally);
      }
    }
  }
  return [...tallies.values()].sort((a, b) => a.grader.localeCompare(b.grader) || a.label.localeCompare(b.label));
}
