import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import { readJsonl } from "../../store/jsonl.js";
import { writeFileAtomically } from "../../store/run-store.js";
import { eventOrder } from "../../graders/grade.js";
import { TrajectorySchema } from "../../trajectory/schema.js";

/** File, inside a run directory, that keeps the trajectories of counterfactual replays. */
export const REPLAYS_FILE = "replays.jsonl";

/**
 * One counterfactual replay: the run continued from just before one call,
 * with that call answered by a "skipped" result, and what came of it. A line
 * of `runs/<run>/replays.jsonl`; the `replay` grader's step label links here
 * by `replayId`.
 */
export const ReplayRecordSchema = z.object({
  replayId: z.string(),
  /** The trajectory the replay forked from. */
  trajectoryId: z.string(),
  /** The call that was skipped. */
  eventId: z.string(),
  /** `fork`: a LangGraph checkpoint rebuilt from the recording; `rerun`: the run repeated with the call intercepted. */
  strategy: z.enum(["fork", "rerun"]),
  verdict: z.enum(["skippable", "needed"]),
  reason: z.string(),
  /** The replay as a trajectory: events after the fork; state, answer and outcome of the whole counterfactual run. */
  trajectory: TrajectorySchema,
});
export type ReplayRecord = z.infer<typeof ReplayRecordSchema>;

/** Stable id of the replay that skips `eventId` of a trajectory (same inputs, same id). */
export function replayId(trajectoryId: string, eventId: string): string {
  return `rp-${createHash("sha256").update(`${trajectoryId}\u0000${eventId}\u0000skip`).digest("hex").slice(0, 12)}`;
}

/** Reads a run's replays (none if the file does not exist). */
export async function readReplays(runPath: string): Promise<ReplayRecord[]> {
  const file = join(runPath, REPLAYS_FILE);
  if (!existsSync(file)) return [];
  return readJsonl(file, ReplayRecordSchema);
}

/** Replaces a run's replays file (write aside, then rename), in a stable order. */
export async function writeReplays(runPath: string, records: readonly ReplayRecord[]): Promise<string> {
  const file = join(runPath, REPLAYS_FILE);
  const sorted = [...records].sort((a, b) => a.trajectoryId.localeCompare(b.trajectoryId) || eventOrder(a.eventId) - eventOrder(b.eventId));
  await writeFileAtomically(file, sorted.map((record) => `${JSON.stringify(record)}\n`).join(""));
  return file;
}
