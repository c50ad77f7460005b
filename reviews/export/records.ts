import type { GradableTrajectory } from "../../harness/core.js";
import { isGradable } from "../timeline.js";
import type { ExportLabel, ExportLabels, LabelSource } from "./labels.js";

/** What one target of a record was judged, and by whom. */
export interface TargetProvenance {
  /** `plan`, `step:<event id>` or `pair`. */
  readonly target: string;
  readonly value: string;
  /** `settled` (adjudicated), `unanimous`, `single` (one reviewer) or `grader` (a weak label). */
  readonly source: LabelSource;
  readonly reviewers: readonly string[];
  readonly agreeing: number;
  readonly adjudicator: string | null;
  /** For weak labels: the grader labels read. */
  readonly graders?: readonly { readonly grader: string; readonly label: string }[];
}

/** Where an exported record comes from: every record carries one. */
export interface Provenance {
  /** The export kind that wrote the record. */
  readonly kind: string;
  readonly runId: string;
  readonly trajectoryId: string;
  /** Pairs: the other trajectory (and its run). */
  readonly otherTrajectoryId?: string;
  readonly otherRunId?: string;
  readonly scenarioId: string;
  readonly domain: string;
  readonly agent: string;
  /** Null when the source did not say which model ran. */
  readonly model: string | null;
  /** The events the record's messages and steps come from. */
  readonly eventIds: readonly string[];
  /** Everyone whose judgement the record rests on. */
  readonly reviewers: readonly string[];
  readonly adjudicators: readonly string[];
  /**
   * The lowest share of agreeing reviewers among the record's targets judged
   * by two or more (1 when all agree); null when no target had two reviewers.
   */
  readonly agreement: number | null;
  /** True when any target's value is a grader's weak label. */
  readonly weak: boolean;
  readonly targets: readonly TargetProvenance[];
}

/** What a record builder is given. */
export interface ExportContext {
  readonly labels: ExportLabels;
  /** The trajectories to export, in run order, already filtered by scenario and domain. */
  trajectories(): Iterable<GradableTrajectory>;
  /** A trajectory by id (for pairs), if it passes the filters. */
  trajectory(id: string): GradableTrajectory | undefined;
  /** Counts a record not written, by reason, for the summary. */
  skip(reason: string): void;
}

/** A step label of a record, with its target name. */
export interface LabelledTarget {
  readonly target: string;
  readonly label: ExportLabel;
}

/** A verdict that says the step should not have been taken as it was. */
export function isFlawed(verdict: string): boolean {
  return verdict !== "correct";
}

/** The steps a reviewer judges (tool calls and handoff tools), in order. */
export function stepsOf(trajectory: GradableTrajectory): string[] {
  return trajectory.events.filter(isGradable).map((event) => event.id);
}

/** The provenance of a record built from a trajectory's targets. */
export function provenanceOf(
  kind: string,
  trajectory: GradableTrajectory,
  eventIds: readonly string[],
  targets: readonly LabelledTarget[],
  other?: GradableTrajectory,
): Provenance {
  const shares = targets
    .filter(({ label }) => label.source !== "grader" && label.reviewers.length >= 2)
    .map(({ label }) => (label.source === "settled" ? 1 : label.agreeing / label.reviewers.length));
  return {
    kind,
    runId: trajectory.runId,
    trajectoryId: trajectory.id,
    ...(other ? { otherTrajectoryId: other.id, otherRunId: other.runId } : {}),
    scenarioId: trajectory.scenarioId,
    domain: trajectory.domain,
    agent: trajectory.agent,
    model: trajectory.model,
    eventIds: [...new Set(eventIds)],
    reviewers: [...new Set(targets.flatMap(({ label }) => label.reviewers))].sort(),
    adjudicators: [...new Set(targets.flatMap(({ label }) => (label.adjudicator ? [label.adjudicator] : [])))].sort(),
    agreement: shares.length === 0 ? null : Math.min(...shares),
    weak: targets.some(({ label }) => label.source === "grader"),
    targets: targets.map(({ target, label }) => ({
      target,
      value: label.value,
      source: label.source,
      reviewers: label.reviewers,
      agreeing: label.agreeing,
      adjudicator: label.adjudicator,
      ...(label.source === "grader" ? { graders: label.graders.map(({ grader, label: name }) => ({ grader, label: name })) } : {}),
    })),
  };
}

/** The labelled steps of a trajectory, in order (steps without a value are left out). */
export function labelledSteps(context: ExportContext, trajectory: GradableTrajectory): Map<string, ExportLabel> {
  const steps = new Map<string, ExportLabel>();
  for (const eventId of stepsOf(trajectory)) {
    const label = context.labels.step(trajectory.id, eventId);
    if (label) steps.set(eventId, label);
  }
  return steps;
}
