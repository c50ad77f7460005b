/**
 * What `trajlab review` does once its options are read: open the runs, check
 * the terminal, and start the review or adjudication screen. Kept apart from
 * the command's registration so that `trajlab review --help` loads none of it,
 * and bundled into one file in dist/ (see review.ts).
 */
import { InvalidArgumentError } from "commander";
import { listRuns, runsDirectory, TrajlabError } from "../../harness/core.js";
import { unfinishedRuns } from "../../reviews/index.js";
import { SORTS, type ReviewOptions } from "./review.js";
import { openRuns, reviewerName } from "./review-args.js";

/** Runs `trajlab review [runs...]` with its options. */
export async function reviewCommand(runArgs: string[], options: ReviewOptions): Promise<void> {
  const reviewer = reviewerName(options.reviewer);
  const runs = await openRuns(runsDirectory(options.runsDir), runArgs);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new TrajlabError("NOT_A_TERMINAL", "trajlab review needs an interactive terminal", {
      hint: "run it in a terminal (not through a pipe); for scripts, read runs/<run>/reviews/*.jsonl directly",
    });
  }
  // Loaded here, once the runs and the terminal are known to be fine (in the bundle it is part of the same file).
  const { startAdjudication, startReview } = await import("../../reviews/tui/index.js");
  if (options.adjudicate) {
    await startAdjudication({ runs, reviewer });
    return;
  }
  const notices = runArgs.length === 0 ? await unfinishedNotice(runsDirectory(options.runsDir), reviewer, runs[0]!.id) : [];
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

function parseSort(value: string | undefined): (typeof SORTS)[number] {
  const sort = SORTS.find((known) => known === (value ?? "file"));
  if (!sort) throw new InvalidArgumentError(`--sort expects one of ${SORTS.join(", ")}`);
  return sort;
}
