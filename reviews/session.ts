import { randomBytes } from "node:crypto";
import { TrajlabError, errorMessage, type GradableTrajectory, type Grade, type RunDirectory } from "../harness/core.js";
import { indexGrades, loadGrades, type GradeHead, type GradeIndex, type IndexedGrade } from "./grade-index.js";
import { ActivityClock } from "./activity.js";
import { flaggedSteps } from "./label-meaning.js";
import { assignedAcross, assignedFirst } from "./assignment.js";
import { ReviewLedger } from "./ledger.js";
import { pairsAcrossRuns, pairsOf, type TrajectoryPair } from "./pairs.js";
import { reviewStatus, type EntryFacts, type ReviewStatus } from "./queue.js";
import { REVIEW_SCHEMA_VERSION, ReviewRecordSchema, batchOf, targetKey, type ReviewJudgement, type ReviewRecord } from "./record.js";
import { ReviewFile, type ReviewWarning } from "./review-file.js";
import { isFailure, timelineOf, type TimelineStep } from "./timeline.js";
import { indexTrajectories, loadTrajectory, readTrajectoryJson, type TrajectoryEntry } from "./trajectory-index.js";
import { undoHistory, type UndoEntry } from "./undo-history.js";

/** Options for {@link ReviewSession.open}. */
export interface ReviewSessionOptions {
  /** One or more runs to review together. */
  readonly runs: readonly RunDirectory[];
  readonly reviewer: string;
  readonly onWarning?: (warning: ReviewWarning) => void;
  /** Indexing progress over all runs' trajectories files, in bytes. */
  readonly onProgress?: (read: number, total: number) => void;
  /** Lock each reviewer file against a second session (default true). */
  readonly lock?: boolean;
}

/** Whether everything given so far is on disk. */
export interface SaveState {
  /** Batches written but not yet flushed. */
  readonly pending: number;
  /** When the last batch reached the disk. */
  readonly lastSavedAt: Date | null;
  /** Records that could not be written (kept in memory and retried), with the last error. */
  readonly unsaved: number;
  readonly error: string | null;
}

/** What an undo did, for the status line. */
export interface UndoOutcome {
  readonly trajectoryId: string;
  /** The records taken back (undo) or given again (redo), as they were first written. */
  readonly undone: readonly ReviewRecord[];
  /** The records just written. */
  readonly records: readonly ReviewRecord[];
  /** Settles once they are on disk (or the write failed: see `saveState`). */
  readonly saved: Promise<void>;
}

interface LoadedTrajectory {
  readonly trajectory: GradableTrajectory;
  readonly timeline: TimelineStep[];
}

const CACHED_TRAJECTORIES = 12;

/**
 * One reviewer's session over one or more runs: the trajectory index, the
 * graders' grades, the reviewer's resolved judgements, and the files they are
 * appended to. It holds no Ink and is driven by the TUI and by tests alike.
 *
 * {@link ReviewSession.give} applies judgements at once (the screen never
 * waits for the disk) and appends them, flushed, to the trajectory's run's
 * `reviews/<reviewer>.jsonl`; {@link ReviewSession.saveState} says when they
 * are on disk. A failed write keeps the records and retries them with the
 * next write and on close.
 */
export class ReviewSession {
  readonly ledger: ReviewLedger;
  /** Active time per target, given with the next record for it; the TUI ticks it on every key. */
  readonly activity = new ActivityClock();
  /** Every trajectory of every run, in run then file order. */
  readonly entries: readonly TrajectoryEntry[];
  private pairList: readonly TrajectoryPair[] | undefined;
  /** The entries in run then file order (the order pairs are made in). */
  private readonly fileOrder: readonly TrajectoryEntry[];
  /** Ids of the runs the entries come from, in order. */
  readonly runIds: readonly string[];
  /** Trajectories the runs' assignments give this reviewer (listed first in `entries`), or null without one. */
  readonly assigned: ReadonlySet<string> | null;
  private readonly byId = new Map<string, TrajectoryEntry>();
  /** Each run's grades, indexed. */
  private readonly gradeIndexes: readonly GradeIndex[];
  private readonly gradesById = new Map<string, Grade[]>();
  private readonly cache = new Map<string, LoadedTrajectory>();
  private readonly gradeFacts = new Map<string, { pass: boolean | null; flagged: number }>();
  private readonly failureCounts = new Map<string, number | null>();
  private readonly undoStack: UndoEntry[];
  /** Batches undone in this session, newest last; a new judgement clears it. */
  private readonly redoStack: UndoEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private unsavedRecords: ReviewRecord[] = [];
  private save: SaveState = { pending: 0, lastSavedAt: null, unsaved: 0, error: null };
  private changes = 0;
  private lastBatchAt = 0;
  private batches = 0;
  private readonly sessionTag = randomBytes(4).toString("hex");

