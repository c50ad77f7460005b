/**
 * What `trajlab schema` does: the JSON Schema of each file format. Kept apart
 * from the command's registration (schema.ts) so that `trajlab schema --help`
 * loads none of it.
 */
import type { SCHEMA_FILES } from "./schema.js";
import { GradeSchema, ManifestSchema, SummarySchema, TrajlabError, jsonSchemaOf, trajectoryJsonSchema } from "../../harness/core.js";
import { ReviewRecordSchema } from "../../reviews/index.js";
import { printJson } from "../output.js";

/** The JSON Schema of each format of {@link SCHEMA_FILES}. */
const SCHEMAS: Readonly<Record<string, () => Record<string, unknown>>> = {
  trajectory: trajectoryJsonSchema,
  manifest: () => jsonSchemaOf("manifest", "trajlab run manifest", ManifestSchema),
  review: () => jsonSchemaOf("review-record", "trajlab review record", ReviewRecordSchema),
  grade: () => jsonSchemaOf("grade", "trajlab grade", GradeSchema),
  summary: () => jsonSchemaOf("summary", "trajlab run summary", SummarySchema),
} satisfies Record<keyof typeof SCHEMA_FILES, () => Record<string, unknown>>;

/** Prints the JSON Schema of a format (the trajectory's by default). */
export async function schemaCommand(format: string | undefined): Promise<void> {
  const name = format ?? "trajectory";
  const schema = SCHEMAS[name];
  if (!schema) {
    throw new TrajlabError("BAD_ARGUMENT", `trajlab schema ${JSON.stringify(name)}: no such format`, {
      hint: `formats: ${Object.keys(SCHEMAS).join(", ")}`,
    });
  }
  printJson(schema());
}
