import type { Command } from "commander";
import { IMPORT_FORMAT_LINES } from "../../harness/help.js";
import { groupByOption } from "../options.js";
import type { ImportOptions } from "./import-start.js";

/** `trajlab import <format> <path...>`: other systems' logs become an ordinary, graded run. */
export function registerImport(program: Command): void {
  program
    .command("import <format> <paths...>")
    .description(`import trajectories from other systems' logs as a run (formats: ${Object.keys(IMPORT_FORMAT_LINES).join(", ")})`)
    .option("--run-id <id>", "the run to write; an existing run imported in the same format gets only the trajectories it lacks")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--domain <name>", "domain of the trajectories (default: what the source says, else the format's name)")
    .option("--model <name>", "model that produced the trajectories, when the source does not name it")
    .option("--agent <name>", "name of the agent (default: what the source says, else assistant)")
    .option("--effects <file>", 'JSON file of tool name → "read" or "write" (default: inferred from tool names, and marked inferred)')
    .addOption(groupByOption())
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      `
Formats:
${Object.entries(IMPORT_FORMAT_LINES)
  .map(([id, line]) => `  ${id.padEnd(10)} ${line}`)
  .join("\n")}

Examples:
  trajlab import tau-bench gpt-4o-airline.json --domain airline --model gpt-4o
  trajlab import openai conversations.jsonl --effects effects.json
The same input always gives the same trajectory ids: importing it again adds nothing.
Bad input names the file, the record, the field and the fix, exits 2 and writes nothing.`,
    )
    .action(async (formatId: string, paths: string[], options: ImportOptions) => {
      const { importCommand } = await import("./import-start.js");
      await importCommand(formatId, paths, options);
    });
}
