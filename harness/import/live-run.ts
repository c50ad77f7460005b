import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../../scenarios/index.js";
import { TrajlabError, errorMessage } from "../../errors/index.js";
import type { Grade, Grader } from "../graders/grade.js";
import { gradeTrajectoryAsync } from "../graders/registry.js";
import { summarise, type Summary } from "../metrics/summary.js";
import type { HeldLock } from "../store/lock.js";
import { JsonlAppender } from "../store/jsonl.js";
import { RunDirectory, RUN_FILES, type ImportedSource } from "../store/run-store.js";
import type { Trajectory } from "../trajectory/schema.js";
import { effectResolver } from "./effects.js";
import type { ImportOptions } from "./format.js";
import { importedTrajectory } from "./import-files.js";
import { checkedExisting, createImportRun, knownRecords, lockRun, modelsOf } from "./imported-run.js";
import { groupRecord, otelFormat } from "./otel.js";
import type { OtlpRequest } from "./otlp-receiver.js";
import type { FinishedGroup } from "./turn-gatherer.js";

/** The file of a collected run that keeps every request received (spans and log records), one OTLP/JSON request per line. */
export const RECEIVED_FILE = "otlp-received.jsonl";

/** Where collected trajectories go, and how they are read and graded. */
export interface LiveRunTarget extends ImportOptions {
  readonly runsDir: string;
  readonly runId: string;
  readonly command: readonly string[];
  /** The options given, for the manifest. */
  readonly options: Record<string, unknown>;
  readonly effects?: Readonly<Record<string, "read" | "write">>;
  readonly graders: readonly Grader[];
  readonly scenarios: readonly Scenario[];
}

/** What became of a finished trace. */
export type TraceOutcome =
  | { readonly kind: "added"; readonly trajectory: Trajectory; readonly grades: readonly Grade[] }
  | { readonly kind: "already-there"; readonly id: string }
  | { readonly kind: "failed"; readonly traceId: string; readonly message: string };

/**
 * A run that `trajlab collect` writes as traces arrive: it holds the run's
 * lock while open (`list runs` shows it running), keeps each request it
 * receives in {@link RECEIVED_FILE} before acknowledging it, and appends each
 * finished trace as a trajectory with its grades, then rewrites the summary
 * and the manifest, so the run is complete after every trace and a
 * reviewer can open it at any time. The trajectory of a trace has the id
 * `trajlab import otel` gives the same trace, so re-importing the received
 * file into the run adds only what collecting could not (late spans,
 * unfinished traces).
 */
