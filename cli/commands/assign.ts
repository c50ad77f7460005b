import { copyFile } from "node:fs/promises";
import type { Command } from "commander";
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
import { collect, integer, positiveInt } from "../options.js";
import { printNote, printText } from "../output.js";

interface AssignOptions {
  reviewers?: string[];
  overlap?: number;
  seed: number;
  adjudicators?: string[];
  replace?: boolean;
  runsDir?: string;
}

/** `trajlab assign <run> --reviewers a,b,c --overlap 2`: who reviews what, written to the run. */
export function registerAssign(program: Command): void {
  program
    .command("assign [run]")
    .description(
      "spread a run's trajectories over reviewers, each judged by --overlap of them, and name adjudicators (no server: the assignment is a file in the run)",
    )
    .option("--reviewers <names>", "the reviewers (comma-separated or repeated)", collect)
    .option("--overlap <n>", "reviewers per trajectory (2 or more lets agreement be measured)", positiveInt("--overlap"))
    .option("--seed <n>", "seed of the shuffle: the same seed and run give the same assignment", integer("--seed"), 0)
    .option("--adjudicators <names>", "reviewers who settle disagreements with trajlab review --adjudicate", collect)
    .option("--replace", "replace the run's assignment (the old one is kept beside it)")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .addHelpText(
      "after",
      `
The assignment is written to runs/<run>/reviews/assignment.json. Each reviewer then runs
trajlab review --reviewer <name>: their trajectories come first, with "n of m assigned done",
and nobody sees another reviewer's verdicts (blind review). trajlab list runs shows each
reviewer's progress. Adjudicators' records settle targets instead of counting as one more
opinion; naming adjudicators alone (no --reviewers) keeps the assignment and changes the roles.

Examples:
  trajlab assign --reviewers ana,bo,cy --overlap 2
  trajlab assign run-a --reviewers ana,bo --overlap 2 --seed 7 --adjudicators lead
  trajlab assign run-a --adjudicators lead,sam`,
    )
    .action(async (runArg: string | undefined, options: AssignOptions) => {
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
          throw new TrajlabError(
            "BAD_ARGUMENT",
            "trajlab assign --reviewers needs --overlap <n>: how many reviewers judge each trajectory",
            {
              hint: `e.g. --overlap ${Math.min(2, options.reviewers.length)}`,
            },
          );
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
    });
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
