import type { Command } from "commander";
import { addScenarioFilters, positiveInt } from "../options.js";
import type { ValidateOptions } from "./validate-graders-start.js";

/** `trajlab validate-graders`: fault-injected suites, label precision and recall per fault kind. */
export function registerValidateGraders(program: Command): void {
  addScenarioFilters(program.command("validate-graders"), "only ")
    .description(
      "run fault-injected suites over the scenario library and report each grader label's precision and recall against the injected faults",
    )
    .option("--json", "print the report as JSON")
    .option("--seeds <n>", "seeds per faulty policy", positiveInt("--seeds"), 2)
    .option("-c, --concurrency <n>", "trials run at once", positiveInt("--concurrency"), 8)
    .option("--replay", "also verify skippable calls by counterfactual replay and score those labels")
    .option("--check", "exit with status 3 when any fault kind misses its precision or recall target (for CI)")
    .addHelpText(
      "after",
      `
Every trajectory is graded without its ground truth, then each fault kind's label is
compared with the injected faults: precision = labelled faults / labels, recall =
labelled faults / injected faults. Suites: reference (no faults), wasteful, faulty
(mixed), and one faulty policy per fault kind.`,
    )
    .action(async (options: ValidateOptions) => {
      const { validateGradersCommand } = await import("./validate-graders-start.js");
      await validateGradersCommand(options);
    });
}
