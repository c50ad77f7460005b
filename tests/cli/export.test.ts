import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempRunsDir } from "../reviews/fixtures.js";
import { writeExportRun } from "../reviews/export/fixture.js";
import { trajlab } from "../support/cli.js";

let runsDir: string;
const run = (args: string[]) => trajlab(["export", ...args], { cwd: runsDir, env: { TRAJLAB_RUNS_DIR: runsDir } });

beforeAll(async () => {
  runsDir = await tempRunsDir();
  await writeExportRun(runsDir);
}, 60_000);

describe("trajlab export", () => {
  it("writes one JSON object per line to --out and says what it left out", async () => {
    const result = await run(["sft", "run-x", "--out", "sft.jsonl"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("wrote 2 sft record(s) to sft.jsonl; left out: 1 × a step was judged flawed, 1 × plan failed\n");
    const lines = (await readFile(join(runsDir, "sft.jsonl"), "utf8")).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).provenance.trajectoryId)).toEqual(["tr-good", "tr-trip"]);
    // Written aside and renamed: no temporary file is left.
    expect((await readdir(runsDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("writes to standard output, with filters applied", async () => {
    const result = await run(["kto", "--domain", "travel"]);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.provenance.trajectoryId, row.label])).toEqual([["tr-trip", true]]);
  });

  it("lists every kind in --help", async () => {
    const result = await trajlab(["export", "--help"], { cwd: runsDir });
    for (const kind of ["sft", "openai-sft", "dpo", "openai-dpo", "kto", "prm", "prm-ratings"])
      expect(result.stdout).toMatch(new RegExp(`^  ${kind} +\\S`, "m"));
  });

  it("refuses an unknown kind and a bad --min-agreement, naming what is allowed, and writes nothing", async () => {
    const unknown = await run(["sfft", "--out", "nope.jsonl"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('trajlab export "sfft": no such kind');
    expect(unknown.stderr).toContain("kinds: sft, openai-sft, dpo, openai-dpo, kto, prm, prm-ratings");
    expect(existsSync(join(runsDir, "nope.jsonl"))).toBe(false);
    const bad = await run(["sft", "--min-agreement", "2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--min-agreement expects a share between 0 and 1");
  });
});
