import type { Command } from "commander";
import { addModelCallOptions, collect, positiveInt } from "../options.js";
import type { GradeOptions } from "./grade-start.js";

/** `trajlab grade [run]`: re-grades a run from its files, never re-running agents (except replays, on request). */
export function registerGrade(program: Command): void {
  addModelCallOptions(program.command("grade [run]"))
    .description("re-grade a run's trajectories without re-running agents (latest run by default)")
    .option("--runs-dir <dir>", "where runs are stored")
    .option("--json", "print the summary as JSON")
    .option(
      "--replay",
      "verify skippable calls by counterfactual replay (re-runs the agent from just before each); replays go to replays.jsonl",
    )
    .option("--replay-limit <n>", "at most this many replays per trajectory", positiveInt("--replay-limit"), 10)
    .option("--judge <model>", "add an LLM judge (repeatable: several judges are aggregated), e.g. openai:gpt-4o-mini", collect)
    .option("--judge-prompts <dir>", "folder with the judge's system.md and trajectory.md (default: the built-in prompts)")
    .option(
      "--rule <id>",
      "check this policy rule on every trajectory, besides the rules scenarios and imports declare (repeatable), e.g. unconfirmed_write",
      collect,
    )
    .addHelpText(
      "after",
      `
Grading is idempotent: the same trajectories and graders give the same grades.jsonl, byte
for byte. When the grades change, the previous file is kept beside it with a timestamp.`,
    )
    .action(async (runArg: string | undefined, options: GradeOptions) => {
      const { gradeCommand } = await import("./grade-start.js");
      await gradeCommand(runArg, options);
    });
}
