import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.int.test.{ts,tsx}"],
    testTimeout: 120_000,
    globalSetup: ["tests/support/build-dist.ts"],
  },
});
