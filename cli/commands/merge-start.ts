/**
 * What `trajlab merge` does once its arguments are read. Kept apart from the
 * command's registration (merge.ts) so that `trajlab merge --help` loads none of it.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createRun,
  type Grade,
  type HeldLock,
  type Manifest,
  openRun,
  type RunDirectory,
  runsDirectory,
  type Trajectory,
  TrajlabError,
  readJsonFile,
  writeFileAtomically,
} from "../../harness/core.js";
import { summarise, SummarySchema } from "../../harness/index.js";
import { ciChecks, finishCiOutputs } from "../ci-outputs.js";
import type { CiOptions } from "../options.js";
import { renderJunit } from "../junit.js";
import { renderSummary } from "../summary-table.js";
import { printJson, printNote, printText } from "../output.js";

export interface MergeOptions extends CiOptions {
  into: string;
  runsDir?: string;
  json?: boolean;
}

/** Settings that make runs parts of one plan; concurrency and the shard may differ. */
const PLAN_SETTINGS = [
  "scenarios",
  "agents",
  "models",
  "repeat",
  "timeoutMs",
  "seed",
  "maxSteps",
  "agentsGiven",
  "scenarioDigests",
] as const;

/** Runs `trajlab merge` with its arguments and options. */
export async function mergeCommand(runs: string[], options: MergeOptions): Promise<void> {
  await mergeRuns(runs, options);
}

/** One run given to merge, read while its lock is held. */
interface Part {
  readonly given: string;
  readonly run: RunDirectory;
  readonly manifest: Manifest & { settings: NonNullable<Manifest["settings"]> };
  readonly trajectories: Trajectory[];
  readonly grades: Grade[];
  readonly durationMs: number | null;
}

async function mergeRuns(given: readonly string[], options: MergeOptions): Promise<void> {
  const runsDir = runsDirectory(options.runsDir);
  const locks: HeldLock[] = [];
  try {
    const parts: Part[] = [];
    for (const argument of given) {
      const run = await openRun(runsDir, argument);
      // A shard still being written (or resumed) is refused rather than read half-way.
      locks.push(await run.lock("trajlab merge"));
      parts.push(await readPart(argument, run));
    }
    checkOnePlan(parts);
    const trajectories = joinTrajectories(parts);
    await writeMerged(runsDir, parts, trajectories, options);
  } finally {
    await Promise.all(locks.map((lock) => lock.release()));
  }
}

async function readPart(given: string, run: RunDirectory): Promise<Part> {
  const manifest = await run.manifest();
  if (manifest.settings === null) {
    throw new TrajlabError("MERGE_MISMATCH", `${given} holds imported trajectories, not a run: only runs of trajlab run are merged`, {
      hint: "to add more logs to an imported run, import them with --run-id <its id>",
    });
  }
  const summary = existsSync(run.file("summary")) ? await readJsonFile(run.file("summary"), SummarySchema).catch(() => null) : null;
  return {
    given,
    run,
    manifest: manifest as Part["manifest"],
    trajectories: await run.readTrajectories((problem) => printNote(`warning: ${given}: ${problem.message}`)),
    grades: await run.readGrades((problem) => printNote(`warning: ${given}: ${problem.message}`)),
    durationMs: summary?.durationMs ?? null,
  };
}

/** Refuses runs that are not distinct shards of one plan, saying which differ and how. */
function checkOnePlan(parts: readonly Part[]): void {
  const [first, ...others] = parts;
  if (!first) return;
  const hint = "merge the shards of one suite: run each with the same --run-id, settings and --shard count (only i differs)";
  for (const part of others) {
    if (part.manifest.runId !== first.manifest.runId) {
      throw new TrajlabError(
        "MERGE_MISMATCH",
        `${part.given} is run ${part.manifest.runId}, but ${first.given} is run ${first.manifest.runId}: shards share one run id`,
        { hint },
      );
    }
    const differs = PLAN_SETTINGS.find(
      (name) => JSON.stringify(part.manifest.settings[name] ?? null) !== JSON.stringify(first.manifest.settings[name] ?? null),
    );
    if (differs) {
      throw new TrajlabError(
        "MERGE_MISMATCH",
        `${part.given} and ${first.given} were run with different ${differs}: ${JSON.stringify(part.manifest.settings[differs] ?? null)} and ${JSON.stringify(first.manifest.settings[differs] ?? null)}`,
        { hint },
      );
    }
  }
  const counts = new Set(parts.map((part) => part.manifest.settings.shard?.count ?? 1));
  if (counts.size > 1) {
    throw new TrajlabError("MERGE_MISMATCH", `the runs split the plan in different numbers of shards: ${[...counts].join(", ")}`, { hint });
  }
  const seen = new Map<number, Part>();
  for (const part of parts) {
    const index = part.manifest.settings.shard?.index ?? 1;
    const before = seen.get(index);
    if (before) {
      const what = part.manifest.settings.shard ? `shard ${index}/${part.manifest.settings.shard.count}` : "the whole plan";
      throw new TrajlabError("MERGE_OVERLAP", `${before.given} and ${part.given} both hold ${what}`, {
        hint: "give each shard once",
      });
    }
    seen.set(index, part);
  }
}

