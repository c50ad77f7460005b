/**
 * What `trajlab assign` does once its arguments are read. Kept apart from the
 * command's registration (assign.ts) so that `trajlab assign --help` loads none of it.
 */
import { copyFile } from "node:fs/promises";
import { openRun, runsDirectory, TrajlabError } from "../../harness/core.js";
import {
  assignTrajectories,
  assignmentPath,
  indexTrajectories,
  readAssignment,
  withAdjudicators,
  writeAssignment,
  type Assignment,
} from "../../reviews/index.js";
import { formatTable } from "../format.js";
import { printNote, printText } from "../output.js";

export interface AssignOptions {
  reviewers?: string[];
  overlap?: number;
  seed: number;
  adjudicators?: string[];
  replace?: boolean;
  runsDir?: string;
}

/** Runs `trajlab assign` with its arguments and options. */
export async function assignCommand(runArg: string | undefined, options: AssignOptions): Promise<void> {
  const run = await openRun(runsDirectory(options.runsDir), runArg);
  const existing = await readAssignment(run);
  let assignment: Assignment;
  if (!options.reviewers) {
    if (!options.adjudicators) {
      throw new TrajlabError(
        "BAD_ARGUMENT",
        "trajlab assign needs --reviewers (and --overlap), or --adjudicators to name the run's adjudicators",
        {
          hint: "e.g. trajlab assign --reviewers ana,bo,cy --overlap 2",
        },
      );
    }
    assignment = withAdjudicators(existing, options.adjudicators);
  } else {
    if (existing && existing.items.length > 0 && !options.replace) {
      throw new TrajlabError("ASSIGNMENT_EXISTS", `run ${run.id} already has an assignment (${assignmentPath(run)})`, {
        hint: "reviewers may have started on it; pass --replace to write a new one (the old one is kept beside it)",
      });
    }
    if (options.overlap === undefined) {
      throw new TrajlabError("BAD_ARGUMENT", "trajlab assign --reviewers needs --overlap <n>: how many reviewers judge each trajectory", {
        hint: `e.g. --overlap ${Math.min(2, options.reviewers.length)}`,
      });
    }
    const entries = await indexTrajectories(run, {
      onWarning: (w) => printNote(`warning: ${w.file}: ${w.message}`),
    });
    assignment = assignTrajectories({
      trajectoryIds: entries.map((entry) => entry.id),
      reviewers: options.reviewers,
      overlap: options.overlap,
      seed: options.seed,
      adjudicators: options.adjudicators ?? existing?.adjudicators ?? [],
    });
  }
  if (existing && options.replace) await copyFile(assignmentPath(run), `${assignmentPath(run)}.${Date.now()}.bak`);
  const file = await writeAssignment(run, assignment);
  printText(`${describe(assignment)}\nwritten to ${file}\n`);
}

/** Each reviewer's load, and how many trajectories every two reviewers share. */
function describe(assignment: Assignment): string {
  const { reviewers, items } = assignment;
  const lines = [`${items.length} trajectories, ${assignment.overlap} reviewer(s) each; seed ${assignment.seed}`];
  if (reviewers.length > 0) {
    const rows = reviewers.map((reviewer) => [
      reviewer,
      String(items.filter((item) => item.reviewers.includes(reviewer)).length),
      ...reviewers.map((other) =>
        other === reviewer
          ? "-"
          : String(items.filter((item) => item.reviewers.includes(reviewer) && item.reviewers.includes(other)).length),
      ),
    ]);
    lines.push(
      formatTable(
        [["reviewer", "assigned", ...reviewers.map((r) => `with ${r}`)], ...rows],
        ["left", ...reviewers.map(() => "right" as const), "right"],
      ),
    );
  }
  lines.push(`adjudicators: ${assignment.adjudicators.join(", ") || "none"}`);
  return lines.join("\n");
}
