import type { Command } from "commander";
import { trajectoryJsonSchema } from "../../harness/index.js";
import { printJson } from "../output.js";

/** `trajlab schema`: the trajectory format as JSON Schema. */
export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the trajectory format (v1) as JSON Schema")
    .action(() => {
      printJson(trajectoryJsonSchema());
    });
}
