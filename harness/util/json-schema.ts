import * as z from "zod";

/**
 * A file format's zod schema as JSON Schema (draft 2020-12), the way
 * `trajlab schema` publishes it: what a file may hold (`io: "input"`, so
 * optional and defaulted fields are optional), with an `$id` and a title.
 */
export function jsonSchemaOf(name: string, title: string, schema: z.ZodType): Record<string, unknown> {
  return {
    $id: `https://trajlab.dev/schema/${name}.json`,
    title,
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
  };
}
