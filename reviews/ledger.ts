import { targetKey, type ReviewRecord, type ReviewTarget } from "./record.js";

/**
 * The latest record per target among `records`, in file order (a later line
 * wins over an earlier one, whatever their clocks say). Cleared records remove
 * the target.
 */
export function resolveLatest(records: Iterable<ReviewRecord>): Map<string, ReviewRecord> {
  const latest = new Map<string, ReviewRecord>();
  for (const record of records) {
    const key = targetKey(record.trajectoryId, record.target);
    if (record.cleared) latest.delete(key);
    else latest.set(key, record);
  }
  return latest;
}

/** One trajectory's current judgements by one reviewer. */
export interface TrajectoryReview {
  /** Step records by event id. */
  readonly steps: ReadonlyMap<string, ReviewRecord>;
  /** The plan record, if the plan has been graded. */
  readonly plan: ReviewRecord | undefined;
  /** Suggestion decisions by `eventId:grader:label`. */
  readonly suggestions: ReadonlyMap<string, ReviewRecord>;
}

const EMPTY_REVIEW: TrajectoryReview = { steps: new Map(), plan: undefined, suggestions: new Map() };

/** Key of a grader suggestion on a step, as used by {@link TrajectoryReview.suggestions}. */
export function suggestionKey(eventId: string, grader: string, label: string): string {
  return `${eventId}:${grader}:${label}`;
}

/**
 * One reviewer's judgements, resolved (latest record per target wins) and
 * indexed by trajectory for the TUI. Each trajectory's review is immutable:
 * a change replaces it. Records are applied in the order they were written.
 */
export class ReviewLedger {
  private readonly byTrajectory = new Map<string, TrajectoryReview>();
  private readonly pairs = new Map<string, ReviewRecord>();

  constructor(records: Iterable<ReviewRecord> = []) {
    for (const record of records) this.apply(record);
  }

  /** Applies one record (the newest so far). */
  apply(record: ReviewRecord): void {
    const { target } = record;
    if (target.kind === "pair") {
      const key = targetKey(record.trajectoryId, target);
      if (record.cleared) this.pairs.delete(key);
      else this.pairs.set(key, record);
      return;
    }
    // A new review object per change, so views that hold the old one see that it changed.
    const old = this.byTrajectory.get(record.trajectoryId) ?? EMPTY_REVIEW;
    const value = record.cleared ? undefined : record;
    const review: TrajectoryReview = {
      steps: target.kind === "step" ? withEntry(old.steps, target.eventId, value) : old.steps,
      plan: target.kind === "plan" ? value : old.plan,
      suggestions:
        target.kind === "suggestion"
          ? withEntry(old.suggestions, suggestionKey(target.eventId, target.grader, target.label), value)
          : old.suggestions,
    };
    this.byTrajectory.set(record.trajectoryId, review);
  }

  /** The reviewer's current judgements of one trajectory. */
  review(trajectoryId: string): TrajectoryReview {
    return this.byTrajectory.get(trajectoryId) ?? EMPTY_REVIEW;
  }

  /** The current record for a target, if any. */
  current(trajectoryId: string, target: ReviewTarget): ReviewRecord | undefined {
    const review = this.review(trajectoryId);
    switch (target.kind) {
      case "step":
        return review.steps.get(target.eventId);
      case "plan":
        return review.plan;
      case "suggestion":
        return review.suggestions.get(suggestionKey(target.eventId, target.grader, target.label));
      case "pair":
        return this.pairs.get(targetKey(trajectoryId, target));
    }
  }

  /** The current preference between two trajectories, whichever order it was given in. */
  pair(a: string, b: string): ReviewRecord | undefined {
    return this.pairs.get(targetKey(a, { kind: "pair", a, b }));
  }

  /** Every current pair preference. */
  pairRecords(): IterableIterator<ReviewRecord> {
    return this.pairs.values();
  }
}

function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V | undefined): ReadonlyMap<string, V> {
  const copy = new Map(map);
  if (value === undefined) copy.delete(key);
  else copy.set(key, value);
  return copy;
}