/** Every trajectory of the parts, in the order given; a trajectory recorded twice is refused, naming both runs. */
function joinTrajectories(parts: readonly Part[]): Trajectory[] {
  const owner = new Map<string, Part>();
  for (const part of parts) {
    for (const trajectory of part.trajectories) {
      const before = owner.get(trajectory.id);
      if (before) {
        throw new TrajlabError("MERGE_OVERLAP", `trajectory ${trajectory.id} is in both ${before.given} and ${part.given}`, {
          hint: "the runs recorded the same trials: give each shard once",
        });
      }
      owner.set(trajectory.id, part);
    }
  }
  return parts.flatMap((part) => part.trajectories);
}

/** The trials of the whole plan: each scenario on its agents (its default one when none was given), models and repeats. */
function plannedTrials(settings: Part["manifest"]["settings"]): number {
  const agentsPerScenario = settings.agentsGiven === null ? 1 : (settings.agentsGiven ?? settings.agents).length;
  return settings.scenarios.length * agentsPerScenario * settings.models.length * settings.repeat;
}

async function writeMerged(runsDir: string, parts: readonly Part[], trajectories: Trajectory[], options: MergeOptions): Promise<void> {
  const first = parts[0]!;
  const { settings } = first.manifest;
  const total = plannedTrials(settings);
  const created = await createRun(runsDir, {
    runId: options.into,
    trajlabVersion: first.manifest.trajlabVersion,
    node: first.manifest.node,
    platform: first.manifest.platform,
    packages: first.manifest.packages,
    command: process.argv.slice(2),
    settings: { ...settings, shard: null },
    trials: total,
    merged: parts.map((part) => ({
      path: part.given,
      createdAt: part.manifest.createdAt,
      shard: part.manifest.settings.shard ?? null,
      trajectories: part.trajectories.length,
      trajlabVersion: part.manifest.trajlabVersion,
      node: part.manifest.node,
      platform: part.manifest.platform,
    })),
  });
  // Trajectory ids hash the run id the shards were run under: the merged run keeps it, whatever its folder is called.
  if (created.id !== first.manifest.runId) await created.updateManifest((manifest) => ({ ...manifest, runId: first.manifest.runId }));
  const run = await created.asRecorded();
  const lock = await run.lock("trajlab merge");
  try {
    const grades = parts.flatMap((part) => part.grades);
    await run.trajectories.appendMany(trajectories);
    await run.grades.appendMany(grades);
    await joinSideFiles(parts, run);
    const durations = parts.map((part) => part.durationMs).filter((ms) => ms !== null);
    const summary = summarise(run.id, trajectories, grades, durations.length > 0 ? Math.max(...durations) : null);
    await run.writeAtomically("summary", `${JSON.stringify(summary, null, 2)}\n`);
    const checks = ciChecks(options, summary);
    const shards = parts.map((part) => part.manifest.settings.shard?.index).filter((index) => index !== undefined);
    const count = settings.shard?.count ?? 1;
    const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => count > 1 && !shards.includes(index));
    if (options.json) printJson({ ...summary, runDir: run.path, ...(options.failUnder ? { failUnder: checks } : {}) });
    else {
      printText(
        `${renderSummary(summary)}\n\nmerged ${parts.length} run(s)${count > 1 ? ` (shard ${shards.join(", ")} of ${count})` : ""} into ${run.path}\nreview it with: npx trajlab review ${created.argument}\n`,
      );
    }
    if (trajectories.length < total) {
      printNote(
        `${trajectories.length} of ${total} trial(s) recorded${missing.length > 0 ? ` (shard ${missing.join(", ")} of ${count} not given)` : " (a shard was interrupted)"}; run the rest with: npx trajlab run --resume ${created.argument}`,
      );
    }
    await finishCiOutputs(options, () => renderJunit(run.id, trajectories), checks);
  } finally {
    await lock.release();
  }
}

/** Files beside the trajectories that the parts may hold: replays, and each reviewer's reviews (joined per reviewer). */
async function joinSideFiles(parts: readonly Part[], run: RunDirectory): Promise<void> {
  const joined = new Map<string, string>();
  const known = new Set(["manifest.json", "trajectories.jsonl", "grades.jsonl", "summary.json", "reviews", "run.lock"]);
  for (const part of parts) {
    for (const entry of await readdir(part.run.path, { withFileTypes: true })) {
      if (entry.name === "replays.jsonl") {
        joined.set(entry.name, (joined.get(entry.name) ?? "") + (await linesOf(join(part.run.path, entry.name))));
      } else if (
        !known.has(entry.name) &&
        !entry.name.startsWith("run.lock") &&
        !entry.name.startsWith(".") &&
        !entry.name.endsWith(".tmp")
      ) {
        printNote(
          `warning: ${join(part.given, entry.name)} was not merged (trajlab merge joins trajectories, grades, replays and reviews)`,
        );
      }
    }
    const reviews = part.run.file("reviews");
    if (!existsSync(reviews)) continue;
    for (const name of (await readdir(reviews)).filter((file) => file.endsWith(".jsonl"))) {
      const key = join("reviews", name);
      joined.set(key, (joined.get(key) ?? "") + (await linesOf(join(reviews, name))));
    }
  }
  for (const [name, text] of joined) {
    if (text !== "") await writeFileAtomically(join(run.path, name), text);
  }
}

/** A JSONL file's text, ending in a newline (a torn last line is kept as it is: reading it later reports it). */
async function linesOf(file: string): Promise<string> {
  const text = await readFile(file, "utf8");
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
