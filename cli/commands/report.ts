import type { Command } from "commander";
import type { ReportOptions } from "./report-start.js";

/** `trajlab report <run> [--compare <run>] [--json]`. */
export function registerReport(program: Command): void {
  program
    .command("report [run]")
    .description(
      "metrics of a run (success, pass@k/pass^k, tool-call precision/recall, skippable calls, steps, tokens, latency) by scenario, domain, agent and model",
    )
    .option("--compare <run>", "compare with another run: the first run is the baseline")
    .option("--json", "print the report (or the comparison) as JSON")
    .option("--runs-dir <dir>", "where runs are stored")
    .addHelpText(
      "after",
      `
Success is the outcome grade. pass^k = C(c,k)/C(n,k) per (scenario, agent, model) with
c of n trials passing (all k of k sampled trials pass), pass@k = 1 - C(n-c,k)/C(n,k); both
averaged over tasks with at least k trials. Re-grade first (trajlab grade) after changing graders.`,
    )
    .action(async (runArg: string | undefined, options: ReportOptions) => {
      const { reportCommand } = await import("./report-start.js");
      await reportCommand(runArg, options);
    });
}
