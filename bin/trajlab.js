#!/usr/bin/env node
// trajlab's command line: the compiled CLI in dist/ (built by `npm run build`, which
// `npm install` runs in a clone). Users' trajlab.config.ts files are loaded with tsx, and
// only when there is one; nothing else here needs a TypeScript loader.
// A reader that stops early (`trajlab list scenarios | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}
let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist")) throw error;
  process.stderr.write(
    "trajlab: the compiled CLI (dist/) is missing\n  fix: run `npm run build` in trajlab's folder (npm install does it too)\n",
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
