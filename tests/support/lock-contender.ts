/**
 * A contender in lock races: prints `ready` once loaded; then, for each line
 * `<lock path>` on stdin (sent to every contender at once), tries to take
 * that lock and prints `won` (holding it for a while, then releasing it) or
 * `busy`, then `done`.
 * Usage: node --import tsx lock-contender.ts <hold ms>
 */
import { createInterface } from "node:readline";
import { errorMessage, TrajlabError } from "../../errors/index.js";
import { takeLock } from "../../harness/store/lock.js";

const holdMs = Number(process.argv[2]);
process.stdout.write("ready\n");
for await (const path of createInterface({ input: process.stdin })) {
  try {
    const lock = await takeLock(path, "race", () => new TrajlabError("RUN_IN_USE", "busy"));
    process.stdout.write("won\n");
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    await lock.release();
  } catch (error) {
    process.stdout.write(error instanceof TrajlabError ? "busy\n" : `error ${errorMessage(error)}\n`);
  }
  process.stdout.write("done\n");
}
