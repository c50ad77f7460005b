import { Command, CommanderError } from "commander";
import { isTrajlabError } from "../errors.js";
import { ModelSpecError } from "../../agents/index.js";
import { trajlabVersion } from "../versions.js";
import { registerGrade } from "./commands/grade.js";
import { registerList } from "./commands/list.js";
import { registerReview } from "./commands/review.js";
import { registerRun } from "./commands/run.js";
import { registerSchema } from "./commands/schema.js";

/** Exit status for bad input (flags, files, specs). */
export const EXIT_BAD_INPUT = 2;
/** Exit status for an unexpected internal error. */
export const EXIT_INTERNAL = 1;

/** Builds the `trajlab` command line program. */
export function buildProgram(): Command {
  const program = new Command("trajlab")
    .description("evaluate AI agents by their trajectories: run, record, grade, review")
    .version(trajlabVersion())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerRun(program);
  registerReview(program);
  registerGrade(program);
  registerList(program);
  registerSchema(program);
  return program;
}

/** Runs the CLI and returns the exit status; errors are printed, never thrown. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or help/version, which exit 0).
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (isTrajlabError(error) || error instanceof ModelSpecError) {
      process.stderr.write(`trajlab: ${error.message}\n`);
      const hint = (error as { hint?: string }).hint;
      if (hint) process.stderr.write(`  fix: ${hint}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`trajlab: unexpected error (this is a bug; please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}
