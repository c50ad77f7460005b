import { REVIEW_SCHEMA_VERSION, ReviewRecordSchema, type ReviewRecord, type ReviewTarget } from "../../../reviews/index.js";

let clock = Date.parse("2026-11-20T10:00:00.000Z");

/** A schema-valid review record; each one made is a millisecond later than the last. */
export function reviewRecord(
  reviewer: string,
  trajectoryId: string,
  target: ReviewTarget,
  fields: Partial<Omit<ReviewRecord, "reviewer" | "trajectoryId" | "target">> = {},
): ReviewRecord {
  clock += 1;
  return ReviewRecordSchema.parse({
    schemaVersion: REVIEW_SCHEMA_VERSION,
    reviewer,
    at: new Date(clock).toISOString(),
    runId: "run-1",
    trajectoryId,
    scenarioId: "retail.cancel-order",
    target,
    verdict: null,
    labels: [],
    score: null,
    rating: null,
    note: null,
    shouldHaveCalled: null,
    skippable: [],
    missing: [],
    cleared: false,
    undoes: null,
    ...fields,
  });
}

/** A step verdict. */
export function stepRecord(
  reviewer: string,
  trajectoryId: string,
  eventId: string,
  verdict: string,
  note: string | null = null,
): ReviewRecord {
  return reviewRecord(reviewer, trajectoryId, { kind: "step", eventId }, { verdict, note });
}

/** A plan verdict with a rating. */
export function planRecord(
  reviewer: string,
  trajectoryId: string,
  verdict: "pass" | "fail" | null,
  rating: number | null = null,
): ReviewRecord {
  return reviewRecord(reviewer, trajectoryId, { kind: "plan" }, { verdict, rating, score: rating === null ? null : (rating - 1) / 4 });
}

/** Groups records by reviewer, as readRunReviews returns them. */
export function byReviewer(records: readonly ReviewRecord[]): Map<string, ReviewRecord[]> {
  const map = new Map<string, ReviewRecord[]>();
  for (const record of records) map.set(record.reviewer, [...(map.get(record.reviewer) ?? []), record]);
  return map;
}
