import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempFolder, trajlab } from "../../support/cli.js";
import { FAULT_KINDS } from "../../../scenarios/index.js";

let cwd: string;
let runDir: string;

beforeAll(async () => {
  cwd = await tempFolder();
  const run = await trajlab(["run", "-s", "retail.cancel-pending-order", "-s", "retail.where-is-my-order", "--run-id", "r1", "-q"], {
    cwd,
  });
  expect(run.code).toBe(0);
  runDir = join(cwd, "runs", "r1");
}, 120_000);

const read = (name: string) => readFile(join(runDir, name), "utf8");

describe("trajlab grade", () => {
  it("is idempotent: grading twice gives the same grades.jsonl byte for byte, with no backup", async () => {
    const first = await trajlab(["grade", "r1"], { cwd });
    expect(first.code).toBe(0);
    const before = await read("grades.jsonl");
    const second = await trajlab(["grade", "r1"], { cwd });
    expect(second.code).toBe(0);
    expect(await read("grades.jsonl")).toBe(before);
    expect(readdirSync(runDir).filter((name) => name.startsWith("grades."))).toEqual(["grades.jsonl"]);
    const graders = new Set(
      before
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).grader),
    );
    expect(graders).toEqual(
      new Set(["outcome", "trajectory-match", "repeated-calls", "unused-results", "futile-calls", "undone-writes", "detours"]),
    );
  });

  it("verifies skippable calls by replay, keeps the replays and links them from the labels; a backup keeps the earlier grades", async () => {
    const result = await trajlab(["grade", "r1", "--replay"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/4 replay\(s\) written to .*replays\.jsonl/);
    expect(result.stderr).toMatch(/previous grades kept in .*grades\.[0-9T-]+Z\.jsonl/);
    const grades = (await read("grades.jsonl"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const verified = grades.filter((g) => g.grader === "replay").flatMap((g) => g.steps);
    expect(verified).toHaveLength(4);
    const replays = (await read("replays.jsonl"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    for (const step of verified) {
      expect(step.label).toBe("skippable");
      expect(replays.find((r) => r.replayId === step.replay)).toMatchObject({
        eventId: step.eventId,
        verdict: "skippable",
        strategy: "fork",
      });
    }
    const again = await read("grades.jsonl");
    expect((await trajlab(["grade", "r1", "--replay"], { cwd })).code).toBe(0);
    expect(await read("grades.jsonl")).toBe(again);
  });

  it("says which runs exist when asked for one that does not", async () => {
    const result = await trajlab(["grade", "nope"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run "nope"');
  });
});

describe("trajlab validate-graders", () => {
  it("prints precision and recall per fault kind as JSON", async () => {
    const result = await trajlab(
      ["validate-graders", "--json", "--seeds", "1", "-s", "retail.cancel-pending-order", "-s", "retail.return-damaged-mug"],
      { cwd },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.scenarios).toBe(2);
    const repeated = report.kinds.find((k: { kind: string }) => k.kind === "repeated_call");
    expect(repeated).toMatchObject({ grader: "repeated-calls", label: "skippable", target: 0.9, meetsTarget: true });
    expect(repeated.truePositives).toBeGreaterThan(0);
    // One row per label that declares a fault kind, in the order the fault kinds are listed.
    expect(report.kinds.map((k: { kind: string }) => k.kind)).toEqual([...FAULT_KINDS]);
  });
});
