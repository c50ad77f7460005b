import type { Command } from "commander";
import { addScenarioFilters } from "../options.js";
import type { ListOptions } from "./list-start.js";

/** What `trajlab list` lists. */
export const KINDS = ["scenarios", "agents", "policies", "graders", "runs"] as const;
export type Kind = (typeof KINDS)[number];
/** `trajlab list scenarios|agents|policies|graders|runs [--json]`. */
export function registerList(program: Command): void {
  addScenarioFilters(program.command("list <what>"), "scenarios only: ")
    .description(`list ${KINDS.join(", ")} (built-in and from trajlab.config.ts)`)
    .option("--json", "print JSON (scenarios: id, domain, title, multiAgent, multiTurn, agents, tags, referenceCalls, source)")
    .option("--runs-dir <dir>", "runs: where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .action(async (what: string, options: ListOptions) => {
      const { listCommand } = await import("./list-start.js");
      await listCommand(what, options);
    });
}
