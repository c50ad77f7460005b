/**
 * What `trajlab check` does once its arguments are read. Kept apart from the
 * command's registration (check.ts) so that `trajlab check --help` loads none of it.
 */
import type { ScenarioProblem } from "../../scenarios/index.js";
import { TrajlabError } from "../../harness/core.js";
import { checkScenarios } from "../../harness/index.js";
import { filteredScenarios, loadCatalog } from "../catalog.js";
import type { ScenarioFilterOptions } from "../options.js";
import { printJson, printText } from "../output.js";

export interface CheckOptions extends ScenarioFilterOptions {
  json?: boolean;
  allAgents?: boolean;
}

/** Runs `trajlab check` with its arguments and options. */
export async function checkCommand(options: CheckOptions): Promise<void> {
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
