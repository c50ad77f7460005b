import { userInfo } from "node:os";
import { InvalidArgumentError, Option, type Command } from "commander";
import { listRuns, openRun, type RunDirectory, runsDirectory, TrajlabError } from "../../harness/core.js";
import { unfinishedRuns } from "../../reviews/index.js";

interface ReviewOptions {
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
const SORTS = ["file", "scenario", "model", "flagged", "outcome", "status"] as const;

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
      const reviewer = reviewerName(options.reviewer);
      const runs = await openRuns(runsDirectory(options.runsDir), runArgs);
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new TrajlabError("NOT_A_TERMINAL", "trajlab review needs an interactive terminal", {
          hint: "run it in a terminal (not through a pipe); for scripts, read runs/<run>/reviews/*.jsonl directly",
        });
      }
      // Only this command loads Ink, so headless runs and library users never do. React's
      // development build checks every render; a reviewer's terminal wants the fast one.
      process.env.NODE_ENV ??= "production";
      // Ink draws only the last frame, at exit, when CI or CONTINUOUS_INTEGRATION is set. A review
      // is interactive by definition (both ends are a terminal, checked above), so it draws live
      // frames even in a shell where those are set. Ink reads them when it loads, just below.
      delete process.env.CI;
      delete process.env.CONTINUOUS_INTEGRATION;
      if (options.adjudicate) {
        const { startAdjudication } = await import("../../reviews/tui/index.js");
        await startAdjudication({ runs, reviewer });
        return;
      }
      const notices = runArgs.length === 0 ? await unfinishedNotice(runsDirectory(options.runsDir), reviewer, runs[0]!.id) : [];
      const { startReview } = await import("../../reviews/tui/index.js");
      // Filters and sort given here win; without them the review reopens with those it was left with.
      const filtered = [
        options.unreviewed,
        options.failed,
        options.flagged,
        options.scenario,
        options.domain,
        options.agent,
        options.model,
        options.search,
      ].some((value) => value !== undefined);
      await startReview({
        runs,
        reviewer,
        pairwise: options.pairwise,
        notices,
        sort: options.sort === undefined ? undefined : parseSort(options.sort),
        filter: filtered
          ? {
              unreviewed: Boolean(options.unreviewed),
              failed: Boolean(options.failed),
              flagged: Boolean(options.flagged),
              scenario: options.scenario ?? null,
              domain: options.domain ?? null,
              agent: options.agent ?? null,
              model: options.model ?? null,
              run: null,
              text: options.search ?? "",
            }
          : undefined,
      });
    });
}

/** Words for the status line when the reviewer has unfinished work in runs older than the one opened. */
async function unfinishedNotice(runsDir: string, reviewer: string, opened: string): Promise<string[]> {
  const others = (await listRuns(runsDir)).filter((run) => run.id !== opened);
  const unfinished = await unfinishedRuns(others, reviewer);
  if (unfinished.length === 0) return [];
  const [latest, ...rest] = unfinished.map(
    (run) => `${run.runId} (${run.done} of ${run.total} done${run.inProgress > 0 ? `, ${run.inProgress} started` : ""})`,
  );
  // The command comes first, so a narrow status line cuts the figures, not the way back.
  const also = rest.length === 0 ? "" : ` · also ${rest.slice(0, 2).join(", ")}${rest.length > 2 ? ` and ${rest.length - 2} more` : ""}`;
  return [`your unfinished work: trajlab review ${latest!}${also}`];
}

/** The runs named on the command line (each once), or the latest run when none is named. */
export async function openRuns(runsDir: string, args: readonly string[]): Promise<RunDirectory[]> {
  if (args.length === 0) return [await openRun(runsDir)];
  const runs: RunDirectory[] = [];
  for (const arg of args) {
    const run = await openRun(runsDir, arg);
    if (runs.some((known) => known.path === run.path)) continue;
    runs.push(run);
  }
  return runs;
}

function parseSort(value: string | undefined): (typeof SORTS)[number] {
  const sort = SORTS.find((known) => known === (value ?? "file"));
  if (!sort) throw new InvalidArgumentError(`--sort expects one of ${SORTS.join(", ")}`);
  return sort;
}
