import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { trajectoryId } from "../../harness/index.js";
import { trajlab } from "./cli.js";

/** The built-in scenario the run is made of: a few tool calls, real graders. */
export const RESUMABLE_SCENARIO = "retail.cancel-pending-order";

/** What {@link writeResumableRun} wrote. */
export interface ResumableRun {
  /** Every planned trial's trajectory id, in the plan's order. */
  readonly ids: readonly string[];
  /** Ids of the trials left out of trajectories.jsonl (and their grades): the resume runs them. */
  readonly dropped: readonly string[];
  /** Ids of trajectories written without any grade: the resume grades them. */
  readonly ungraded: readonly string[];
  /** Grades each recorded trajectory has (one per grader of the built-in set). */
  readonly gradersPerTrajectory: number;
  /** Bytes of trajectories.jsonl. */
  readonly bytes: number;
}

/**
 * Writes a run that `trajlab run --resume` can finish: a real `trajlab run`
 * of {@link RESUMABLE_SCENARIO} on the reference and wasteful policies gives
 * the manifest and one recorded trajectory (with its grades) per model; the
 * manifest is then made to plan `repeat` trials per model and the trajectory
 * file to hold every trial but the `dropped` positions, each a copy of its
 * model's recorded line under the id, trial and seed the plan gives it,
 * padded to about `lineBytes` (environment state, as in recorded lines).
 * Lines are written from a template and never held, so a run of 100,000 is
 * written in seconds. Positions are of the plan's order (model, then trial).
 */
export async function writeResumableRun(
  runsDir: string,
  runId: string,
  repeat: number,
  options: { lineBytes?: number; dropped: readonly number[]; ungraded: readonly number[] },
): Promise<ResumableRun> {
  const made = await trajlab(
    ["run", "--runs-dir", runsDir, "--run-id", runId, "--scenario", RESUMABLE_SCENARIO, "-p", "reference", "-p", "wasteful", "--quiet"],
    { cwd: runsDir, timeoutMs: 120_000 },
  );
  if (made.code !== 0) throw new Error(`trajlab run failed (${made.code}): ${made.stderr}`);
  const folder = join(runsDir, runId);
  const manifest = JSON.parse(await readFile(join(folder, "manifest.json"), "utf8")) as {
    runId: string;
    trials: number;
    settings: { models: string[]; repeat: number; seed: number };
  };
  const recorded = (await readFile(join(folder, "trajectories.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          id: string;
          model: string;
          agent: string;
          scenarioId: string;
          trial: number;
          seed: number;
          environment: { before: Record<string, unknown> };
        },
    );
  const grades = (await readFile(join(folder, "grades.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { trajectoryId: string });
  const lineBytes = options.lineBytes ?? 25_000;
  const templates = new Map<string, { trajectory: string; grades: string }>();
  for (const trajectory of recorded) {
    const marked = { ...trajectory, id: "@ID@", trial: "@TRIAL@", seed: "@SEED@" };
    const padding = Math.max(0, lineBytes - JSON.stringify(marked).length);
    const line = JSON.stringify({
      ...marked,
      environment: { ...trajectory.environment, before: { ...trajectory.environment.before, archive: "n".repeat(padding) } },
    });
    const own = grades
      .filter((grade) => grade.trajectoryId === trajectory.id)
      .map((grade) => JSON.stringify({ ...grade, trajectoryId: "@ID@" }));
    templates.set(trajectory.model, { trajectory: line, grades: own.map((grade) => `${grade}\n`).join("") });
  }
  const gradersPerTrajectory = grades.filter((grade) => grade.trajectoryId === recorded[0]!.id).length;
  const first = recorded[0]!;
  const ids: string[] = [];
  const dropped = new Set(options.dropped);
  const ungraded = new Set(options.ungraded);
  const trajectories = createWriteStream(join(folder, "trajectories.jsonl"));
  const gradesOut = createWriteStream(join(folder, "grades.jsonl"));
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (text !== "" && !stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  };
  let bytes = 0;
  for (const model of manifest.settings.models) {
    const template = templates.get(model)!;
    for (let trial = 0; trial < repeat; trial += 1) {
      const seed = manifest.settings.seed + trial;
      const id = trajectoryId({ runId: manifest.runId, scenarioId: first.scenarioId, agentId: first.agent, model, trial, seed });
      if (trial === 0 && !recorded.some((trajectory) => trajectory.id === id))
        throw new Error(`trial ids are not made as the run makes them: ${id}`);
      const position = ids.push(id) - 1;
      if (dropped.has(position)) continue;
      const line = `${template.trajectory.replace('"@ID@"', JSON.stringify(id)).replace('"@TRIAL@"', String(trial)).replace('"@SEED@"', String(seed))}\n`;
      bytes += Buffer.byteLength(line);
      await write(trajectories, line);
      if (!ungraded.has(position)) await write(gradesOut, template.grades.replaceAll('"@ID@"', JSON.stringify(id)));
    }
  }
  await Promise.all([trajectories, gradesOut].map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  await writeFile(
    join(folder, "manifest.json"),
    `${JSON.stringify({ ...manifest, trials: ids.length, settings: { ...manifest.settings, repeat } }, null, 2)}\n`,
  );
  return {
    ids,
    dropped: options.dropped.map((position) => ids[position]!),
    ungraded: options.ungraded.map((position) => ids[position]!),
    gradersPerTrajectory,
    bytes,
  };
}
