import type { Command } from "commander";
import { trajectoryJsonSchema } from "../../harness/index.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the trajectory format (v1) as JSON Schema")
    .action(() => {
      process.stdout.write(`${JSON.stringify(trajectoryJsonSchema(), null, 2)}\n`);
    });
}
