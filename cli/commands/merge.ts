import type { Command } from "commander";
import { addCiOptions } from "../options.js";
import type { MergeOptions } from "./merge-start.js";

/** `trajlab merge <runs...> --into <run>`: the shards of a suite, joined into one run. */
export function registerMerge(program: Command): void {
  addCiOptions(program.command("merge <runs...>"))
    .description("join the shards of a suite (trajlab run --shard i/n with one --run-id) into one run that every command reads as one")
    .requiredOption("--into <run>", "name of the merged run, a new folder in --runs-dir")
    .option("--runs-dir <dir>", "where runs are stored, and where the merged run goes (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--json", "print the merged run's summary as JSON")
    .addHelpText(
      "after",
      `
The runs may be ids in --runs-dir or paths (shards downloaded from CI machines). They must be
parts of one plan: the same run id, scenarios, agents, models, repeats, seed and limits, each a
different --shard of the same count. Nothing is changed in them. The merged run keeps their run
id in its manifest, so its trajectory ids stay valid, and --resume runs the trials of any shard
that is missing or was interrupted. Its time is the longest shard's (they ran side by side).

Example:
  trajlab merge shard-1/runs/ci-42 shard-2/runs/ci-42 shard-3/runs/ci-42 --into ci-42 --junit junit.xml
Exit status: 0 when merged, 2 for runs that are not parts of one plan, 3 when a --fail-under
check failed.`,
    )
    .action(async (runs: string[], options: MergeOptions) => {
      const { mergeCommand } = await import("./merge-start.js");
      await mergeCommand(runs, options);
    });
}
