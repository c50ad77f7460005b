import { cp, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildResult } from "../../scripts/build.js";
import { tempFolder } from "../support/cli.js";

/**
 * scripts/build.js on a copy of the project (sources, settings, scripts and
 * the dist/ built from them; node_modules linked): what it calls up to date,
 * and what it does not.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const COPIED = ["index.ts", "errors", "cli", "harness", "agents", "scenarios", "reviews", "scripts", "dist"];
const SETTINGS = ["tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];
const PROMPT = "harness/graders/judge/prompts/system.md";

let copy: string;
let build: () => BuildResult;

beforeAll(async () => {
  copy = await tempFolder("trajlab-build-");
  for (const path of [...COPIED, ...SETTINGS]) await cp(join(ROOT, path), join(copy, path), { recursive: true, preserveTimestamps: true });
  await symlink(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  ({ build } = (await import(pathToFileURL(join(copy, "scripts/build.js")).href)) as { build: () => BuildResult });
});

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe("scripts/build.js", () => {
  it("builds nothing when nothing changed, even when every file is newer than the last build", async () => {
    const now = new Date();
    for (const path of [...COPIED.filter((path) => path !== "dist"), ...SETTINGS]) await utimes(join(copy, path), now, now);
    await utimes(join(copy, PROMPT), now, now);
    expect(build().kind).toBe("up to date");
  }, 120_000);

  it("rebuilds a changed file whose modification time is older than the last build (as tar, rsync -a and cp -p restore it)", async () => {
    const changed = `${await readFile(join(copy, PROMPT), "utf8")}\nOne more line.\n`;
    await writeFile(join(copy, PROMPT), changed);
    const longAgo = new Date("2001-01-01T00:00:00Z");
    await utimes(join(copy, PROMPT), longAgo, longAgo);
    expect(build().kind).toBe("incremental");
    expect(await readFile(join(copy, "dist", PROMPT), "utf8")).toBe(changed);
    expect(build().kind).toBe("up to date");
  }, 120_000);
});
