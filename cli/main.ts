import { Command, CommanderError } from "commander";
import { asTrajlabError, describeThrown, sanitizeForDisplay, trajlabVersion } from "../harness/core.js";
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK } from "./exit-codes.js";

export { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK } from "./exit-codes.js";

type Register = (program: Command) => void;

/**
 * The commands, each loaded only when needed: `trajlab review` and
 * `trajlab schema` never load LangChain, which keeps them quick to start.
 * Add a command with one line here.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import("./commands/run.js")).registerRun,
  review: async () => (await import("./commands/review.js")).registerReview,
  grade: async () => (await import("./commands/grade.js")).registerGrade,
  list: async () => (await import("./commands/list.js")).registerList,
  schema: async () => (await import("./commands/schema.js")).registerSchema,
  check: async () => (await import("./commands/check.js")).registerCheck,
  report: async () => (await import("./commands/report.js")).registerReport,
  import: async () => (await import("./commands/import.js")).registerImport,
  "validate-graders": async () => (await import("./commands/validate-graders.js")).registerValidateGraders,
  agreement: async () => (await import("./commands/agreement.js")).registerAgreement,
  export: async () => (await import("./commands/export.js")).registerExport,
  assign: async () => (await import("./commands/assign.js")).registerAssign,
};

/**
 * Builds the `trajlab` program. Given the arguments, only the command they
 * name is loaded; with none (or for help), all of them are.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("trajlab")
    .description("evaluate AI agents by their trajectories: run, record, grade, review")
    .version(trajlabVersion())
    .showHelpAfterError("(run with --help for usage)")
    .option("--config <file>", "trajlab.config.ts to load (default: ./trajlab.config.ts if present, or $TRAJLAB_CONFIG)")
    // Commands read the catalog through loadCatalog(), which honours TRAJLAB_CONFIG.
    .hook("preAction", (command) => {
      const file = command.opts<{ config?: string }>().config;
      if (file) process.env.TRAJLAB_CONFIG = file;
    })
    .exitOverride();
  const named = argv.find((arg) => !arg.startsWith("-"));
  const names = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!())(program);
  return program;
}

/** Runs the CLI and returns the exit status; errors are printed, never thrown. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv], { from: "user" });
    // A command that ran to the end may still report a failed check through the exit code.
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or help/version, which exit 0).
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    // Errors of the input or the environment (a file-system failure too) carry their fix. Their
    // messages quote what files and models held: sanitized, like everything printed.
    const known = asTrajlabError(error);
    if (known) {
      process.stderr.write(`trajlab: ${sanitizeForDisplay(known.message, { multiline: true })}\n`);
      if (known.hint) process.stderr.write(`  fix: ${sanitizeForDisplay(known.hint, { multiline: true })}\n`);
      return EXIT_BAD_INPUT;
    }
    const details = error instanceof Error ? (error.stack ?? error.message) : describeThrown(error);
    process.stderr.write(
      `trajlab: unexpected error (this is a bug; please report it):\n${sanitizeForDisplay(details, { multiline: true })}\n`,
    );
    return EXIT_INTERNAL;
  }
}
