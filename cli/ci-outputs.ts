import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { writeFileAtomically, type Summary } from "../harness/index.js";
import { EXIT_CHECK_FAILED } from "./exit-codes.js";
import { checkThresholds, type GateResult } from "./fail-under.js";
import { printNote } from "./output.js";
import type { CiOptions } from "./options.js";

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
