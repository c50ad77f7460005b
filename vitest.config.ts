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
    globalSetup: ["tests/support/build-dist.ts"],
  },
});