  private constructor(
    readonly reviewer: string,
    private readonly reviewFiles: ReadonlyMap<string, ReviewFile>,
    entries: TrajectoryEntry[],
    grades: readonly GradeIndex[],
    assigned: ReadonlySet<string> | null,
    private readonly sources: ReadonlyMap<string, string>,
  ) {
    this.assigned = assigned;
    this.entries = assignedFirst(entries, assigned);
    for (const entry of entries) {
      if (this.byId.has(entry.id)) {
        throw new TrajlabError(
          "DUPLICATE_TRAJECTORY",
          `trajectory ${entry.id} appears twice (${entry.run.file("trajectories")}:${entry.line})`,
          {
            hint: "review each run once: pass every run directory a single time",
          },
        );
      }
      this.byId.set(entry.id, entry);
    }
    this.gradeIndexes = grades;
    const history = [...reviewFiles.values()].flatMap((file) => file.records);
    this.ledger = new ReviewLedger(history);
    this.undoStack = undoHistory(history);
    // A loop, not Math.max(...list): a spread of a long file's records overflows the stack.
    for (const record of history) {
      const at = Date.parse(record.at);
      if (at > this.lastBatchAt) this.lastBatchAt = at;
    }
    this.fileOrder = entries;
    this.runIds = [...new Set(entries.map((entry) => entry.run.id))];
  }

  /** Indexes the runs' trajectories, reads grades and the reviewer's files. */
  static async open(options: ReviewSessionOptions): Promise<ReviewSession> {
    if (options.runs.length === 0) throw new TrajlabError("NO_RUNS", "no run to review", { hint: "start one with: npx trajlab run" });
    const files = new Map<string, ReviewFile>();
    try {
      const entries: TrajectoryEntry[] = [];
      const grades: GradeIndex[] = [];
      const sources = new Map<string, string>();
      for (const run of options.runs) {
        for (const entry of await indexTrajectories(run, { onWarning: options.onWarning, onProgress: options.onProgress }))
          entries.push(entry);
        // Indexed, not parsed: a trajectory's grades are read whole and checked when it is opened.
        grades.push(await indexGrades(run, { onWarning: options.onWarning }));
        files.set(run.id, await ReviewFile.open(run, options.reviewer, { onWarning: options.onWarning, lock: options.lock }));
        // Where the run's trajectories came from: an importer's format, or trajlab's own recording.
        const manifest = await run.manifest().catch(() => null);
        sources.set(run.id, manifest ? (manifest.imported?.format ?? "recorded") : "?");
      }
      return new ReviewSession(options.reviewer, files, entries, grades, await assignedAcross(options.runs, options.reviewer), sources);
    } catch (error) {
      for (const file of files.values()) await file.close();
      throw error;
    }
  }

  /** Pairs of trajectories of the same scenario, for pairwise mode: across runs when several are open, else across variants (worked out when first asked for). */
  get pairs(): readonly TrajectoryPair[] {
    // Several runs are compared with each other; one run's variants (agents, models) with each other.
    this.pairList ??= this.runIds.length > 1 ? pairsAcrossRuns(this.fileOrder) : pairsOf(this.fileOrder);
    return this.pairList;
  }

  /** The entry of a trajectory id. */
  entry(trajectoryId: string): TrajectoryEntry | undefined {
    return this.byId.get(trajectoryId);
  }

  /** The graders' grades of a trajectory, read and checked the first time they are asked for. */
  grades(trajectoryId: string): readonly Grade[] {
    let grades = this.gradesById.get(trajectoryId);
    if (!grades) {
      grades = loadGrades(this.indexedGrades(trajectoryId));
      this.gradesById.set(trajectoryId, grades);
    }
    return grades;
  }

  /** A trajectory's grades in every run's grades.jsonl, in run then file order, as places to read them from. */
  private indexedGrades(trajectoryId: string): IndexedGrade[] {
    return this.gradeIndexes.flatMap((index) => index.get(trajectoryId) ?? []);
  }

