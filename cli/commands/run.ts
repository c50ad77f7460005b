import type { Command } from "commander";
import type { RunOptions } from "../run-plan.js";
import {
  addCiOptions,
  addModelCallOptions,
  addScenarioFilters,
  collect,
  dollars,
  integer,
  positiveInt,
  shardOf,
  workerCount,
} from "../options.js";

/** `trajlab run`: runs a suite (or the rest of an interrupted one), grades it and prints its summary. */
export function registerRun(program: Command): void {
  addScenarioFilters(
    addCiOptions(
      addModelCallOptions(
        program.command("run").description("run scenarios headlessly, record trajectories, grade them and print a summary"),
      ),
    ),
    "only ",
  )
    .option("-p, --policy <id>", "offline policy model(s) to run (repeatable); default: reference and wasteful", collect)
    .option("-m, --model <provider:name>", "real model(s) via initChatModel, e.g. openai:gpt-4o-mini (repeatable)", collect)
    .option("-a, --agent <id>", "agent builder(s) (repeatable); default: supervisor for multi-agent scenarios, react otherwise", collect)
    .option("-k, --repeat <k>", "trials per scenario, agent and model", positiveInt("--repeat"), 1)
    .option("-c, --concurrency <n>", "trials run at once", positiveInt("--concurrency"), 4)
    .option("-w, --workers <n>", "run trials in n worker threads (auto: one per core); default: in this thread", workerCount)
    .option("--timeout <ms>", "time limit per trial in milliseconds", positiveInt("--timeout"), 120_000)
    .option("--max-steps <n>", "graph step limit per trial (default: each scenario's own)", positiveInt("--max-steps"))
    .option("--seed <n>", "base seed; trial i uses seed + i", integer("--seed"), 0)
    .option("--json", "print the summary as JSON on stdout (progress goes to stderr)")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--run-id <id>", "name the run (default: a fresh time-based id)")
    .option("-q, --quiet", "no progress output")
    .option(
      "--shard <i/n>",
      "run only part i of n of the trials (every n-th from the i-th), for a CI matrix; needs --run-id; join the parts with trajlab merge",
      shardOf,
    )
    .option("--resume <run>", "continue an interrupted run: run only the trials it has not recorded, with its own settings")
    .option(
      "--max-cost <usd>",
      "stop launching trials once the run's model calls have cost this many US dollars (trials in flight finish)",
      dollars,
    )
    .addHelpText(
      "after",
      `
Examples:
  trajlab run                                   all built-in scenarios, offline policies
  trajlab run -s 'retail.*' -p reference -k 5   five trials of the reference policy
  OPENAI_BASE_URL=http://127.0.0.1:8000/v1 trajlab run -m openai:my-local-model
  trajlab run --resume 20261121-101502-3f9a     finish a run that was interrupted
  trajlab run --run-id ci-42 --shard 2/4 --junit junit.xml --fail-under success=0.8
                                                part 2 of 4 of a CI matrix (join: trajlab merge)
Exit status: 0 when the run completed (failed outcomes are results), 2 for bad input,
3 when a --fail-under check failed or --max-cost stopped it early, 130 when interrupted
(what finished is kept; --resume runs the rest).`,
    )
    .action(async (options: RunOptions, command: Command) => {
      const { runCommand } = await import("./run-start.js");
      await runCommand(options, command);
    });
}
