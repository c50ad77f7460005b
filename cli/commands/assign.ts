import type { Command } from "commander";
import { collect, integer, positiveInt } from "../options.js";
import type { AssignOptions } from "./assign-start.js";

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
      const { assignCommand } = await import("./assign-start.js");
      await assignCommand(runArg, options);
    });
}
