import { build } from "../../scripts/build.js";

/**
 * vitest's global setup: compiles dist/ before any test runs, so every test
 * that starts the real binary (bin/trajlab.js runs dist/) runs today's code.
 * Type errors are reported but do not stop the tests, as vitest runs the
 * sources without type-checking them; `npm test` type-checks first.
 */
export default function setup(): void {
  const started = performance.now();
  const { kind, typeErrors } = build();
  if (typeErrors) process.stderr.write(`trajlab build: dist/ written despite type errors:\n${typeErrors}`);
  if (kind !== "up to date") process.stderr.write(`trajlab build: ${kind} (${Math.round(performance.now() - started)} ms)\n`);
}
