import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder, trajlab } from "../support/cli.js";
import { PACKAGE, projectWith, ROOT } from "../support/project.js";
import { execFile } from "node:child_process";

describe("the version", () => {
  it("trajlab --version prints the version in package.json", async () => {
    const result = await trajlab(["--version"], { cwd: await tempFolder() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(PACKAGE.version);
  });

  it("npx trajlab --version gives the same in a project where trajlab is installed (npx finds the local binary)", async () => {
    const cwd = await projectWith({});
    const stdout = await new Promise<string>((done, fail) =>
      execFile("npx", ["--no-install", "trajlab", "--version"], { cwd }, (error, out) => (error ? fail(error) : done(out))),
    );
    expect(stdout.trim()).toBe(PACKAGE.version);
  });

  it("CHANGELOG.md has an Unreleased section and one for the version in package.json", async () => {
    const changelog = await readFile(join(ROOT, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(/^## Unreleased$/m);
    expect(changelog).toMatch(new RegExp(`^## ${PACKAGE.version.replaceAll(".", "\\.")} - \\d{4}-\\d{2}-\\d{2}$`, "m"));
  });
});
