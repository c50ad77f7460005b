import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Option, type Command } from "commander";

/** The options of `trajlab review`, as commander gives them. */
export interface ReviewOptions {
  reviewer?: string;
  runsDir?: string;
  unreviewed?: boolean;
  failed?: boolean;
  flagged?: boolean;
  scenario?: string;
  domain?: string;
  agent?: string;
  model?: string;
  search?: string;
  sort?: string;
  pairwise?: boolean;
  adjudicate?: boolean;
}

/** Sort orders `--sort` accepts (the queue's own list, kept here so `--help` needs no TUI). */
export const SORTS = ["file", "scenario", "model", "flagged", "outcome", "status"] as const;

/** Adds `trajlab review [runs...]`: the review TUI over one or more runs, loaded lazily. */
export function registerReview(program: Command): void {
  program
    .command("review [runs...]")
    .description("grade tool calls, plans and pairs of trajectories in the terminal (latest run by default)")
    .option("-r, --reviewer <name>", "your name; grades go to runs/<run>/reviews/<name>.jsonl (default: $TRAJLAB_REVIEWER or your login)")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--unreviewed", "start with only the trajectories you have not finished")
    .option("--failed", "start with only failed outcomes")
    .option("--flagged", "start with only trajectories a grader flagged")
    .option("--scenario <glob>", "start with only these scenarios, e.g. 'retail.return-*'")
    .option("--domain <domain>", "start with only this domain")
    .option("--agent <agent>", "start with only this agent")
    .option("--model <model>", "start with only this model, e.g. policy:wasteful")
    .option("--search <text>", "start with only trajectories whose scenario, id, model or task contains this text")
    .addOption(new Option("--sort <order>", "queue order (default: as you left it, else file order)").choices([...SORTS]))
    .option("--pairwise", "start in pairwise mode: two trajectories of one scenario side by side, pick A, B or tie")
    .option("--adjudicate", "settle what reviewers disagree on (for a reviewer the run names adjudicator: trajlab assign --adjudicators)")
    .addHelpText(
      "after",
      `
Examples:
  trajlab review                         the latest run, as your login name
  trajlab review --reviewer ana --unreviewed --flagged
  trajlab review run-a run-b --pairwise  compare two runs' trajectories scenario by scenario
Every grade is written to runs/<run>/reviews/<reviewer>.jsonl the moment it is given;
reopening returns to the trajectory, step, filters and sort you left.
Press ? in the review for every key; docs/review.md is the reviewer's guide.`,
    )
    .action(async (runArgs: string[], options: ReviewOptions) => {
      if (process.stdin.isTTY && process.stdout.isTTY) {
        // Only this command loads Ink, so headless runs and library users never do. React's
        // development build checks every render; a reviewer's terminal wants the fast one.
        process.env.NODE_ENV ??= "production";
        // Ink draws only the last frame, at exit, when CI or CONTINUOUS_INTEGRATION is set. A
        // review is interactive by definition (both ends are a terminal), so it draws live frames
        // even in a shell where those are set. Ink reads them when it loads, just below. (Without
        // a terminal the review stops with NOT_A_TERMINAL before drawing anything.)
        delete process.env.CI;
        delete process.env.CONTINUOUS_INTEGRATION;
      }
      const { reviewCommand } = await loadReviewCommand();
      await reviewCommand(runArgs, options);
    });
}

/**
 * The review's code. In dist/ it is one bundled file (scripts/build.js writes it): Ink and its
 * dependencies are hundreds of modules, and Node loads one file in a fraction of the time.
 * Run from the sources (tests, tsx), the modules themselves.
 */
async function loadReviewCommand(): Promise<typeof import("./review-start.js")> {
  const bundle = new URL("./review-start.bundle.js", import.meta.url);
  if (existsSync(fileURLToPath(bundle))) return (await import(bundle.href)) as typeof import("./review-start.js");
  return import("./review-start.js");
}
