import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { writeFileAtomically, type Summary } from "../harness/index.js";
import { EXIT_CHECK_FAILED } from "./exit-codes.js";
import { checkThresholds, GATES, thresholds, type GateResult, type Threshold } from "./fail-under.js";
import { printNote } from "./output.js";

/** The flags {@link addCiOptions} adds, as commander gives them. */
export interface CiOptions {
  readonly junit?: string;
  readonly failUnder?: Threshold[];
}

/** Adds `--junit <file>` and `--fail-under <checks>`, for commands that end with a run's summary (run, merge). */
export function addCiOptions(command: Command): Command {
  return command
    .option(
      "--junit <file>",
      "also write a JUnit XML report: one test case per scenario × agent × model, failing when a trial did not pass",
    )
    .option(
      "--fail-under <checks>",
      `exit 3 when the run is worse than a figure, e.g. success=0.8,skippable-rate=0.1 (figures: ${Object.keys(GATES).join(", ")}; repeatable)`,
      thresholds,
    );
}

/** What the run was checked against, for the summary's JSON. */
export function ciChecks(options: CiOptions, summary: Summary): GateResult[] {
  return checkThresholds(summary, options.failUnder ?? []);
}

/**
 * Writes the JUnit report asked for (rendered by `junit`, see cli/junit.ts), says how each `--fail-under` check
 * went (on stderr), and sets exit status 3 when one failed.
 */
export async function finishCiOutputs(options: CiOptions, junit: () => string, checks: readonly GateResult[]): Promise<void> {
  if (options.junit) {
    const file = resolve(options.junit);
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomically(file, junit());
    printNote(`JUnit report written to ${options.junit}`);
  }
  for (const check of checks) printNote(check.line);
  if (checks.some((check) => !check.passed)) process.exitCode = EXIT_CHECK_FAILED;
}
