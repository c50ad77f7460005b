import { build } from "../../scripts/build.js";

/**
 * vitest's global setup: compiles dist/ before any test runs, so every test
 * that starts the real binary (bin/trajlab.js runs dist/) runs today's code.
 */
export default function setup(): void {
  const started = performance.now();
  const kind = build();
  if (kind !== "up to date") process.stderr.write(`trajlab build: ${kind} (${Math.round(performance.now() - started)} ms)\n`);
}
