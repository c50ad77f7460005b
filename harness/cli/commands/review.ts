import { userInfo } from "node:os";
import type { Command } from "commander";
import { TrajlabError } from "../../errors.js";
import { openRun, runsDirectory } from "../../store/run-store.js";

interface ReviewOptions {
  reviewer?: string;
  runsDir?: string;
}

/** The reviewer's name: `--reviewer`, else `TRAJLAB_REVIEWER`, else the login name. */
export function reviewerName(explicit?: string): string {
  const name = explicit ?? process.env.TRAJLAB_REVIEWER ?? safeLogin();
  if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new TrajlabError("BAD_REVIEWER", `reviewer name ${JSON.stringify(name ?? "")} cannot name a file`, {
      hint: "pass --reviewer <name> using letters, digits, '.', '_' or '-'",
    });
  }
  return name;
}

function safeLogin(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME;
  }
}

export function registerReview(program: Command): void {
  program
    .command("review [run]")
    .description("grade a run's tool calls and plans in the terminal (latest run by default)")
    .option("-r, --reviewer <name>", "your name; grades go to runs/<run>/reviews/<name>.jsonl (default: your login)")
    .option("--runs-dir <dir>", "where runs are stored")
    .action(async (runArg: string | undefined, options: ReviewOptions) => {
      const reviewer = reviewerName(options.reviewer);
      const run = await openRun(runsDirectory(options.runsDir), runArg);
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new TrajlabError("NOT_A_TERMINAL", "trajlab review needs an interactive terminal", {
          hint: "run it in a terminal (not through a pipe); for scripts, read runs/<run>/reviews/*.jsonl directly",
        });
      }
      // Only this command loads Ink, so headless runs and library users never do.
      const { startReview } = await import("../../../reviews/tui/index.js");
      await startReview({ run, reviewer });
    });
}
