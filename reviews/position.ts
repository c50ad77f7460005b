import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import * as z from "zod";
import { writeFileAtomically, type RunDirectory } from "../harness/core.js";
import { QUEUE_SORTS, type QueueFilter } from "./queue.js";
import { ReviewFile } from "./review-file.js";

/** The queue's filter as stored; `satisfies` makes a new filter field a compile error here until it is stored too. */
const QueueFilterSchema = z.object({
  unreviewed: z.boolean(),
  failed: z.boolean(),
  flagged: z.boolean(),
  scenario: z.string().nullable(),
  domain: z.string().nullable(),
  agent: z.string().nullable(),
  model: z.string().nullable(),
  run: z.string().nullable(),
  text: z.string(),
}) satisfies z.ZodType<QueueFilter>;

/**
 * Where a reviewer stopped: the screen, the trajectory and step, the pane,
 * the queue's filters and sort. Kept beside the reviewer's file
 * (`reviews/<reviewer>.position.json`) so reopening the review returns there.
 * A missing or unreadable file just means starting at the top.
 */
export const ReviewPositionSchema = z.object({
  version: z.literal(1),
  savedAt: z.iso.datetime(),
  screen: z.enum(["queue", "trajectory", "pair"]),
  trajectoryId: z.string().nullable(),
  eventId: z.string().nullable(),
  pane: z.enum(["detail", "plan", "outcome", "task"]),
  /** The pair on screen, by its two trajectory ids (A first). */
  pair: z.object({ a: z.string(), b: z.string() }).nullable(),
  filter: QueueFilterSchema,
  sort: z.enum(QUEUE_SORTS),
});
export type ReviewPosition = z.infer<typeof ReviewPositionSchema>;

/** The position file of a reviewer in a run. */
export function positionPath(run: RunDirectory, reviewer: string): string {
  return ReviewFile.pathFor(run, reviewer).replace(/\.jsonl$/, ".position.json");
}

/** Where the reviewer stopped in this run, or null (never opened, or the file is damaged: start at the top). */
export async function readPosition(run: RunDirectory, reviewer: string): Promise<ReviewPosition | null> {
  const path = positionPath(run, reviewer);
  if (!existsSync(path)) return null;
  try {
    const parsed = ReviewPositionSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Saves where the reviewer is (atomically: a crash leaves the old position or the new one). */
export async function writePosition(run: RunDirectory, reviewer: string, position: ReviewPosition): Promise<void> {
  await writeFileAtomically(positionPath(run, reviewer), `${JSON.stringify(ReviewPositionSchema.parse(position), null, 2)}\n`);
}
