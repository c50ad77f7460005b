import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import * as z from "zod";
import { TrajlabError, errorMessage, isTrajlabError } from "../../errors/index.js";
import { GradeSchema, type Grade } from "../graders/grade.js";
import { TrajectorySchema, type Trajectory } from "../trajectory/schema.js";
import { JsonlAppender, streamJsonl, streamJsonlRecords, type JsonlProblem } from "./jsonl.js";
import { describeHolder, takeLock, type HeldLock } from "./lock.js";

/** File names inside a run directory. */
export const RUN_FILES = {
  manifest: "manifest.json",
  trajectories: "trajectories.jsonl",
  grades: "grades.jsonl",
  summary: "summary.json",
  reviews: "reviews",
  /** Held by the `trajlab run` or `trajlab grade` writing the run (a directory; see `harness/store/lock.ts`). */
  lock: "run.lock",
} as const;

/** One file an imported run read, with a digest of its bytes so a re-import of the same input is known. */
export const ImportedFileSchema = z.object({
  path: z.string().describe("As given on the command line"),
  sha256: z.string(),
  records: z.number().int().nonnegative().describe("Trajectories read from it"),
});

/** What `trajlab collect` received into a run, kept up to date while it listens. */
export const CollectedSchema = z.object({
  listen: z.string().describe("The OTLP/HTTP endpoint it listened on, e.g. http://127.0.0.1:4318"),
  received: z.string().describe("File in the run holding every request received, as OTLP/JSON lines (the Collector's file format)"),
  startedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable().describe("Null while it listens (or if it was killed)"),
  requests: z.number().int().nonnegative(),
  spans: z.number().int().nonnegative(),
  traces: z.number().int().nonnegative().describe("Traces seen; each finished one is a trajectory"),
  lateSpans: z.number().int().nonnegative().describe("Spans that arrived after their trace was written (kept in the received file only)"),
  lateEvents: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe("GenAI events (log records) that arrived after their trace was written (kept in the received file only)"),
  unfinished: z
    .number()
    .int()
    .nonnegative()
    .describe("Traces whose root span had not arrived when it closed (kept in the received file only)"),
});

/** The source of an imported run. */
export const ImportedSourceSchema = z.object({
  format: z.string().describe("tau-bench, openai, otel, langsmith (otel for live capture by trajlab collect)"),
  files: z.array(ImportedFileSchema),
  /** The options the import was given (domain, model, agent, effects file). */
  options: z.record(z.string(), z.unknown()),
  /** Models the trajectories name (none when they named none). */
  models: z.array(z.string()),
  /** Each later import into this run: when, the command, the files and how many trajectories it added. */
  additions: z
    .array(
      z.object({
        at: z.iso.datetime(),
        command: z.array(z.string()),
        files: z.array(ImportedFileSchema),
        added: z.number().int().nonnegative(),
      }),
    )
    .optional(),
  /** Present when the trajectories were captured live by `trajlab collect` (latest session). */
  collect: CollectedSchema.optional(),
});
export type ImportedSource = z.infer<typeof ImportedSourceSchema>;

/** What was run, with which versions and settings. */
export const ManifestSchema = z.object({
  runId: z.string(),
  createdAt: z.iso.datetime(),
  trajlabVersion: z.string(),
  node: z.string(),
  platform: z.string(),
  packages: z.record(z.string(), z.string()),
  command: z.array(z.string()),
  /** How the run was run; null for a run of imported trajectories (see `imported`). */
  settings: z
    .object({
      scenarios: z.array(z.string()),
      agents: z.array(z.string()),
      models: z.array(z.string()),
      repeat: z.number().int().positive(),
      concurrency: z.number().int().positive(),
      timeoutMs: z.number().int().positive(),
      seed: z.number().int(),
      maxSteps: z.number().int().positive().nullable(),
      /** The agents asked for with --agent; null when each scenario ran on its default agent (absent in older runs). */
      agentsGiven: z.array(z.string()).nullable().optional(),
      /** A digest of each scenario as it was run (see `scenarioDigest`), so a resume can tell a changed scenario (absent in older runs). */
      scenarioDigests: z.record(z.string(), z.string()).optional(),
      /** The part of the plan this run holds (`--shard 2/4`); null or absent for the whole plan. */
      shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).nullable().optional(),
    })
    .nullable(),
  /** Where an imported run's trajectories came from (`trajlab import`, `trajlab collect`); absent for recorded runs. */
  imported: ImportedSourceSchema.optional(),
  /** Trials planned; for imported runs, the trajectories imported. */
  trials: z.number().int().nonnegative(),
  /** The runs `trajlab merge` joined into this one (shards of one plan), in the order given; absent otherwise. */
  merged: z
    .array(
      z.object({
        path: z.string().describe("The run folder as given to trajlab merge"),
        createdAt: z.iso.datetime(),
        shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).nullable(),
        trajectories: z.number().int().nonnegative(),
        trajlabVersion: z.string(),
        node: z.string(),
        platform: z.string(),
      }),
    )
    .optional(),
  /** Each `trajlab run --resume` of this run: when, the command, and how many trials it ran. */
  resumes: z.array(z.object({ at: z.iso.datetime(), command: z.array(z.string()), trials: z.number().int().nonnegative() })).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The directory runs live in: `--runs-dir`, else `TRAJLAB_RUNS_DIR`, else `./runs`. */
