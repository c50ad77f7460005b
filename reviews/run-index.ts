import { TrajlabError, type RunDirectory } from "../harness/core.js";
import { indexGrades, type GradeIndex } from "./grade-index.js";
import type { ReviewWarning } from "./review-file.js";
import { trajectoryBatches, type TrajectoryEntry } from "./trajectory-index.js";

/** How far the reading of the runs under review has got. */
export interface IndexProgress {
  /** Trajectories indexed so far. */
  readonly trajectories: number;
  /** Every run's grades are read: outcomes, flags and a trajectory's grades are final. */
  readonly graded: boolean;
  /** Every file is read to its end: the list of trajectories is final. */
  readonly done: boolean;
}

/** Options for {@link RunIndex}. */
export interface RunIndexOptions {
  readonly onWarning?: (warning: ReviewWarning) => void;
  /** Indexing progress of each run's trajectories file, in bytes. */
  readonly onProgress?: (read: number, total: number) => void;
  /** Called when there is something new to show: at most every {@link CHANGE_INTERVAL_MS} while trajectories come in, and when the grades and the whole index are in. */
  readonly onChange?: () => void;
}

/** How often, at most, new trajectories are announced while the files are read (each announcement redraws the queue). */
const CHANGE_INTERVAL_MS = 250;

/**
 * The trajectories and grades of the runs under review, read in the
 * background so the review can show its first screenful long before a large
 * run is indexed. {@link RunIndex.read} reads, in this order: trajectories
 * until the first screenful is known, then every run's grades (so what the
 * queue shows of the trajectories known is final early), then the rest of
 * the trajectories, in run then file order. Between chunks of the files the
 * event loop runs, so keys and redraws are handled while it reads.
 */
export class RunIndex {
  /** Every trajectory indexed so far, in run then file order. */
  readonly entries: TrajectoryEntry[] = [];
  /** Each run's grades, in run order; empty until {@link IndexProgress.graded}. */
  readonly grades: GradeIndex[] = [];
  private readonly byId = new Map<string, TrajectoryEntry>();
  private state: IndexProgress = { trajectories: 0, graded: false, done: false };
  private waiters: { readonly test: () => boolean; readonly resolve: () => void }[] = [];
  private stopped = false;
  private active = false;
  private failure: { readonly error: unknown } | null = null;
  private lastChange = 0;
  private readingDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly runs: readonly RunDirectory[],
    private readonly options: RunIndexOptions = {},
  ) {}

  /** How far the reading has got. */
  get progress(): IndexProgress {
    return this.state;
  }

  /** True while the files are being read (false before, and once the reading ended, however it ended). */
  get reading(): boolean {
    return this.active;
  }

  /** What stopped the reading (a damaged line, a duplicate id), or null. */
  get error(): unknown {
    return this.failure?.error ?? null;
  }

  /** The entry of a trajectory id, once indexed. */
  entry(trajectoryId: string): TrajectoryEntry | undefined {
    return this.byId.get(trajectoryId);
  }

  /**
   * Starts reading; resolves once `firstRows` trajectories are indexed (or
   * every file is read, or the reading failed: see {@link finished}).
   */
  read(firstRows: number): Promise<void> {
    this.active = true;
    this.readingDone = this.readAll(firstRows);
    return this.until(() => this.entries.length >= firstRows);
  }

  /** Settles when the reading ends: resolves when every file is read (or it was stopped), rejects with what stopped it. */
  get finished(): Promise<void> {
    return this.readingDone.then(() => {
      if (this.failure) throw this.failure.error;
    });
  }

  /** Resolves as soon as `test` holds (checked as each chunk is indexed), or when the reading ends, however it ends. */
  until(test: () => boolean): Promise<void> {
    if (test() || this.state.done || this.failure || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Stops reading at the next chunk (the review is closing) and waits for the files to be closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.readingDone;
  }

  private async readAll(firstRows: number): Promise<void> {
    const batches = this.runs.map((run) => trajectoryBatches(run, this.options));
    try {
      let at = 0;
      while (at < batches.length && this.entries.length < firstRows && !this.stopped) {
        const next = await batches[at]!.next();
        if (next.done) at += 1;
        else this.add(next.value);
      }
      for (const run of this.runs) {
        if (this.stopped) return;
        // Indexed, not parsed: a trajectory's grades are read whole and checked when it is opened.
        this.grades.push(await indexGrades(run, { onWarning: this.options.onWarning, stopped: () => this.stopped }));
      }
      // A stop during the grades leaves them partial: they are never announced as read.
      if (this.stopped) return;
      this.announce({ graded: true }, true);
      for (; at < batches.length; at += 1) {
        for (;;) {
          if (this.stopped) return;
          const next = await batches[at]!.next();
          if (next.done) break;
          this.add(next.value);
        }
      }
      this.announce({ done: true }, true);
    } catch (error) {
      this.failure = { error };
      this.announce({}, true);
    } finally {
      // Files of runs not read to their end are closed (a generator's return runs its finally).
      for (const batch of batches) await batch.return(undefined);
      this.active = false;
      for (const waiter of this.waiters.splice(0)) waiter.resolve();
    }
  }

  private add(batch: readonly TrajectoryEntry[]): void {
    for (const entry of batch) {
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
      this.entries.push(entry);
    }
    this.announce({}, false);
  }

  /** Records progress, wakes the waiters whose condition now holds, and tells the listener (at once when `now`, else at most every interval). */
  private announce(change: Partial<IndexProgress>, now: boolean): void {
    this.state = { ...this.state, ...change, trajectories: this.entries.length };
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (this.state.done || this.failure || waiter.test()) waiter.resolve();
      else this.waiters.push(waiter);
    }
    const time = performance.now();
    if (now || time - this.lastChange >= CHANGE_INTERVAL_MS) {
      this.lastChange = time;
      this.options.onChange?.();
    }
  }
}