export class LiveRun {
  private readonly received: JsonlAppender;
  private readonly trajectories: Trajectory[];
  private readonly grades: Grade[];
  private readonly known: ReturnType<typeof knownRecords>;
  private readonly resolveEffect;
  private collected: NonNullable<ImportedSource["collect"]>;
  private added = 0;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly run: RunDirectory,
    readonly created: boolean,
    private readonly lock: HeldLock,
    private readonly target: LiveRunTarget,
    before: { trajectories: Trajectory[]; grades: Grade[] },
  ) {
    this.received = new JsonlAppender(join(run.path, RECEIVED_FILE));
    this.trajectories = before.trajectories;
    this.grades = before.grades;
    this.known = knownRecords(before.trajectories, otelFormat);
    this.resolveEffect = effectResolver(target.effects);
    this.collected = {
      listen: "",
      received: RECEIVED_FILE,
      startedAt: new Date().toISOString(),
      closedAt: null,
      requests: 0,
      spans: 0,
      traces: 0,
      lateSpans: 0,
      lateEvents: 0,
      unfinished: 0,
    };
  }

  /** Opens the run to collect into: a new one, or one made by an earlier otel import or collect (it gets only what it lacks). */
  static async open(target: LiveRunTarget): Promise<LiveRun> {
    const path = join(target.runsDir, target.runId);
    const exists = existsSync(join(path, RUN_FILES.manifest));
    const importTarget = { ...target, format: otelFormat.id };
    const run = exists ? new RunDirectory(target.runId, path) : await createImportRun([], [], importTarget, undefined);
    const lock = await lockRun(run, "trajlab collect");
    try {
      const before = exists ? await checkedExisting(run, otelFormat.id) : { trajectories: [], grades: [] };
      const live = new LiveRun(run, !exists, lock, target, before);
      await live.writeSummary();
      await live.writeManifest();
      return live;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Records in the manifest where the receiver listens (`http://127.0.0.1:4318/v1/traces`). */
  async listening(endpoint: string): Promise<void> {
    this.collected = { ...this.collected, listen: endpoint };
    await this.writeManifest();
  }

  /** Trajectories the run holds now. */
  get size(): number {
    return this.trajectories.length;
  }

  /** Keeps a request (spans or GenAI log records) as received, before it is acknowledged, and counts it. */
  async keep(request: OtlpRequest): Promise<void> {
    this.checkLock();
    await this.received.append(request);
    this.collected = { ...this.collected, requests: this.collected.requests + 1 };
  }

  /** Takes the collector's counts of spans, traces, late spans and late events, for the manifest. */
  count(counts: { spans: number; traces: number; lateSpans: number; lateEvents: number }): void {
    const { spans, traces, lateSpans, lateEvents } = counts;
    this.collected = { ...this.collected, spans, traces, lateSpans, lateEvents };
  }

  /** Converts, grades and appends one finished trace or conversation; they are written one at a time, in the order they finish. */
  add(trace: FinishedGroup): Promise<TraceOutcome> {
    const next = this.writing.then(() => this.write(trace));
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Waits for the traces being written, records the close in the manifest and gives the lock up. */
  async close(unfinished: number): Promise<{ summary: Summary; added: number; requests: number }> {
    await this.writing;
    this.collected = { ...this.collected, closedAt: new Date().toISOString(), unfinished };
    try {
      await this.writeManifest(!this.created);
      const summary = await this.writeSummary();
      return { summary, added: this.added, requests: this.collected.requests };
    } finally {
      await this.lock.release();
    }
  }

  private async write(group: FinishedGroup): Promise<TraceOutcome> {
    this.checkLock();
    const record = groupRecord(group, group.index);
    let trajectory: Trajectory;
    try {
      const converted = otelFormat.convert(record, { effects: this.resolveEffect, options: this.target });
      const one = Array.isArray(converted) ? converted[0]! : converted;
      trajectory = importedTrajectory(otelFormat.id, record, one, {
        file: join(this.run.path, RECEIVED_FILE),
        runId: this.run.id,
        part: null,
      });
    } catch (error) {
      // One trace that cannot be read does not stop the collection: its spans are in the received file.
      return { kind: "failed", traceId: group.traces[0]!.traceId, message: errorMessage(error) };
    }
    if (this.known.holds(trajectory)) return { kind: "already-there", id: trajectory.id };
    const scenario = this.target.scenarios.find((candidate) => candidate.id === trajectory.scenarioId);
    const grades = await gradeTrajectoryAsync(trajectory, scenario, this.target.graders);
    await this.run.trajectories.append(trajectory);
    await this.run.grades.appendMany(grades);
    this.known.add(trajectory);
    this.trajectories.push(trajectory);
    this.grades.push(...grades);
    this.added += 1;
    await this.writeManifest();
    await this.writeSummary();
    return { kind: "added", trajectory, grades };
  }

  private async writeManifest(closing = false): Promise<void> {
    await this.run.updateManifest((manifest) => ({
      ...manifest,
      trials: this.trajectories.length,
      imported: {
        ...manifest.imported!,
        models: modelsOf(this.trajectories),
        collect: this.collected,
        ...(closing && this.added > 0
          ? {
              additions: [
                ...(manifest.imported!.additions ?? []),
                { at: this.collected.closedAt!, command: [...this.target.command], files: [], added: this.added },
              ],
            }
          : {}),
      },
    }));
  }

  private async writeSummary(): Promise<Summary> {
    // A collection has no wall time of its own to report: the traces were timed by the app that sent them.
    const summary = summarise(this.run.id, this.trajectories, this.grades, null);
    await this.run.writeAtomically("summary", `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  }

  private checkLock(): void {
    if (this.lock.lost.aborted) {
      throw new TrajlabError("LOCK_LOST", `run ${this.run.id}: its lock was lost while collecting, so another process may be writing it`, {
        hint: `stop this collector; the spans received so far are in ${join(this.run.path, RECEIVED_FILE)}`,
      });
    }
  }
}
