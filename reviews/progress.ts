import { existsSync } from "node:fs";
import { readJsonl, type RunDirectory } from "../harness/core.js";
import { ReviewLedger } from "./ledger.js";
import { reviewStatus } from "./queue.js";
import { ReviewRecordSchema, type ReviewRecord } from "./record.js";
import { ReviewFile } from "./review-file.js";

/** How far one reviewer is with one run, and how fast they go. */
export interface ReviewerProgress {
  readonly reviewer: string;
  /** Trajectories signed off (the plan passed or failed). */
  readonly done: number;
  /** Trajectories with something given but not signed off. */
  readonly inProgress: number;
  /** Active seconds over every record (see `activeSeconds`). */
  readonly activeSeconds: number;
  /** Trajectories signed off per active hour; null before there is an active minute to go by. */
  readonly perHour: number | null;
  /** When the reviewer last gave something. */
  readonly lastAt: string | null;
}

/** A reviewer's progress from their records (file order). */
export function progressOf(reviewer: string, records: readonly ReviewRecord[]): ReviewerProgress {
  const ledger = new ReviewLedger(records);
  const trajectories = new Set<string>();
  let activeSeconds = 0;
  let lastAt: string | null = null;
  for (const record of records) {
    if (record.target.kind !== "pair") trajectories.add(record.trajectoryId);
    activeSeconds += record.activeSeconds ?? 0;
    if (lastAt === null || record.at > lastAt) lastAt = record.at;
  }
  let done = 0;
  let inProgress = 0;
  for (const id of trajectories) {
    const status = reviewStatus(ledger.review(id));
    if (status === "done") done += 1;
    else if (status === "partial") inProgress += 1;
  }
  const hours = activeSeconds / 3600;
  return {
    reviewer,
    done,
    inProgress,
    activeSeconds: Math.round(activeSeconds * 10) / 10,
    perHour: activeSeconds >= 60 ? Math.round((done / hours) * 10) / 10 : null,
    lastAt,
  };
}

/** A reviewer's progress in words: "12 done, 3 in progress, 14 min active, 51/h". */
export function describeProgress(progress: ReviewerProgress): string {
  const pace = describePace(progress);
  return [
    `${progress.done} done`,
    ...(progress.inProgress > 0 ? [`${progress.inProgress} in progress`] : []),
    ...(pace ? [pace] : []),
  ].join(", ");
}

/** A reviewer's pace in words: "14 min active, 51/h" ("" when no record carries active time). */
export function describePace(progress: ReviewerProgress): string {
  if (progress.activeSeconds <= 0) return "";
  const minutes = progress.activeSeconds < 60 ? "<1" : String(Math.round(progress.activeSeconds / 60));
  return [`${minutes} min active`, ...(progress.perHour !== null ? [`${progress.perHour}/h`] : [])].join(", ");
}

/** A run a reviewer started and has not finished. */
export interface UnfinishedRun {
  readonly runId: string;
  readonly done: number;
  /** Trajectories with something given but not signed off. */
  readonly inProgress: number;
  /** The run's trajectories (its planned trials, or those imported). */
  readonly total: number;
  readonly lastAt: string | null;
}

/**
 * The runs among `runs` where `reviewer` has given something but not signed
 * off every trajectory, the most recently worked on first: what plain
 * `trajlab review` mentions when it opens a newer run.
 */
export async function unfinishedRuns(runs: readonly RunDirectory[], reviewer: string): Promise<UnfinishedRun[]> {
  const unfinished: UnfinishedRun[] = [];
  for (const run of runs) {
    const path = ReviewFile.pathFor(run, reviewer);
    if (!existsSync(path)) continue;
    const records = await readJsonl(path, ReviewRecordSchema, { onSkip: () => undefined }).catch(() => null);
    const manifest = await run.manifest().catch(() => null);
    if (!records || !manifest || records.length === 0) continue;
    const progress = progressOf(reviewer, records);
    // Nothing left standing (every grade undone) is no work in progress; everything signed off is finished.
    if ((progress.done === 0 && progress.inProgress === 0) || progress.done >= manifest.trials) continue;
    unfinished.push({
      runId: run.id,
      done: progress.done,
      inProgress: progress.inProgress,
      total: manifest.trials,
      lastAt: progress.lastAt,
    });
  }
  return unfinished.sort((a, b) => (b.lastAt ?? "").localeCompare(a.lastAt ?? ""));
}
