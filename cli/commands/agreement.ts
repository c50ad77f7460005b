import type { Command } from "commander";
import { collect, integer, positiveInt } from "../options.js";
import type { AgreementOptions } from "./agreement-start.js";

/** `trajlab agreement [runs...]`: how far reviewers agree with each other, and graders with reviewers. */
export function registerAgreement(program: Command): void {
  program
    .command("agreement [runs...]")
    .description(
      "agreement between reviewers (Cohen's κ per pair, Krippendorff's α across all, raw agreement, confusion) per kind of judgement, and between graders (LLM judges too) and the reviews (precision, recall, κ per label)",
    )
    .option("--reviewers <names>", "only these reviewers (comma-separated or repeated)", collect)
    .option("--seed <n>", "seed of the bootstrap resampling", integer("--seed"), 0)
    .option("--samples <n>", "bootstrap resamples for the 95% intervals", positiveInt("--samples"), 1000)
    .option("--disagreements <n>", "steps where a grader and the reviews differ to print per grader", integer("--disagreements"), 5)
    .option("--json", "print the whole report as JSON (every disagreement, every matrix)")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .addHelpText(
      "after",
      `
Targets: step verdicts (nominal), plan pass/fail (nominal), plan ratings (ordinal: α ordinal,
weighted κ), pair preferences (nominal), decisions on grader suggestions. Intervals are percentile
bootstrap intervals over targets; the same seed gives the same figures. Adjudicators' records
settle targets rather than count as one more opinion. Graders are compared with each step's
settled value (the adjudicator's, else the reviewers' when they agree); disputed steps are left
out. A grader label is scored against the review verdict it stands for.

Examples:
  trajlab agreement                       the latest run
  trajlab agreement run-a run-b --json    two runs together, as JSON
  trajlab agreement --reviewers ana,bo --seed 7`,
    )
    .action(async (runArgs: string[], options: AgreementOptions) => {
      const { agreementCommand } = await import("./agreement-start.js");
      await agreementCommand(runArgs, options);
    });
}
