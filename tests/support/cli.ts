import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Absolute path of the trajlab binary. */
export const BIN = resolve(import.meta.dirname, "../../bin/trajlab.js");

/** What a CLI invocation printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `trajlab` binary in `cwd` (no TTY) and collects its output; past `timeoutMs` it is killed (exit code null → 1). */
export function trajlab(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: "1", TRAJLAB_RUNS_DIR: "", ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 0,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh empty folder to run the CLI in. */
export function tempFolder(prefix = "trajlab-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
