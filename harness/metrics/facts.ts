import { matchTrajectory } from "../graders/match/match-trajectory.js";
import { applies, type Grade } from "../graders/grade.js";
import type { Trajectory } from "../trajectory/schema.js";
import { labelMeaning, NotApplicableTally, type NotApplicableGrader } from "./labels.js";

/**
 * The few figures of a trajectory and its grades that reports and summaries
 * count, so that a run is counted one trajectory at a time: a report of
 * 100,000 trajectories holds 100,000 of these (a few hundred bytes each),
 * never the trajectories.
 */

/** What one trajectory's grades say that reports count, gathered grade by grade in the file's order. */
export interface GradeFacts {
  /** Whether an outcome grade that applied was read (the first one decides). */
  outcomeGraded: boolean;
  /** That grade's pass. */
  outcomePass: boolean | null;
  /** Events of definite labels declared skippable (may repeat). */
  skippable: string[] | null;
  /** Events of candidate labels declared skippable (may repeat). */
  candidate: string[] | null;
  /** Events of skippable labels a replay verified (may repeat). */
  replayed: string[] | null;
  /** Events of definite labels declared flagged (may repeat). */
  flagged: string[] | null;
}

/** A run's grades reduced to {@link GradeFacts} by trajectory id, and which graders did not apply. */
export class GradeIndex {
  private readonly byTrajectory = new Map<string, GradeFacts>();
  private readonly notApplicable = new NotApplicableTally();

  /** Counts one grade (in the file's order: the first applicable outcome grade of a trajectory decides its pass). */
  add(grade: Grade): void {
    this.notApplicable.add(grade);
    let facts = this.byTrajectory.get(grade.trajectoryId);
    if (!facts) {
      facts = { outcomeGraded: false, outcomePass: null, skippable: null, candidate: null, replayed: null, flagged: null };
      this.byTrajectory.set(grade.trajectoryId, facts);
    }
    if (!facts.outcomeGraded && grade.grader === "outcome" && applies(grade)) {
      facts.outcomeGraded = true;
      facts.outcomePass = grade.pass;
    }
    for (const step of grade.steps) {
      const meaning = labelMeaning(grade, step.label);
      if (!meaning) continue;
      const definite = (step.certainty ?? "definite") === "definite";
      if (meaning.skippable) {
        if (definite) (facts.skippable ??= []).push(step.eventId);
        else (facts.candidate ??= []).push(step.eventId);
        if (step.replay !== undefined) (facts.replayed ??= []).push(step.eventId);
      }
      if (meaning.flagged && definite) (facts.flagged ??= []).push(step.eventId);
    }
  }

  /** What the grades of one trajectory say (undefined when it has none). */
  of(trajectoryId: string): GradeFacts | undefined {
    return this.byTrajectory.get(trajectoryId);
  }

  /** {@link of}, letting go of them: for a reader that counts each trajectory once. */
  take(trajectoryId: string): GradeFacts | undefined {
    const facts = this.byTrajectory.get(trajectoryId);
    this.byTrajectory.delete(trajectoryId);
    return facts;
  }

  /** The graders that did not apply to some trajectories (see `notApplicableGraders`). */
  notApplicableGraders(): NotApplicableGrader[] {
    return this.notApplicable.result();
  }
}

/** What reports and summaries count of one trajectory with its grades. */
export interface TrajectoryFacts {
  readonly id: string;
  readonly scenarioId: string;
  readonly domain: string;
  readonly agent: string;
  /** As recorded (null when the log did not name it). */
  readonly model: string | null;
  readonly termination: string;
  /** The outcome grade, else the outcome recorded at run time. */
  readonly passed: boolean;
  /** Reference-call counts (superset mode, exact arguments); null without a reference. */
  readonly reference: { readonly matched: number; readonly actual: number; readonly reference: number } | null;
  readonly toolCalls: number;
  readonly llmCalls: number;
  /** Tool calls a definite skippable label falls on. */
  readonly skippable: number;
  /** Tool calls only candidate skippable labels fall on. */
  readonly candidates: number;
  /** Of the skippable calls, those a replay verified. */
  readonly verified: number;
  /** Steps a definite flagged label falls on. */
  readonly flagged: number;
  readonly durationMs: number | null;
  readonly totalTokens: number | null;
  readonly tokensEstimated: boolean;
}

/** Keeps one copy of each repeated string (scenario ids, models, ...), so that facts of many trajectories share them. */
export class Interner {
  private readonly strings = new Map<string, string>();

  of<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }
}

/** The facts of one trajectory, given what its grades say. */
export function trajectoryFacts(trajectory: Trajectory, grades: GradeFacts | undefined, interner?: Interner): TrajectoryFacts {
  const intern = <T extends string | null>(value: T): T => (interner ? interner.of(value) : value);
  const counts = trajectory.reference
    ? matchTrajectory(trajectory, trajectory.reference, { mode: "superset", toolArgs: "exact" }).counts
    : null;
  const toolCallIds = new Set<string>();
  for (const event of trajectory.events) if (event.kind === "tool_call") toolCallIds.add(event.id);
  const definite = [...new Set(grades?.skippable)].filter((id) => toolCallIds.has(id));
  const candidates = [...new Set(grades?.candidate)].filter((id) => toolCallIds.has(id) && !definite.includes(id)).length;
  const replayed = new Set(grades?.replayed);
  return {
    id: trajectory.id,
    scenarioId: intern(trajectory.scenarioId),
    domain: intern(trajectory.domain),
    agent: intern(trajectory.agent),
    model: intern(trajectory.model ?? null),
    termination: intern(trajectory.termination.reason),
    passed: (grades?.outcomeGraded ? grades.outcomePass : undefined) ?? trajectory.outcome?.pass ?? false,
    reference: counts ? { matched: counts.matched, actual: counts.actual, reference: counts.reference } : null,
    toolCalls: trajectory.usage.toolCalls,
    llmCalls: trajectory.usage.llmCalls,
    skippable: definite.length,
    candidates,
    verified: definite.filter((id) => replayed.has(id)).length,
    flagged: new Set(grades?.flagged).size,
    durationMs: trajectory.durationMs,
    totalTokens: trajectory.usage.totalTokens,
    tokensEstimated: trajectory.usage.source === "estimated",
  };
}
