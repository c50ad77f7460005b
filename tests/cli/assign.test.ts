import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planRecord } from "../reviews/agreement/records.js";
import { standardRun, tempRunsDir } from "../reviews/fixtures.js";
import { trajlab } from "../support/cli.js";

let runsDir: string;
const run = (args: string[]) => trajlab(args, { cwd: runsDir, env: { TRAJLAB_RUNS_DIR: runsDir } });

beforeAll(async () => {
  runsDir = await tempRunsDir();
  await standardRun(runsDir);
}, 60_000);

describe("trajlab assign", () => {
  it("writes an assignment to the run and prints each reviewer's load and overlap", async () => {
    const result = await run(["assign", "run-1", "--reviewers", "ana,bo,cy", "--overlap", "2", "--seed", "5", "--adjudicators", "lead"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("4 trajectories, 2 reviewer(s) each; seed 5");
    expect(result.stdout).toContain("adjudicators: lead");
    const file = JSON.parse(await readFile(join(runsDir, "run-1", "reviews", "assignment.json"), "utf8"));
    expect(file).toMatchObject({ schemaVersion: 1, seed: 5, overlap: 2, reviewers: ["ana", "bo", "cy"], adjudicators: ["lead"] });
    expect(file.items).toHaveLength(4);
    // Eight places over three reviewers: loads of 3, 3 and 2, as printed.
    const loads = file.reviewers.map(
      (r: string) => file.items.filter((item: { reviewers: string[] }) => item.reviewers.includes(r)).length,
    );
    expect([...loads].sort()).toEqual([2, 3, 3]);
    file.reviewers.forEach((r: string, i: number) => expect(result.stdout).toMatch(new RegExp(`^${r}\\s+${loads[i]}\\s`, "m")));
  });

  it("refuses to replace an assignment unless asked, and changes roles alone", async () => {
    const again = await run(["assign", "run-1", "--reviewers", "ana,bo", "--overlap", "2"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already has an assignment");
    expect(again.stderr).toContain("--replace");
    const roles = await run(["assign", "run-1", "--adjudicators", "lead,sam"]);
    expect(roles.code).toBe(0);
    const file = JSON.parse(await readFile(join(runsDir, "run-1", "reviews", "assignment.json"), "utf8"));
    expect(file.adjudicators).toEqual(["lead", "sam"]);
    expect(file.items).toHaveLength(4);
    const clash = await run(["assign", "run-1", "--adjudicators", "ana"]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("ana cannot both review and adjudicate");
  });

  it("shows each assigned reviewer's progress in list runs", async () => {
    const file = JSON.parse(await readFile(join(runsDir, "run-1", "reviews", "assignment.json"), "utf8"));
    const anaFirst = file.items.find((item: { reviewers: string[] }) => item.reviewers.includes("ana")).trajectoryId;
    await writeFile(join(runsDir, "run-1", "reviews", "ana.jsonl"), `${JSON.stringify(planRecord("ana", anaFirst, "pass", 4))}\n`);
    const list = await run(["list", "runs"]);
    expect(list.code).toBe(0);
    const load = (r: string) => file.items.filter((item: { reviewers: string[] }) => item.reviewers.includes(r)).length;
    expect(list.stdout).toContain(`ana 1/${load("ana")}, bo 0/${load("bo")}, cy 0/${load("cy")}`);
    const json = JSON.parse((await run(["list", "runs", "--json"])).stdout);
    expect(json[0].assigned).toEqual([
      { reviewer: "ana", assigned: load("ana"), done: 1, started: 0 },
      { reviewer: "bo", assigned: load("bo"), done: 0, started: 0 },
      { reviewer: "cy", assigned: load("cy"), done: 0, started: 0 },
    ]);
  });
});
