import type { Command } from "commander";
import { addScenarioFilters } from "../options.js";
import type { CheckOptions } from "./check-start.js";

/** `trajlab check`: validates every scenario and says how to fix each problem. */
export function registerCheck(program: Command): void {
  addScenarioFilters(
    program
      .command("check")
      .description(
        "validate scenarios: unique ids, reference plans use defined tools with valid arguments, the reference policy reaches the outcome",
      ),
    "only ",
  )
    .option("--all-agents", "replay the reference on every agent, not only each scenario's default one")
    .option("--json", "print the problems as JSON")
    .addHelpText("after", "\nExit status: 0 when every scenario passes, 2 when there are problems (each with its file and a fix).")
    .action(async (options: CheckOptions) => {
      const { checkCommand } = await import("./check-start.js");
      await checkCommand(options);
    });
}