  /** Status, outcome (after the outcome grader) and flagged step count of an entry. */
  facts(entry: TrajectoryEntry): EntryFacts {
    let graded = this.gradeFacts.get(entry.id);
    if (!graded) {
      // Grades do not change during a session: work them out once per trajectory.
      // An outcome grader that did not apply says nothing: the recorded outcome stands.
      let outcome: boolean | undefined;
      let labelling: GradeHead[] = [];
      for (const index of this.gradeIndexes) {
        outcome ??= index.outcomeOf(entry.id);
        const heads = index.labelling(entry.id);
        if (heads.length > 0) labelling = [...labelling, ...heads];
      }
      graded = { pass: outcome ?? entry.pass, flagged: labelling.length === 0 ? 0 : flaggedSteps(labelling).size };
      this.gradeFacts.set(entry.id, graded);
    }
    return { status: this.status(entry.id), ...graded };
  }

  /** Where an entry's run came from: an importer's format (`tau-bench`, `openai`...) or `recorded`. */
  source(entry: TrajectoryEntry): string {
    return this.sources.get(entry.run.id) ?? "?";
  }

  /**
   * How many of an entry's steps failed (tool calls that returned an error,
   * model calls that errored, error events), read once from its line and
   * kept; null when the line cannot be read.
   */
  failures(entry: TrajectoryEntry): number | null {
    const known = this.failureCounts.get(entry.id);
    if (known !== undefined) return known;
    let count: number | null;
    try {
      const json = readTrajectoryJson(entry) as { events?: unknown };
      count = Array.isArray(json.events) ? json.events.filter(isFailure).length : null;
    } catch {
      count = null;
    }
    this.failureCounts.set(entry.id, count);
    return count;
  }

  /** The reviewer's status on a trajectory. */
  status(trajectoryId: string): ReviewStatus {
    return reviewStatus(this.ledger.review(trajectoryId));
  }

  /** Reads, validates and caches a trajectory (without ground truth) and its timeline. */
  load(trajectoryId: string): LoadedTrajectory {
    const cached = this.cache.get(trajectoryId);
    if (cached) {
      // Most recently used goes last.
      this.cache.delete(trajectoryId);
      this.cache.set(trajectoryId, cached);
      return cached;
    }
    const entry = this.byId.get(trajectoryId);
    if (!entry) throw new TrajlabError("UNKNOWN_TRAJECTORY", `no trajectory ${trajectoryId} in the runs under review`);
    const trajectory = loadTrajectory(entry);
    const loaded = { trajectory, timeline: timelineOf(trajectory, this.grades(trajectoryId)) };
    this.cache.set(trajectoryId, loaded);
    if (this.cache.size > CACHED_TRAJECTORIES) this.cache.delete(this.cache.keys().next().value!);
    return loaded;
  }

  /**
   * Records judgements: applied at once, appended and flushed in the
   * background. The promise settles when they are on disk (or the write failed;
   * then {@link saveState} carries the error and the records are retried).
   */
  give(judgements: readonly ReviewJudgement[]): Promise<void> {
    const batch = this.nextBatch();
    const records = judgements.map((judgement) => this.recordOf(judgement, batch));
    const previous = records.map((record) => this.ledger.current(record.trajectoryId, record.target));
    this.undoStack.push({ written: records, previous });
    this.redoStack.length = 0;
    return this.write(records);
  }

  /**
   * Undoes the latest batch given, in this session or an earlier one, by
   * appending what was there before.
   */
  undo(): UndoOutcome | null {
    const entry = this.undoStack.pop();
    if (!entry) return null;
    const batch = this.nextBatch();
    const restoring = entry.written.map((written, index) => {
      const before = entry.previous[index];
      const undoes = batchOf(written);
      if (before) return { ...before, schemaVersion: REVIEW_SCHEMA_VERSION, ...batch, undoes, activeSeconds: null };
      return this.recordOf({ trajectoryId: written.trajectoryId, target: written.target, cleared: true, undoes }, batch);
    });
    this.redoStack.push(entry);
    // Applied at once (the screen moves to what was undone before the next key), written in the background.
    const saved = this.write(restoring);
    return { trajectoryId: restoring[0]!.trajectoryId, undone: entry.written, records: restoring, saved };
  }

  /**
   * Gives again the latest batch undone in this session (as a new batch, so
   * it can be undone in turn). Nothing to redo once something new is given.
   */
  redo(): UndoOutcome | null {
    const entry = this.redoStack.pop();
    if (!entry) return null;
    const batch = this.nextBatch();
    const again = entry.written.map((written) => ({
      ...written,
      schemaVersion: REVIEW_SCHEMA_VERSION,
      ...batch,
      undoes: null,
      activeSeconds: null,
    }));
    const previous = again.map((record) => this.ledger.current(record.trajectoryId, record.target));
    this.undoStack.push({ written: again, previous });
    const saved = this.write(again);
    return { trajectoryId: again[0]!.trajectoryId, undone: entry.written, records: again, saved };
  }

