import type { Command } from "commander";
import { GradeSchema, ManifestSchema, SummarySchema, TrajlabError, jsonSchemaOf, trajectoryJsonSchema } from "../../harness/core.js";
import { ReviewRecordSchema } from "../../reviews/index.js";
import { printJson } from "../output.js";

/** The file formats `trajlab schema` publishes, by the name it is asked for with. */
const SCHEMAS: Readonly<Record<string, { file: string; json: () => Record<string, unknown> }>> = {
  trajectory: { file: "a line of trajectories.jsonl", json: trajectoryJsonSchema },
  manifest: { file: "manifest.json", json: () => jsonSchemaOf("manifest", "trajlab run manifest", ManifestSchema) },
  review: {
    file: "a line of reviews/<reviewer>.jsonl",
    json: () => jsonSchemaOf("review-record", "trajlab review record", ReviewRecordSchema),
  },
  grade: { file: "a line of grades.jsonl", json: () => jsonSchemaOf("grade", "trajlab grade", GradeSchema) },
  summary: { file: "summary.json", json: () => jsonSchemaOf("summary", "trajlab run summary", SummarySchema) },
};

/** `trajlab schema [format]`: a run file's format as JSON Schema (the trajectory by default). */
export function registerSchema(program: Command): void {
  program
    .command("schema [format]")
    .description(`print a file format as JSON Schema: ${Object.keys(SCHEMAS).join(", ")} (default: trajectory)`)
    .addHelpText(
      "after",
      `\n${Object.entries(SCHEMAS)
        .map(([name, { file }]) => `  ${name.padEnd(11)} ${file}`)
        .join("\n")}`,
    )
    .action((format: string | undefined) => {
      const name = format ?? "trajectory";
      const schema = SCHEMAS[name];
      if (!schema) {
        throw new TrajlabError("BAD_ARGUMENT", `trajlab schema ${JSON.stringify(name)}: no such format`, {
          hint: `formats: ${Object.keys(SCHEMAS).join(", ")}`,
        });
      }
      printJson(schema.json());
    });
}
