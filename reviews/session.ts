import { randomBytes } from "node:crypto";
import { TrajlabError, errorMessage, type GradableTrajectory, type Grade, type RunDirectory } from "../harness/core.js";
import { loadGrades, type GradeHead, type IndexedGrade } from "./grade-index.js";
import { ActivityClock } from "./activity.js";
import { flaggedSteps } from "./label-meaning.js";
import { assignedAcross, assignedFirst } from "./assignment.js";
import { ReviewLedger } from "./ledger.js";
import { pairsAcrossRuns, pairsOf, type TrajectoryPair } from "./pairs.js";
import { reviewStatus, type EntryFacts, type ReviewStatus } from "./queue.js";
import { REVIEW_SCHEMA_VERSION, ReviewRecordSchema, batchOf, targetKey, type ReviewJudgement, type ReviewRecord } from "./record.js";
import { ReviewFile, type ReviewWarning } from "./review-file.js";
import { isFailure, timelineOf, type TimelineStep } from "./timeline.js";
import { RunIndex, type IndexProgress } from "./run-index.js";
import { loadTrajectory, readTrajectoryJson, type TrajectoryEntry } from "./trajectory-index.js";
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

/** Options for {@link ReviewSession.start}. */
export interface StartSessionOptions extends ReviewSessionOptions {
  /** Trajectories to index before the session is handed over (the first screenful); the rest is read in the background. */
  readonly firstRows: number;
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
 * {@link ReviewSession.open} reads every run whole before it returns;
 * {@link ReviewSession.start} returns once the first screenful is indexed and
 * reads the rest in the background ({@link ReviewSession.progress} says how
 * far it is, and subscribers hear as it goes). Until the grades are read a
 * trajectory's facts are not final and it cannot be opened; until the index
 * is done the list of entries only grows and pairs are not made.
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
  private pairList: readonly TrajectoryPair[] | undefined;
  /** Trajectories the runs' assignments give this reviewer (listed first in `entries`), or null without one. */
  readonly assigned: ReadonlySet<string> | null;
  /** Ids of the runs opened, in order (whether or not they hold trajectories). */
  readonly opened: readonly string[];
  /** The trajectories and grades, read in the background after {@link ReviewSession.start}. */
  private readonly index: RunIndex;
  /** `entries` and `runIds` as of the last time the index grew. */
  private listed: { count: number; entries: readonly TrajectoryEntry[]; runIds: readonly string[] } = { count: 0, entries: [], runIds: [] };
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
    runs: readonly RunDirectory[],
    assigned: ReadonlySet<string> | null,
    private readonly sources: ReadonlyMap<string, string>,
    options: ReviewSessionOptions,
  ) {
    this.assigned = assigned;
    this.opened = runs.map((run) => run.id);
    this.index = new RunIndex(runs, { onWarning: options.onWarning, onProgress: options.onProgress, onChange: () => this.changed() });
    const history = [...reviewFiles.values()].flatMap((file) => file.records);
    this.ledger = new ReviewLedger(history);
    this.undoStack = undoHistory(history);
    // A loop, not Math.max(...list): a spread of a long file's records overflows the stack.
    for (const record of history) {
      const at = Date.parse(record.at);
      if (at > this.lastBatchAt) this.lastBatchAt = at;
    }
  }

  /** Opens the runs and reads them whole: their trajectories, grades and the reviewer's files. */
  static async open(options: ReviewSessionOptions): Promise<ReviewSession> {
    const session = await ReviewSession.start({ ...options, firstRows: Number.POSITIVE_INFINITY });
    try {
      await session.indexed;
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /**
   * Opens the reviewer's files and the runs, and returns once `firstRows`
   * trajectories are indexed; the rest of the trajectories and the grades
   * are read in the background ({@link ReviewSession.indexed} settles when
   * they are). An error before then (a damaged first line) rejects this.
   */
  static async start(options: StartSessionOptions): Promise<ReviewSession> {
    if (options.runs.length === 0) throw new TrajlabError("NO_RUNS", "no run to review", { hint: "start one with: npx trajlab run" });
    const files = new Map<string, ReviewFile>();
    try {
      const sources = new Map<string, string>();
      for (const run of options.runs) {
        files.set(run.id, await ReviewFile.open(run, options.reviewer, { onWarning: options.onWarning, lock: options.lock }));
        // Where the run's trajectories came from: an importer's format, or trajlab's own recording.
        const manifest = await run.manifest().catch(() => null);
        sources.set(run.id, manifest ? (manifest.imported?.format ?? "recorded") : "?");
      }
      const assigned = await assignedAcross(options.runs, options.reviewer);
      const session = new ReviewSession(options.reviewer, files, options.runs, assigned, sources, options);
      await session.index.read(options.firstRows);
      if (session.index.error) throw session.index.error;
      return session;
    } catch (error) {
      for (const file of files.values()) await file.close();
      throw error;
    }
  }

  /** How far the reading of the runs has got. */
  get progress(): IndexProgress {
    return this.index.progress;
  }

  /** Settles when every run is read: rejects with what stopped the reading (the review cannot go on without it). */
  get indexed(): Promise<void> {
    return this.index.finished;
  }

  /** Resolves as soon as `test` holds as the runs are read, or when the reading ends (check {@link progress} then). */
  reached(test: (progress: IndexProgress) => boolean): Promise<void> {
    return this.index.until(() => test(this.index.progress));
  }

  /**
   * What to wait on before doing something that needs the grades (`graded`)
   * or every trajectory (`done`): null when the index has got that far, or
   * when the reading has ended without getting there (nothing will come).
   */
  waitFor(stage: "graded" | "done"): Promise<void> | null {
    if (this.progress[stage] || !this.index.reading) return null;
    return this.reached((progress) => progress[stage]);
  }

  /** Every trajectory indexed so far, in run then file order, the reviewer's assigned ones first. */
  get entries(): readonly TrajectoryEntry[] {
    return this.listing().entries;
  }

  /** Ids of the runs the entries so far come from, in order. */
  get runIds(): readonly string[] {
    return this.listing().runIds;
  }

  private listing(): { entries: readonly TrajectoryEntry[]; runIds: readonly string[] } {
    const all = this.index.entries;
    if (this.listed.count !== all.length) {
      this.listed = {
        count: all.length,
        entries: assignedFirst(all, this.assigned),
        runIds: [...new Set(all.map((entry) => entry.run.id))],
      };
    }
    return this.listed;
  }

  /**
   * Pairs of trajectories of the same scenario, for pairwise mode: across
   * runs when several are open, else across variants (worked out when first
   * asked for once the index is done; until then, of the trajectories so far).
   */
  get pairs(): readonly TrajectoryPair[] {
    if (this.pairList) return this.pairList;
    // Several runs are compared with each other; one run's variants (agents, models) with each other.
    const pairs = this.runIds.length > 1 ? pairsAcrossRuns(this.index.entries) : pairsOf(this.index.entries);
    if (this.progress.done) this.pairList = pairs;
    return pairs;
  }

  /** The entry of a trajectory id (once indexed). */
  entry(trajectoryId: string): TrajectoryEntry | undefined {
    return this.index.entry(trajectoryId);
  }

  /** The graders' grades of a trajectory, read and checked the first time they are asked for (once the grades are read). */
  grades(trajectoryId: string): readonly Grade[] {
    if (!this.progress.graded) {
      throw new TrajlabError("STILL_INDEXING", `the grades of ${trajectoryId} are not read yet (the review is still indexing)`, {
        hint: "wait for the review's status line to stop saying indexing…",
      });
    }
    let grades = this.gradesById.get(trajectoryId);
    if (!grades) {
      grades = loadGrades(this.indexedGrades(trajectoryId));
      this.gradesById.set(trajectoryId, grades);
    }
    return grades;
  }

  /** A trajectory's grades in every run's grades.jsonl, in run then file order, as places to read them from. */
  private indexedGrades(trajectoryId: string): IndexedGrade[] {
    return this.index.grades.flatMap((index) => index.get(trajectoryId) ?? []);
  }

  /** Status, outcome (after the outcome grader) and flagged step count of an entry; until the grades are read, the recorded outcome and no flags, marked not graded. */
  facts(entry: TrajectoryEntry): EntryFacts {
    if (!this.progress.graded) return { status: this.status(entry.id), pass: entry.pass, flagged: 0, graded: false };
    let graded = this.gradeFacts.get(entry.id);
    if (!graded) {
      // Grades do not change during a session: work them out once per trajectory.
      // An outcome grader that did not apply says nothing: the recorded outcome stands.
      let outcome: boolean | undefined;
      let labelling: GradeHead[] = [];
      for (const index of this.index.grades) {
        outcome ??= index.outcomeOf(entry.id);
        const heads = index.labelling(entry.id);
        if (heads.length > 0) labelling = [...labelling, ...heads];
      }
      graded = { pass: outcome ?? entry.pass, flagged: labelling.length === 0 ? 0 : flaggedSteps(labelling).size };
      this.gradeFacts.set(entry.id, graded);
    }
    return { status: this.status(entry.id), ...graded, graded: true };
  }

  /** Where an entry's run came from: an importer's format (`tau-bench`, `openai`...) or `recorded`. */
  source(entry: TrajectoryEntry): string {
    return this.runSource(entry.run.id);
  }

  /** Where a run came from, as {@link source} says it. */
  runSource(runId: string): string {
    return this.sources.get(runId) ?? "?";
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
    const entry = this.entry(trajectoryId);
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

  /** Changes with every judgement, every save-state change and as the runs are read (for `useSyncExternalStore`). */
  get version(): number {
    return this.changes;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops reading the runs, flushes what is pending (retrying unsaved records once) and releases the files. */
  async close(): Promise<void> {
    await this.index.stop();
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
    const entry = this.entry(judgement.trajectoryId);
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
    this.changed();
  }

  private changed(): void {
    this.changes += 1;
    for (const listener of this.listeners) listener();
  }
}
