import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// tests/ mirrors the source folders. Tests that need a real provider or the
// network are *.int.test.ts and run only with `npm run test:int`. dist/ is
// built first (incrementally), since CLI tests run the compiled binary.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    exclude: ["tests/**/*.int.test.{ts,tsx}", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most of a CLI test's time is spent waiting on the processes it starts, so two files at once
    // keep even a 2-core machine busy (vitest's default there is one): the suite in ~540 s instead
    // of ~840 s on one, with every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ["tests/support/build-dist.ts"],
  },
});
