import { existsSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  JsonlAppender,
  TrajlabError,
  readJsonl,
  readJsonlForAppend,
  SAFE_NAME,
  describeHolder,
  takeLock,
  type HeldLock,
  type JsonlProblem,
  type RunDirectory,
} from "../harness/core.js";
import { ReviewRecordSchema, type ReviewRecord } from "./record.js";

/** Reviewer names become file names, so they are kept to a safe alphabet (not `.` or `..` either). */
export const REVIEWER_NAME = SAFE_NAME;

/** Something worth telling the reviewer that did not stop the review. */
export interface ReviewWarning {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** Options for {@link ReviewFile.open}. */
export interface OpenReviewFileOptions {
  /** Receives warnings such as a torn last line that was set aside. */
  readonly onWarning?: (warning: ReviewWarning) => void;
  /** Take a lock so a second `trajlab review` by the same reviewer on the same run is refused (default true). */
  readonly lock?: boolean;
}

/**
 * One reviewer's file in one run: `runs/<run>/reviews/<reviewer>.jsonl`.
 *
 * Opening it reads every record, and repairs what a crash can leave behind:
 * a torn last line is moved to `<reviewer>.jsonl.torn` and cut off, with a
 * warning, so the next append starts on a clean line. Appends go through the
 * harness's {@link JsonlAppender}: each record is on disk (fsync) when the
 * returned promise resolves.
 */
export class ReviewFile {
  private readonly appender: JsonlAppender;
  private released = false;

  private constructor(
    readonly run: RunDirectory,
    readonly reviewer: string,
    readonly path: string,
    /** The records the file held when it was opened, oldest first. */
    readonly records: readonly ReviewRecord[],
    private readonly lock: HeldLock | null,
  ) {
    this.appender = new JsonlAppender(path);
  }

  /** The path of a reviewer's file in a run, checking the name is safe for a file name. */
  static pathFor(run: RunDirectory, reviewer: string): string {
    if (!REVIEWER_NAME.test(reviewer)) {
      throw new TrajlabError("BAD_REVIEWER", `reviewer name ${JSON.stringify(reviewer)} cannot name a file`, {
        hint: "use letters, digits, '.', '_' or '-' (at most 64, not '.' or '..'), e.g. --reviewer ana",
      });
    }
    return join(run.file("reviews"), `${reviewer}.jsonl`);
  }

  /** Opens (creating the folder if needed), repairs and reads a reviewer's file. */
  static async open(run: RunDirectory, reviewer: string, options: OpenReviewFileOptions = {}): Promise<ReviewFile> {
    const path = ReviewFile.pathFor(run, reviewer);
    await mkdir(run.file("reviews"), { recursive: true });
    const lock =
      options.lock === false
        ? null
        : await takeLock(
            `${path}.lock`,
            `review by ${reviewer}`,
            (holder) =>
              new TrajlabError("REVIEW_IN_USE", `${path} is open in another trajlab review (${describeHolder(holder)})`, {
                hint: "finish that session first; a lock whose process is gone is taken over without you doing anything",
              }),
          );
    try {
      const records = existsSync(path) ? await readRepairing(path, options.onWarning) : [];
      return new ReviewFile(run, reviewer, path, records, lock);
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  /** Appends records and resolves once they are flushed to disk. */
  append(records: readonly ReviewRecord[]): Promise<void> {
    if (this.released) {
      return Promise.reject(new TrajlabError("REVIEW_FILE_CLOSED", `${this.path} was closed; reopen it to record more`));
    }
    return this.appender.appendMany(records);
  }

  /** Waits for pending appends, then releases the lock. */
  async close(): Promise<void> {
    if (this.released) return;
    await this.appender.appendMany([]).catch(() => undefined);
    this.released = true;
    await this.lock?.release();
  }
}

/** Every record of every reviewer in a run (for agreement and export). */
export async function readRunReviews(
  run: RunDirectory,
  onWarning?: (warning: ReviewWarning) => void,
): Promise<Map<string, ReviewRecord[]>> {
  const folder = run.file("reviews");
  const byReviewer = new Map<string, ReviewRecord[]>();
  if (!existsSync(folder)) return byReviewer;
  for (const name of (await readdir(folder)).sort()) {
    if (!name.endsWith(".jsonl")) continue;
    const file = join(folder, name);
    const records = await readJsonl(file, ReviewRecordSchema, { onSkip: (problem) => onWarning?.(tornWarning(problem, null)) });
    byReviewer.set(name.slice(0, -".jsonl".length), records);
  }
  return byReviewer;
}

async function readRepairing(path: string, onWarning: OpenReviewFileOptions["onWarning"]): Promise<ReviewRecord[]> {
  return readJsonlForAppend(path, ReviewRecordSchema, (tail) => onWarning?.(tornWarning(tail, tail.aside)));
}

function tornWarning(problem: JsonlProblem, aside: string | null): ReviewWarning {
  return {
    file: problem.file,
    line: problem.line,
    message: `skipped a torn last line (${problem.line}), left by an interrupted write${aside ? `; its bytes are kept in ${aside}` : ""}`,
  };
}
