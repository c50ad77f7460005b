import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Scenario } from "../../scenarios/index.js";
import { TrajlabError } from "../../errors/index.js";
import type { Grade, Grader } from "../graders/grade.js";
import { gradeTrajectoryAsync } from "../graders/registry.js";
import { summarise, type Summary } from "../metrics/summary.js";
import { takeLock, type HeldLock } from "../store/lock.js";
import { createRun, listRuns, RunDirectory, RUN_FILES, type ImportedSource } from "../store/run-store.js";
import type { Trajectory } from "../trajectory/schema.js";
import { installedVersions, trajlabVersion } from "../versions.js";
import type { ImportFormat } from "./format.js";
import { importFormat, type ImportedFile } from "./import-files.js";

/** Where imported trajectories go, and what grades them. */
export interface ImportTarget {
  readonly runsDir: string;
  readonly runId: string;
  readonly format: string;
  /** The command line, for the manifest. */
  readonly command: readonly string[];
  /** The options the import was given, for the manifest. */
  readonly options: Record<string, unknown>;
  readonly graders: readonly Grader[];
  /** Scenarios a trajectory's grading may use (by scenario id); imported trajectories rarely have one. */
  readonly scenarios: readonly Scenario[];
}

/** What was written. */
export interface ImportWritten {
  readonly run: RunDirectory;
  /** True when the run was made by this import; false when trajectories were added to an earlier one. */
  readonly created: boolean;
  readonly added: readonly Trajectory[];
  /** Trajectories already in the run (same id), left as they were. */
  readonly alreadyThere: number;
  readonly summary: Summary;
}

/**
 * The earlier run that imported exactly these files (same format, same
 * bytes), if any: importing it again adds nothing.
 */
export async function findEarlierImport(runsDir: string, format: string, files: readonly ImportedFile[]): Promise<RunDirectory | null> {
  const wanted = files
    .map((file) => file.sha256)
    .sort()
    .join(",");
  for (const run of (await listRuns(runsDir)).reverse()) {
    const imported = (await run.manifest().catch(() => null))?.imported;
    if (!imported || imported.format !== format) continue;
    const all = [...imported.files, ...(imported.additions ?? []).flatMap((addition) => addition.files)];
    const digests = new Set(all.map((file) => file.sha256));
    if (files.every((file) => digests.has(file.sha256)) && wanted !== "") return run;
  }
  return null;
}

/**
 * Writes imported trajectories as an ordinary run: manifest, trajectories,
 * grades by the given graders, summary, so that every command treats it like
 * a recorded run, complete. Into an existing run made by an import of the
 * same format, only trajectories it does not hold yet (by id) are added.
 */
export async function writeImport(
  trajectories: readonly Trajectory[],
  files: readonly ImportedFile[],
  target: ImportTarget,
): Promise<ImportWritten> {
  const path = join(target.runsDir, target.runId);
  const exists = existsSync(join(path, RUN_FILES.manifest));
  const run = exists ? new RunDirectory(target.runId, path) : await createImportRun(trajectories, files, target);
  const lock = await lockRun(run);
  try {
    const before = exists ? await checkedExisting(run, target.format) : { trajectories: [], grades: [] };
    const known = knownRecords(before.trajectories, importFormat(target.format));
    const added = trajectories.filter((trajectory) => !known.holds(trajectory));
    const byId = new Map(target.scenarios.map((scenario) => [scenario.id, scenario]));
    const grades: Grade[] = [];
    for (const trajectory of added)
      grades.push(...(await gradeTrajectoryAsync(trajectory, byId.get(trajectory.scenarioId), target.graders)));
    await run.trajectories.appendMany(added);
    await run.grades.appendMany(grades);
    if (exists && added.length > 0) {
      await run.updateManifest((manifest) => ({
        ...manifest,
        trials: manifest.trials + added.length,
        imported: {
          ...manifest.imported!,
          models: modelsOf([...before.trajectories, ...added]),
          additions: [
            ...(manifest.imported!.additions ?? []),
            { at: new Date().toISOString(), command: [...target.command], files: [...files], added: added.length },
          ],
        },
      }));
    }
    // An import has no wall time of its own to report: the runs it holds were timed (or not) by their source.
    const summary = summarise(run.id, [...before.trajectories, ...added], [...before.grades, ...grades], null);
    await run.writeAtomically("summary", `${JSON.stringify(summary, null, 2)}\n`);
    return { run, created: !exists, added, alreadyThere: trajectories.length - added.length, summary };
  } finally {
    await lock.release();
  }
}

/** Creates the run of an import: its manifest says where the trajectories came from (`imported`). */
export async function createImportRun(
  trajectories: readonly Trajectory[],
  files: readonly ImportedFile[],
  target: ImportTarget,
  collect?: ImportedSource["collect"],
): Promise<RunDirectory> {
  const imported: ImportedSource = {
    format: target.format,
    files: [...files],
    options: target.options,
    models: modelsOf(trajectories),
    ...(collect ? { collect } : {}),
  };
  return createRun(target.runsDir, {
    runId: target.runId,
    trajlabVersion: trajlabVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages: installedVersions(),
    command: [...target.command],
    settings: null,
    imported,
    trials: trajectories.length,
  });
}

/** The trajectories and grades of a run about to receive more, after checking it was imported in this format. */
export async function checkedExisting(run: RunDirectory, format: string): Promise<{ trajectories: Trajectory[]; grades: Grade[] }> {
  const manifest = await run.manifest();
  if (!manifest.imported || manifest.imported.format !== format) {
    throw new TrajlabError(
      "RUN_EXISTS",
      `run ${run.id} already exists and ${manifest.imported ? `was imported from ${manifest.imported.format}` : "was recorded by trajlab run"}; imports add only to runs imported in the same format`,
      { hint: "choose another --run-id, or leave it out to get a fresh one" },
    );
  }
  return { trajectories: await run.readTrajectories(), grades: await run.readGrades() };
}

/**
 * What a run already holds of a format's records: trajectories by id, and
 * for a format whose source ids name one record ({@link ImportFormat.uniqueOriginalIds}),
 * by source id too.
 */
export function knownRecords(
  trajectories: readonly Trajectory[],
  format: ImportFormat,
): { holds(trajectory: Trajectory): boolean; add(trajectory: Trajectory): void } {
  const ids = new Set<string>();
  const originals = new Set<string>();
  const add = (trajectory: Trajectory): void => {
    ids.add(trajectory.id);
    const original = trajectory.provenance?.originalId;
    if (format.uniqueOriginalIds && original) originals.add(original);
  };
  trajectories.forEach(add);
  return {
    holds: (trajectory) => ids.has(trajectory.id) || originals.has(trajectory.provenance?.originalId ?? ""),
    add,
  };
}

/** The models trajectories name, sorted, each once. */
export function modelsOf(trajectories: readonly Trajectory[]): string[] {
  return [...new Set(trajectories.map((trajectory) => trajectory.model).filter((model): model is string => model !== null))].sort();
}

/** Takes the run's lock for `purpose` (`trajlab import`, `trajlab collect`): one writer at a time. */
export function lockRun(run: RunDirectory, purpose = "trajlab import"): Promise<HeldLock> {
  return takeLock(
    run.file("lock"),
    `${purpose} ${run.id}`,
    (holder) =>
      new TrajlabError("RUN_IN_USE", `run ${run.id} is being written by another process (pid ${holder.pid}, since ${holder.since})`, {
        hint: `let it finish; if no such process exists, delete ${run.file("lock")}`,
      }),
  );
}
