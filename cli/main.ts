import { Command, CommanderError, Help } from "commander";
import { trajlabVersion } from "../harness/versions.js";
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK } from "./exit-codes.js";

export { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK } from "./exit-codes.js";

type Register = (program: Command) => void;

/** A command as `trajlab --help` lists it, and how to load it. */
export interface CommandEntry {
  /** What follows the name in the list of commands, as the command declares it (e.g. `[options] [run]`). */
  readonly usage: string;
  /** One line, shown in `trajlab --help` and at the top of `trajlab <command> --help`. */
  readonly description: string;
  /** Imports the command's module (and whatever it needs) and returns its registration. */
  readonly load: () => Promise<Register>;
}

/**
 * The commands. A command's module is imported only when that command runs
 * (so `trajlab review` and `trajlab schema` never load LangChain), and
 * `trajlab --help` lists them from this table without importing any. Add a
 * command with one entry here; a test checks that `usage` and `description`
 * are what the command's module declares.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  run: {
    usage: "[options]",
    description: "run scenarios headlessly, record trajectories, grade them and print a summary",
    load: async () => (await import("./commands/run.js")).registerRun,
  },
  review: {
    usage: "[options] [runs...]",
    description: "grade tool calls, plans and pairs of trajectories in the terminal (latest run by default)",
    load: async () => (await import("./commands/review.js")).registerReview,
  },
  grade: {
    usage: "[options] [run]",
    description: "re-grade a run's trajectories without re-running agents (latest run by default)",
    load: async () => (await import("./commands/grade.js")).registerGrade,
  },
  list: {
    usage: "[options] <what>",
    description: "list scenarios, agents, policies, graders, runs (built-in and from trajlab.config.ts)",
    load: async () => (await import("./commands/list.js")).registerList,
  },
  schema: {
    usage: "[format]",
    description: "print a file format as JSON Schema: trajectory, manifest, review, grade, summary (default: trajectory)",
    load: async () => (await import("./commands/schema.js")).registerSchema,
  },
  check: {
    usage: "[options]",
    description:
      "validate scenarios: unique ids, reference plans use defined tools with valid arguments, the reference policy reaches the outcome",
    load: async () => (await import("./commands/check.js")).registerCheck,
  },
  report: {
    usage: "[options] [run]",
    description:
      "metrics of a run (success, pass@k/pass^k, tool-call precision/recall, skippable calls, steps, tokens, latency) by scenario, domain, agent and model",
    load: async () => (await import("./commands/report.js")).registerReport,
  },
  "validate-graders": {
    usage: "[options]",
    description:
      "run fault-injected suites over the scenario library and report each grader label's precision and recall against the injected faults",
    load: async () => (await import("./commands/validate-graders.js")).registerValidateGraders,
  },
  import: {
    usage: "[options] <format> <paths...>",
    description: "import trajectories from other systems' logs as a run (formats: tau-bench, openai, otel, langsmith)",
    load: async () => (await import("./commands/import.js")).registerImport,
  },
  collect: {
    usage: "[options]",
    description: "receive OpenTelemetry traces over OTLP/HTTP (protobuf or JSON) and write each finished trace to a run as a trajectory",
    load: async () => (await import("./commands/collect.js")).registerCollect,
  },
  agreement: {
    usage: "[options] [runs...]",
    description:
      "agreement between reviewers (Cohen's κ per pair, Krippendorff's α across all, raw agreement, confusion) per kind of judgement, and between graders (LLM judges too) and the reviews (precision, recall, κ per label)",
    load: async () => (await import("./commands/agreement.js")).registerAgreement,
  },
  export: {
    usage: "[options] <kind> [runs...]",
    description: "write reviews as training data (SFT, DPO, KTO, step rewards) or trajectories in other formats, one JSON object per line",
    load: async () => (await import("./commands/export.js")).registerExport,
  },
  merge: {
    usage: "[options] <runs...>",
    description: "join the shards of a suite (trajlab run --shard i/n with one --run-id) into one run that every command reads as one",
    load: async () => (await import("./commands/merge.js")).registerMerge,
  },
  assign: {
    usage: "[options] [run]",
    description:
      "spread a run's trajectories over reviewers, each judged by --overlap of them, and name adjudicators (no server: the assignment is a file in the run)",
    load: async () => (await import("./commands/assign.js")).registerAssign,
  },
};

/** Options of the program itself that take a value, so that the value is not taken for a command. */
const VALUED_OPTIONS = new Set(["--config"]);

/** The command the arguments run (or ask help for: `help <command>`), if they name one. */
export function commandNamed(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (VALUED_OPTIONS.has(arg)) index++;
    else if (arg === "--") return undefined;
    else if (!arg.startsWith("-")) {
      if (arg !== "help") return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
      const topic = argv.slice(index + 1).find((next) => !next.startsWith("-"));
      return topic !== undefined && Object.hasOwn(COMMANDS, topic) ? topic : undefined;
    }
  }
  return undefined;
}

/**
 * Builds the `trajlab` program. Only the command the arguments name is
 * loaded; for the program's help and version (or a command that does not
 * exist) none is, and the commands are listed from {@link COMMANDS}.
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
  const name = commandNamed(argv);
  if (name !== undefined) {
    const entry = COMMANDS[name]!;
    (await entry.load())(program);
    return program;
  }
  for (const [listed, entry] of Object.entries(COMMANDS)) {
    program
      .command(listed)
      .description(entry.description)
      .action(() => {
        throw new Error(`trajlab ${listed} ran without its module loaded`);
      });
  }
  const standard = new Help();
  program.configureHelp({
    subcommandTerm: (command) => {
      const entry = Object.hasOwn(COMMANDS, command.name()) ? COMMANDS[command.name()] : undefined;
      return entry ? `${command.name()} ${entry.usage}`.trim() : standard.subcommandTerm(command);
    },
  });
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
    // Loaded only on the way out with an error, so that starting (and --help) stays light.
    const { asTrajlabError, describeThrown, sanitizeForDisplay } = await import("../harness/core.js");
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