  /** True when there is a grade left to undo. */
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /** True when an undo of this session can be given again. */
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Whether everything given is on disk. */
  get saveState(): SaveState {
    return this.save;
  }

  /** Records whose write failed, kept to be retried (and printed on exit if they never make it). */
  get unsaved(): readonly ReviewRecord[] {
    return this.unsavedRecords;
  }

  /** The reviewer's file in each run. */
  get files(): string[] {
    return [...this.reviewFiles.values()].map((file) => file.path);
  }

  /** Changes with every judgement and every save-state change (for `useSyncExternalStore`). */
  get version(): number {
    return this.changes;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Flushes what is pending (retrying unsaved records once) and releases the files. */
  async close(): Promise<void> {
    if (this.unsavedRecords.length > 0) await this.write([]);
    for (const file of this.reviewFiles.values()) await file.close();
  }

  /** The file a record goes to: its trajectory's run's reviewer file. */
  private fileFor(record: ReviewRecord): ReviewFile {
    const file = this.reviewFiles.get(record.runId);
    if (!file) throw new TrajlabError("UNKNOWN_RUN", `no review file open for run ${record.runId}`);
    return file;
  }

  /**
   * The id and time of a new batch of records. Records given together share
   * the id, which no other batch of this reviewer has (a random session tag
   * and a counter), so the undo history can be rebuilt from the file. Times
   * only ever increase, so files of several runs interleave in order.
   */
  private nextBatch(): { batch: string; at: string } {
    const now = Math.max(Date.now(), this.lastBatchAt + 1);
    this.lastBatchAt = now;
    this.batches += 1;
    return { batch: `${this.sessionTag}-${this.batches}`, at: new Date(now).toISOString() };
  }

  private recordOf(judgement: ReviewJudgement, { batch, at }: { batch: string; at: string }): ReviewRecord {
    const entry = this.byId.get(judgement.trajectoryId);
    if (!entry) throw new TrajlabError("UNKNOWN_TRAJECTORY", `no trajectory ${judgement.trajectoryId} in the runs under review`);
    const record: ReviewRecord = {
      schemaVersion: REVIEW_SCHEMA_VERSION,
      reviewer: this.reviewer,
      at,
      batch,
      runId: entry.run.id,
      trajectoryId: judgement.trajectoryId,
      scenarioId: entry.scenarioId,
      target: judgement.target,
      verdict: judgement.verdict ?? null,
      labels: judgement.labels ?? [],
      score: judgement.score ?? null,
      rating: judgement.rating ?? null,
      note: judgement.note ?? null,
      shouldHaveCalled: judgement.shouldHaveCalled ?? null,
      skippable: judgement.skippable ?? [],
      missing: judgement.missing ?? [],
      cleared: judgement.cleared ?? false,
      undoes: judgement.undoes ?? null,
      activeSeconds: judgement.undoes ? null : this.activity.take(targetKey(judgement.trajectoryId, judgement.target)),
    };
    const checked = ReviewRecordSchema.safeParse(record);
    if (!checked.success) {
      throw new TrajlabError(
        "BAD_REVIEW",
        `review of ${targetKey(record.trajectoryId, record.target)} is invalid: ${checked.error.issues.map((issue) => issue.message).join("; ")}`,
      );
    }
    return checked.data;
  }

  private write(records: readonly ReviewRecord[]): Promise<void> {
    for (const record of records) this.ledger.apply(record);
    const batch = [...this.unsavedRecords, ...records];
    this.unsavedRecords = [];
    this.update({ pending: this.save.pending + 1, unsaved: 0 });
    const byFile = new Map<ReviewFile, ReviewRecord[]>();
    for (const record of batch) {
      const file = this.fileFor(record);
      byFile.set(file, [...(byFile.get(file) ?? []), record]);
    }
    const writes = [...byFile].map(([file, list]) =>
      file.append(list).catch((error: unknown) => {
        for (const record of list) this.unsavedRecords.push(record);
        throw error;
      }),
    );
    return Promise.all(writes).then(
      () =>
        this.update({
          pending: this.save.pending - 1,
          lastSavedAt: new Date(),
          error: this.unsavedRecords.length > 0 ? this.save.error : null,
        }),
      (error: unknown) => {
        this.update({ pending: this.save.pending - 1, unsaved: this.unsavedRecords.length, error: errorMessage(error) });
      },
    );
  }

  private update(change: Partial<SaveState>): void {
    this.save = { ...this.save, ...change };
    this.changes += 1;
    for (const listener of this.listeners) listener();
  }
}
