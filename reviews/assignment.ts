import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import * as z from "zod";
import { TrajlabError, readJsonFile, writeFileAtomically, type RunDirectory } from "../harness/core.js";
import { ReviewLedger } from "./ledger.js";
import { reviewStatus, type ReviewStatus } from "./queue.js";
import type { ReviewRecord } from "./record.js";
import { REVIEWER_NAME } from "./review-file.js";

/** Version of `reviews/assignment.json`. */
export const ASSIGNMENT_SCHEMA_VERSION = 1 as const;

const ReviewerNameSchema = z.string().regex(REVIEWER_NAME, "a reviewer name: letters, digits, '.', '_' or '-' (at most 64)");

/**
 * Who reviews what in one run, and who adjudicates: `runs/<run>/reviews/assignment.json`.
 * Each trajectory goes to `overlap` reviewers, so every trajectory is judged
 * independently more than once and agreement can be measured; adjudicators
 * settle what those reviewers disagree on.
 */
export const AssignmentSchema = z
  .object({
    schemaVersion: z.literal(ASSIGNMENT_SCHEMA_VERSION),
    createdAt: z.iso.datetime(),
    /** Seed of the shuffle that spread the trajectories; the same seed and run give the same assignment. */
    seed: z.number().int(),
    /** Reviewers per trajectory. */
    overlap: z.number().int().nonnegative(),
    reviewers: z.array(ReviewerNameSchema),
    /** Reviewers whose records settle targets (`trajlab review --adjudicate`) rather than count as one more opinion. */
    adjudicators: z.array(ReviewerNameSchema),
    /** Each trajectory and its reviewers, in the run's order. */
    items: z.array(z.object({ trajectoryId: z.string(), reviewers: z.array(ReviewerNameSchema) })),
  })
  .describe("trajlab review assignment v1");
export type Assignment = z.infer<typeof AssignmentSchema>;

/** The assignment file of a run. */
export function assignmentPath(run: RunDirectory): string {
  return join(run.file("reviews"), "assignment.json");
}

/** A run's assignment, or null when it has none. */
export async function readAssignment(run: RunDirectory): Promise<Assignment | null> {
  const file = assignmentPath(run);
  return existsSync(file) ? readJsonFile(file, AssignmentSchema) : null;
}

/** The roles an assignment gives (none without one). */
export async function readRoles(run: RunDirectory): Promise<{ adjudicators: string[] }> {
  return { adjudicators: (await readAssignment(run))?.adjudicators ?? [] };
}

