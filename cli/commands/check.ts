import type { Command } from "commander";
import type { ScenarioProblem } from "../../scenarios/index.js";
import { TrajlabError } from "../../harness/core.js";
import { checkScenarios } from "../../harness/index.js";
import { filteredScenarios, loadCatalog } from "../catalog.js";
import { addScenarioFilters, type ScenarioFilterOptions } from "../options.js";
import { printJson, printText } from "../output.js";

interface CheckOptions extends ScenarioFilterOptions {
  json?: boolean;
  allAgents?: boolean;
}

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
      const catalog = await loadCatalog({ allowDuplicateScenarios: true });
      const scenarios = filteredScenarios(catalog.scenarios, options);
      const problems = await checkScenarios({
        scenarios,
        agents: catalog.agents,
        policies: catalog.policies,
        allAgents: options.allAgents,
      });
      if (options.json) {
        printJson({ scenarios: scenarios.length, problems });
      } else {
        printText(renderProblems(problems));
        const affected = new Set(problems.map((p) => p.scenarioId)).size;
        printText(
          problems.length === 0
            ? `${scenarios.length} scenario(s) checked: no problems\n`
            : `${scenarios.length} scenario(s) checked: ${problems.length} problem(s) in ${affected} scenario(s)\n`,
        );
      }
      if (problems.length > 0) {
        throw new TrajlabError("CHECK_FAILED", `${problems.length} scenario problem(s)`, {
          hint: "fix each problem at the file and line shown, then run npx trajlab check again",
        });
      }
    });
}

/** Problems grouped by scenario, each with where, what and the fix. */
export function renderProblems(problems: readonly ScenarioProblem[]): string {
  const lines: string[] = [];
  for (const problem of problems) {
    lines.push(`${problem.source ?? "(unknown file)"}  ${problem.scenarioId}  ${problem.field}`);
    lines.push(`  problem: ${problem.message}`);
    lines.push(`  fix: ${problem.fix}`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n\n` : "";
}
