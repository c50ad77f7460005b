import type { Command } from "commander";

/** The file formats `trajlab schema` publishes, by the name it is asked for with, and the file each describes. */
export const SCHEMA_FILES = {
  trajectory: "a line of trajectories.jsonl",
  manifest: "manifest.json",
  review: "a line of reviews/<reviewer>.jsonl",
  grade: "a line of grades.jsonl",
  summary: "summary.json",
} as const;
/** `trajlab schema [format]`: a run file's format as JSON Schema (the trajectory by default). */
export function registerSchema(program: Command): void {
  program
    .command("schema [format]")
    .description(`print a file format as JSON Schema: ${Object.keys(SCHEMA_FILES).join(", ")} (default: trajectory)`)
    .addHelpText(
      "after",
      `\n${Object.entries(SCHEMA_FILES)
        .map(([name, file]) => `  ${name.padEnd(11)} ${file}`)
        .join("\n")}`,
    )
    .action(async (format: string | undefined) => {
      const { schemaCommand } = await import("./schema-start.js");
      await schemaCommand(format);
    });
}
