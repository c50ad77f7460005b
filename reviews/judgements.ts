import type { RunDirectory } from "../harness/core.js";
import { resolveLatest } from "./ledger.js";
import type { ReviewRecord, ReviewTarget } from "./record.js";
import { readRunReviews, type ReviewWarning } from "./review-file.js";

/** Every reviewer's current judgement of one target, and the adjudicator's if one settled it. */
export interface TargetJudgements {
  /** {@link targetKey} of the target: the same across reviewers. */
  readonly key: string;
  readonly runId: string;
  /** For pairs: the first of the two trajectories in sorted order. */
  readonly trajectoryId: string;
  readonly scenarioId: string;
  /** For pairs: `a` and `b` in sorted order, so every reviewer's verdict reads the same way. */
  readonly target: ReviewTarget;
  /** Reviewers' current records (adjudicators' are in {@link settlement}), by reviewer, in name order. */
  readonly byReviewer: ReadonlyMap<string, ReviewRecord>;
  /** The latest record by an adjudicator, which settles the target. */
  readonly settlement: ReviewRecord | undefined;
}

/** Options for {@link collectJudgements}. */
export interface CollectOptions {
  /** Reviewers whose records settle targets instead of counting as one more opinion. */
  readonly adjudicators?: ReadonlySet<string>;
  /** Only these reviewers' records (and adjudicators' among them); default everyone's. */
  readonly reviewers?: ReadonlySet<string>;
}

/**
 * Resolves every reviewer's records (the latest per target wins, cleared
 * targets drop out) and gathers them by target across reviewers. Pair
 * records are turned to read in sorted trajectory order: a reviewer who saw
 * (B, A) and chose "a" preferred B, whatever side it was shown on.
 */
export function collectJudgements(
  byReviewer: ReadonlyMap<string, readonly ReviewRecord[]>,
  options: CollectOptions = {},
): TargetJudgements[] {
  const adjudicators = options.adjudicators ?? new Set<string>();
  const targets = new Map<string, { first: ReviewRecord; byReviewer: Map<string, ReviewRecord>; settlement: ReviewRecord | undefined }>();
  for (const reviewer of [...byReviewer.keys()].sort()) {
    if (options.reviewers && !options.reviewers.has(reviewer)) continue;
    for (const [key, latest] of resolveLatest(byReviewer.get(reviewer)!)) {
      const record = latest.target.kind === "pair" ? inSortedOrder(latest) : latest;
      const entry = targets.get(key) ?? { first: record, byReviewer: new Map(), settlement: undefined };
      targets.set(key, entry);
      if (!adjudicators.has(reviewer)) entry.byReviewer.set(reviewer, record);
      else if (!entry.settlement || entry.settlement.at <= record.at) entry.settlement = record;
    }
  }
  return [...targets].map(([key, { first, byReviewer: reviewers, settlement }]) => ({
    key,
    runId: first.runId,
    trajectoryId: first.trajectoryId,
    scenarioId: first.scenarioId,
    target: first.target,
    byReviewer: reviewers,
    settlement,
  }));
}

/** Reads every reviewer's file of each run and gathers the judgements by target. */
export async function readJudgements(
  runs: readonly RunDirectory[],
  options: CollectOptions & { readonly onWarning?: (warning: ReviewWarning) => void } = {},
): Promise<TargetJudgements[]> {
  const all = new Map<string, ReviewRecord[]>();
  for (const run of runs) {
    for (const [reviewer, records] of await readRunReviews(run, options.onWarning)) {
      all.set(reviewer, [...(all.get(reviewer) ?? []), ...records]);
    }
  }
  return collectJudgements(all, options);
}

/** A pair record with `a` and `b` in sorted order and its verdict turned to match. */
export function inSortedOrder(record: ReviewRecord): ReviewRecord {
  const { target } = record;
  if (target.kind !== "pair" || target.a <= target.b) return record;
  const verdict = record.verdict === "a" ? "b" : record.verdict === "b" ? "a" : record.verdict;
  return { ...record, trajectoryId: target.b, target: { kind: "pair", a: target.b, b: target.a }, verdict };
}