/** Writes a run's assignment (atomically: readers see the old file or the new one). */
export async function writeAssignment(run: RunDirectory, assignment: Assignment): Promise<string> {
  const file = assignmentPath(run);
  await mkdir(run.file("reviews"), { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(AssignmentSchema.parse(assignment), null, 2)}\n`);
  return file;
}

/** What {@link assignTrajectories} needs. */
export interface AssignOptions {
  readonly trajectoryIds: readonly string[];
  readonly reviewers: readonly string[];
  readonly overlap: number;
  readonly seed?: number;
  readonly adjudicators?: readonly string[];
  readonly now?: Date;
}

/**
 * Spreads trajectories over reviewers, `overlap` per trajectory. In a
 * seeded random order, each trajectory goes to the reviewers with the least
 * work so far, and among those to the ones who have shared the fewest
 * trajectories with the reviewers already chosen for it: loads differ by at
 * most one, and every two reviewers share about as many trajectories, so
 * Cohen's κ can be computed for every pair.
 */
export function assignTrajectories(options: AssignOptions): Assignment {
  const { reviewers, overlap } = options;
  const seed = options.seed ?? 0;
  checkReviewers(reviewers, options.adjudicators ?? []);
  if (!Number.isInteger(overlap) || overlap < 1 || overlap > reviewers.length) {
    throw new TrajlabError("BAD_OVERLAP", `--overlap ${overlap} cannot be met by ${reviewers.length} reviewer(s)`, {
      hint: `give each trajectory between 1 and ${reviewers.length} reviewers (2 lets agreement be measured)`,
    });
  }
  const rng = xoroshiro128plus(seed);
  const load = new Map(reviewers.map((reviewer) => [reviewer, 0]));
  const shared = new Map<string, number>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const chosenFor = new Map<string, string[]>();
  for (const trajectoryId of shuffled(options.trajectoryIds, rng)) {
    const chosen: string[] = [];
    const candidates = shuffled(reviewers, rng);
    while (chosen.length < overlap) {
      const cost = (reviewer: string) =>
        [load.get(reviewer)!, chosen.reduce((sum, other) => sum + (shared.get(pairKey(reviewer, other)) ?? 0), 0)] as const;
      let best: string | undefined;
      for (const candidate of candidates) {
        if (chosen.includes(candidate)) continue;
        if (best === undefined) best = candidate;
        else {
          const [load1, shared1] = cost(candidate);
          const [load2, shared2] = cost(best);
          if (load1 < load2 || (load1 === load2 && shared1 < shared2)) best = candidate;
        }
      }
      for (const other of chosen) shared.set(pairKey(best!, other), (shared.get(pairKey(best!, other)) ?? 0) + 1);
      load.set(best!, load.get(best!)! + 1);
      chosen.push(best!);
    }
    chosenFor.set(trajectoryId, chosen.sort());
  }
  return {
    schemaVersion: ASSIGNMENT_SCHEMA_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    seed,
    overlap,
    reviewers: [...reviewers],
    adjudicators: [...(options.adjudicators ?? [])],
    items: options.trajectoryIds.map((trajectoryId) => ({ trajectoryId, reviewers: chosenFor.get(trajectoryId)! })),
  };
}

function checkReviewers(reviewers: readonly string[], adjudicators: readonly string[]): void {
  for (const name of [...reviewers, ...adjudicators]) {
    if (!REVIEWER_NAME.test(name)) {
      throw new TrajlabError("BAD_REVIEWER", `reviewer name ${JSON.stringify(name)} cannot name a file`, {
        hint: "use letters, digits, '.', '_' or '-' (at most 64), e.g. --reviewers ana,bo,cy",
      });
    }
  }
  const twice = reviewers.find((name, index) => reviewers.indexOf(name) !== index);
  if (twice) throw new TrajlabError("BAD_REVIEWER", `reviewer ${twice} is listed twice`, { hint: "name each reviewer once" });
  const both = adjudicators.find((name) => reviewers.includes(name));
  if (both) {
    throw new TrajlabError("BAD_REVIEWER", `${both} cannot both review and adjudicate the same run`, {
      hint: "an adjudicator settles the reviewers' disagreements, so needs to be someone else: drop it from --reviewers or from --adjudicators",
    });
  }
}

/** A seeded Fisher-Yates shuffle (a copy). */
function shuffled<T>(items: readonly T[], rng: RandomGenerator): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = uniformInt(rng, 0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** How far one reviewer is with their assigned trajectories. */
export interface AssignedProgress {
  readonly reviewer: string;
  readonly assigned: number;
  /** Assigned trajectories whose plan the reviewer has graded (the sign-off). */
  readonly done: number;
  /** Assigned trajectories with some judgement but no sign-off yet. */
  readonly started: number;
}

/** Each assigned reviewer's progress, from their records. */
export function assignmentProgress(assignment: Assignment, byReviewer: ReadonlyMap<string, readonly ReviewRecord[]>): AssignedProgress[] {
  return assignment.reviewers.map((reviewer) => {
    const ledger = new ReviewLedger(byReviewer.get(reviewer) ?? []);
    const mine = assignment.items.filter((item) => item.reviewers.includes(reviewer));
    const statuses = mine.map((item) => reviewStatus(ledger.review(item.trajectoryId)));
    return {
      reviewer,
      assigned: mine.length,
      done: statuses.filter((status) => status === "done").length,
      started: statuses.filter((status) => status === "partial").length,
    };
  });
}

/** The trajectories assigned to a reviewer, in the run's order. */
export function assignedTo(assignment: Assignment, reviewer: string): string[] {
  return assignment.items.filter((item) => item.reviewers.includes(reviewer)).map((item) => item.trajectoryId);
}

/**
 * The trajectories of some runs assigned to a reviewer, or null when no run
 * assigns the reviewer anything (the review then shows every trajectory in
 * file order, as without an assignment).
 */
export async function assignedAcross(runs: readonly RunDirectory[], reviewer: string): Promise<ReadonlySet<string> | null> {
  const ids = new Set<string>();
  let named = false;
  for (const run of runs) {
    const assignment = await readAssignment(run);
    if (!assignment?.reviewers.includes(reviewer)) continue;
    named = true;
    for (const id of assignedTo(assignment, reviewer)) ids.add(id);
  }
  return named ? ids : null;
}

/** Entries with the assigned ones first, each group in its own order. */
export function assignedFirst<T extends { readonly id: string }>(entries: readonly T[], assigned: ReadonlySet<string> | null): T[] {
  if (!assigned) return [...entries];
  return [...entries.filter((entry) => assigned.has(entry.id)), ...entries.filter((entry) => !assigned.has(entry.id))];
}

/** How many of a reviewer's assigned trajectories they are done with (plan graded). */
export function assignedDone(
  assigned: ReadonlySet<string>,
  statusOf: (trajectoryId: string) => ReviewStatus,
): { done: number; total: number } {
  let done = 0;
  for (const id of assigned) if (statusOf(id) === "done") done += 1;
  return { done, total: assigned.size };
}

/**
 * An assignment with its adjudicators replaced: the run's own (its items and
 * reviewers kept), or one that names adjudicators only.
 */
export function withAdjudicators(existing: Assignment | null, adjudicators: readonly string[], now = new Date()): Assignment {
  const base: Assignment = existing ?? {
    schemaVersion: ASSIGNMENT_SCHEMA_VERSION,
    createdAt: now.toISOString(),
    seed: 0,
    overlap: 0,
    reviewers: [],
    adjudicators: [],
    items: [],
  };
  checkReviewers(base.reviewers, adjudicators);
  return { ...base, adjudicators: [...adjudicators] };
}