export function runsDirectory(explicit?: string): string {
  return resolve(explicit || process.env.TRAJLAB_RUNS_DIR || "runs");
}

/**
 * Names that become file or folder names (run ids, reviewer names): letters,
 * digits, `.`, `_` and `-`, at most 64, and not `.` or `..`, so that no name
 * reaches outside its folder.
 */
export const SAFE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,64}$/;

/** Refuses a run id that cannot name a folder inside the runs folder. */
export function checkRunId(runId: string, where = "--run-id"): string {
  if (!SAFE_NAME.test(runId)) {
    throw new TrajlabError("BAD_RUN_ID", `${where} ${JSON.stringify(runId)} cannot name a run folder`, {
      hint: "use letters, digits, '.', '_' or '-' (at most 64, not '.' or '..'), e.g. --run-id baseline-2026-11",
    });
  }
  return runId;
}

/** A new, sortable, unique run id such as `20261121-101502-3f9a`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** An open run directory. */
export class RunDirectory {
  readonly trajectories: JsonlAppender;
  readonly grades: JsonlAppender;

  constructor(
    readonly id: string,
    readonly path: string,
  ) {
    this.trajectories = new JsonlAppender(join(path, RUN_FILES.trajectories));
    this.grades = new JsonlAppender(join(path, RUN_FILES.grades));
  }

  /**
   * How to name this run on the command line (`trajlab run --resume <run>`):
   * its id, or its path when its folder is named otherwise (a copied or
   * renamed run keeps the id its manifest and trajectories were recorded with).
   */
  get argument(): string {
    return basename(this.path) === this.id ? this.id : this.path;
  }

  /**
   * This run under the id its manifest records, which is what its
   * trajectory ids were made from (a run folder may have been copied or renamed).
   */
  async asRecorded(): Promise<RunDirectory> {
    const { runId } = await this.manifest();
    return runId === this.id ? this : new RunDirectory(checkRunId(runId, `the runId of ${this.file("manifest")}`), this.path);
  }

  file(name: keyof typeof RUN_FILES): string {
    return join(this.path, RUN_FILES[name]);
  }

  /** Reads the manifest, with a clear error if it is missing or malformed. */
  async manifest(): Promise<Manifest> {
    return readJsonFile(this.file("manifest"), ManifestSchema);
  }

