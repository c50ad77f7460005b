/**
 * Runs every benchmark in bench/ one after another, each in its own process
 * so they do not disturb each other's memory and JIT state.
 *
 *   npm run bench            # all of them
 *   npm run bench -- review  # those whose file name contains "review"
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const files = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run-all.ts" && !file.startsWith("_") && file.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", join(here, file)], { stdio: "inherit" });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