  /** Rewrites the manifest with `change` applied (atomically; what it held is kept unless `change` replaces it). */
  async updateManifest(change: (manifest: Manifest) => Manifest): Promise<Manifest> {
    const next = ManifestSchema.parse(change(await this.manifest()));
    await writeFileAtomically(this.file("manifest"), `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  /** Every trajectory of the run; a torn last line is skipped and reported. Holds them all: see {@link streamTrajectories}. */
  async readTrajectories(onSkip?: (problem: JsonlProblem) => void): Promise<Trajectory[]> {
    const trajectories: Trajectory[] = [];
    for await (const trajectory of this.streamTrajectories(onSkip)) trajectories.push(trajectory);
    return trajectories;
  }

  /**
   * The run's trajectories one at a time, in the order recorded, without
   * holding the file or the trajectories read before (a torn last line is
   * skipped and reported). An id recorded twice stops the trajectories at
   * its second copy; the rest of the file is read for the other copies and
   * the error names them all (see {@link TrajectoryIds}).
   */
  async *streamTrajectories(onSkip?: (problem: JsonlProblem) => void): AsyncGenerator<Trajectory> {
    const file = this.file("trajectories");
    if (!existsSync(file)) return;
    const ids = new TrajectoryIds(file);
    for await (const { value, line } of streamJsonlRecords(file, TrajectorySchema, { onSkip })) {
      if (ids.add(value.id, line)) yield value;
    }
    ids.check();
  }

  /** Every grade of the run (empty before grading). Holds them all: see {@link streamGrades}. */
  async readGrades(onSkip?: (problem: JsonlProblem) => void): Promise<Grade[]> {
    const grades: Grade[] = [];
    for await (const grade of this.streamGrades(onSkip)) grades.push(grade);
    return grades;
  }

  /** The run's grades one at a time, in the file's order (nothing before grading). */
  async *streamGrades(onSkip?: (problem: JsonlProblem) => void): AsyncGenerator<Grade> {
    const file = this.file("grades");
    if (!existsSync(file)) return;
    yield* streamJsonl(file, GradeSchema, { onSkip });
  }

  /**
   * Takes the run's lock (`run.lock`) for `purpose` (e.g. `trajlab run`), so
   * that no other process appends to or rewrites the run's files meanwhile;
   * a busy lock is an error naming its holder.
   */
  lock(purpose: string): Promise<HeldLock> {
    return takeLock(this.file("lock"), `${purpose} ${this.id}`, (holder) => {
      const by = holder.purpose ? `${holder.purpose.replace(` ${this.id}`, "")} (${describeHolder(holder)})` : describeHolder(holder);
      return new TrajlabError("RUN_IN_USE", `run ${this.id} is in use by ${by}`, {
        hint: `let it finish first, or stop it (an interrupted run continues with: npx trajlab run --resume ${this.argument}); a lock whose process is gone is taken over without you doing anything`,
      });
    });
  }

  /** Replaces a whole-file artefact (summary, grades) atomically: write aside, then rename. */
  async writeAtomically(name: "summary" | "grades", content: string): Promise<void> {
    await writeFileAtomically(this.file(name), content);
  }
}

/**
 * The ids of a trajectories file as it is read, refusing one recorded twice
 * (a run written by two processes at once, or files joined by hand): reports,
 * grades and resumes would count those trials twice. After the first repeat,
 * {@link add} says no to every trajectory (the reader goes on only to find
 * the other copies); {@link check} then throws an error naming their lines,
 * with the command that keeps the first of each. Holds the ids, not the
 * trajectories.
 */
export class TrajectoryIds {
  private readonly seen = new Set<string>();
  private readonly repeated: { id: string; line: number }[] = [];

  constructor(readonly file: string) {}

  /** Notes the id of the trajectory on `line`; true while no id has been repeated (the trajectory may be used). */
  add(id: string, line: number): boolean {
    if (this.seen.has(id)) this.repeated.push({ id, line });
    else this.seen.add(id);
    return this.repeated.length === 0;
  }

  /** Whether a trajectory with this id has been read. */
  has(id: string): boolean {
    return this.seen.has(id);
  }

  /** How many distinct ids have been read. */
  get size(): number {
    return this.seen.size;
  }

  /** Throws the duplicate-id error if an id was read twice. */
  check(): void {
    if (this.repeated.length === 0) return;
    const { file } = this;
    const lines = this.repeated.map((copy) => copy.line);
    const ids = [...new Set(this.repeated.map((copy) => copy.id))];
    const shown = lines.length > 8 ? `${lines.slice(0, 8).join(", ")} and ${lines.length - 8} more` : lines.join(", ");
    throw new TrajlabError(
      "DUPLICATE_TRAJECTORY_ID",
      `${file}: ${ids.length} trajectory id(s) recorded more than once (${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", ..." : ""}); the later copies are on line(s) ${shown}`,
      {
        hint: `keep the first line of each id (compare the copies first if they may differ): sed -i '${lines.map((line) => `${line}d`).join(";")}' ${file}`,
      },
    );
  }
}

/** Replaces a file so that readers see the old content or the new, never half: write aside, then rename. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, "utf8");
  await rename(temporary, file);
}

/** Creates `runs/<run-id>/` and writes its manifest. */
export async function createRun(
  runsDir: string,
  manifest: Omit<Manifest, "runId" | "createdAt"> & { runId?: string },
): Promise<RunDirectory> {
  const runId = manifest.runId === undefined ? newRunId() : checkRunId(manifest.runId);
  const path = join(runsDir, runId);
  if (existsSync(path)) {
    throw new TrajlabError("RUN_EXISTS", `run directory ${path} already exists; runs are never overwritten`, {
      hint: "choose another --run-id or leave it out to get a fresh one; to finish an interrupted run, use --resume <id>",
    });
  }
  await mkdir(join(path, RUN_FILES.reviews), { recursive: true });
  const full: Manifest = { ...manifest, runId, createdAt: new Date().toISOString() };
  await writeFile(join(path, RUN_FILES.manifest), `${JSON.stringify(full, null, 2)}\n`, "utf8");
  return new RunDirectory(runId, path);
}

/**
 * Opens a run by id, by path, or (with no argument) the newest run in
 * `runsDir`. Errors say which runs exist.
 */
export async function openRun(runsDir: string, idOrPath?: string): Promise<RunDirectory> {
  if (idOrPath === undefined) {
    const runs = await listRuns(runsDir);
    const latest = runs.at(-1);
    if (!latest) {
      throw new TrajlabError("NO_RUNS", `no runs in ${runsDir}`, { hint: "start one with: npx trajlab run" });
    }
    return latest;
  }
  const candidates = [resolve(idOrPath), join(runsDir, idOrPath)];
  for (const path of candidates) {
    if (existsSync(join(path, RUN_FILES.manifest))) {
      return new RunDirectory(path.split(/[\\/]/).at(-1)!, path);
    }
  }
  const known = (await listRuns(runsDir)).map((run) => run.id);
  throw new TrajlabError(
    "RUN_NOT_FOUND",
    `no run "${idOrPath}" (looked for ${candidates.map((c) => join(c, RUN_FILES.manifest)).join(" and ")})`,
    {
      hint:
        known.length > 0
          ? `runs in ${runsDir}: ${known.slice(-5).join(", ")}`
          : `no runs in ${runsDir} yet; start one with: npx trajlab run`,
    },
  );
}

/** Runs in `runsDir`, oldest first (run ids sort by time). */
export async function listRuns(runsDir: string): Promise<RunDirectory[]> {
  if (!existsSync(runsDir)) return [];
  const entries = await readdir(runsDir, { withFileTypes: true });
  const runs: RunDirectory[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(runsDir, entry.name);
    if (existsSync(join(path, RUN_FILES.manifest))) runs.push(new RunDirectory(entry.name, path));
  }
  const withTimes = await Promise.all(runs.map(async (run) => ({ run, mtime: (await stat(run.file("manifest"))).mtimeMs })));
  return withTimes.sort((a, b) => a.run.id.localeCompare(b.run.id) || a.mtime - b.mtime).map((entry) => entry.run);
}

/** A folder of the runs folder that holds run files: the run, and why it cannot be read if it cannot. */
export interface RunFolder {
  readonly run: RunDirectory;
  /** The manifest, or null when it is missing or unreadable (then `problem` says why, with the fix). */
  readonly manifest: Manifest | null;
  readonly problem: TrajlabError | null;
}

/**
 * Every folder of `runsDir` that holds a run's files (a manifest, or
 * trajectories without one), oldest first, each with its manifest or the
 * reason it cannot be read: one damaged run does not hide the others, and
 * a run whose manifest is lost still shows.
 */
export async function scanRuns(runsDir: string): Promise<RunFolder[]> {
  if (!existsSync(runsDir)) return [];
  const folders: RunFolder[] = [];
  for (const entry of (await readdir(runsDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const run = new RunDirectory(entry.name, join(runsDir, entry.name));
    if (!existsSync(run.file("manifest"))) {
      if (!existsSync(run.file("trajectories"))) continue;
      const problem = new TrajlabError("FILE_MISSING", `${run.file("manifest")} is missing; the run's trajectories are there`, {
        hint: "restore manifest.json from a backup or the copy the run came from; without it the run cannot be resumed, graded or reported",
      });
      folders.push({ run, manifest: null, problem });
      continue;
    }
    try {
      folders.push({ run, manifest: await run.manifest(), problem: null });
    } catch (error) {
      if (!isTrajlabError(error)) throw error;
      folders.push({ run, manifest: null, problem: error });
    }
  }
  return folders;
}

/** Reads and validates a JSON file, naming the file and field on failure. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new TrajlabError("FILE_MISSING", `${file} does not exist or cannot be read`, {
      hint: "check the path and its permissions; a run's files are restored from a backup or the copy it came from",
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TrajlabError("BAD_JSON", `${file}: not valid JSON (${errorMessage(error)})`, {
      hint: "fix the file at the position named (it may have been edited by hand or cut short), or restore it from a backup",
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new TrajlabError("BAD_FILE", `${file}: ${z.prettifyError(parsed.error)}`, {
      hint: "correct the field(s) named (or restore the file from a backup); trajlab writes these files itself, so a hand edit is the usual cause",
    });
  }
  return parsed.data;
}
