import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scenarioDigest } from "../../harness/runner/resume.js";
import { builtinScenarios } from "../../scenarios/index.js";
import { BIN, tempFolder, trajlab } from "../support/cli.js";
import { eventually } from "../reviews/render.js";

/**
 * `trajlab run --resume`: an interrupted run is finished without running a
 * recorded trial again and without touching what was recorded.
 */

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");
const ids = (text: string): string[] => lines(text).map((line) => (JSON.parse(line) as { id: string }).id);

describe("trajlab run --resume (and list runs)", () => {
  it("runs only the trials a run has not recorded, cuts a torn last line, completes the grades and notes the resume in the manifest", async () => {
    const cwd = await tempFolder();
    const first = await trajlab(["run", "-s", "retail.*", "-p", "reference", "-k", "2", "--run-id", "r1", "-q"], { cwd });
    expect(first.code).toBe(0);
    const dir = join(cwd, "runs", "r1");
    const complete = await readFile(join(dir, "trajectories.jsonl"), "utf8");
    const all = ids(complete);
    expect(all).toHaveLength(22);

    // What an interruption leaves: six trajectories, half of a seventh, grades for four and a half, no summary.
    const kept = `${lines(complete).slice(0, 6).join("\n")}\n`;
    const fragment = lines(complete)[6]!.slice(0, 300);
    await writeFile(join(dir, "trajectories.jsonl"), kept + fragment);
    const grades = lines(await readFile(join(dir, "grades.jsonl"), "utf8"));
    const perTrajectory = grades.filter((line) => line.includes(`"trajectoryId":"${all[0]}"`)).length;
    await writeFile(join(dir, "grades.jsonl"), `${grades.slice(0, perTrajectory * 4 + 2).join("\n")}\n`);
    await rm(join(dir, "summary.json"));

    const listed = await trajlab(["list", "runs"], { cwd });
    expect(listed.stdout).toMatch(/r1\s+\S+ \S+\s+policy:reference\s+6\/22\s+-\s+interrupted\s+-/);
    expect(listed.stdout).toContain("finish an interrupted run with: npx trajlab run --resume r1");

    const resumed = await trajlab(["run", "--resume", "r1", "--json"], { cwd });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain("resuming run r1: 6 of 22 trial(s) already recorded, 16 to run");
    expect(resumed.stderr).toMatch(/cut a torn last line from .*trajectories\.jsonl:7/);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: "r1", trajectories: 22, passed: 22 });

    const after = await readFile(join(dir, "trajectories.jsonl"), "utf8");
    expect(after.startsWith(kept)).toBe(true);
    expect(ids(after).sort()).toEqual([...all].sort());
    expect(await readFile(join(dir, "trajectories.jsonl.torn"), "utf8")).toBe(`${fragment}\n`);
    const pairs = lines(await readFile(join(dir, "grades.jsonl"), "utf8")).map((line) => {
      const grade = JSON.parse(line) as { trajectoryId: string; grader: string };
      return `${grade.trajectoryId} ${grade.grader}`;
    });
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toHaveLength(22 * perTrajectory);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    expect(manifest.resumes).toEqual([{ at: expect.any(String), command: ["run", "--resume", "r1", "--json"], trials: 16 }]);
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
    const [row] = JSON.parse((await trajlab(["list", "runs", "--json"], { cwd })).stdout);
    expect(row).toMatchObject({ id: "r1", recorded: 22, planned: 22, passed: 22, status: "complete", reviewers: [] });

    // A finished run has nothing left to run; nothing recorded changes.
    const again = await trajlab(["run", "--resume", "r1", "-q"], { cwd });
    expect(again.code).toBe(0);
    expect(await readFile(join(dir, "trajectories.jsonl"), "utf8")).toBe(after);
  }, 60_000);

  it("counts a fresh run as it records: its summary and JUnit report are what reading its files back gives", async () => {
    const cwd = await tempFolder();
    const args = ["-s", "retail.*", "-p", "reference", "-p", "wasteful", "-k", "2", "-c", "6"];
    const fresh = await trajlab(["run", ...args, "--run-id", "r1", "--json", "-q", "--junit", "fresh.xml"], { cwd });
    expect(fresh.code).toBe(0);
    const dir = join(cwd, "runs", "r1");
    const summary = await readFile(join(dir, "summary.json"), "utf8");
    expect(JSON.parse(summary)).toMatchObject({ trajectories: 44 });
    // Nothing is left to run: the resume counts the run from its files, and keeps its wall time.
    const reread = await trajlab(["run", "--resume", "r1", "--json", "-q", "--junit", "reread.xml"], { cwd });
    expect(reread.code).toBe(0);
    expect(await readFile(join(dir, "summary.json"), "utf8")).toBe(summary);
    expect(JSON.parse(reread.stdout)).toEqual(JSON.parse(fresh.stdout));
    const junit = async (file: string) => (await readFile(join(cwd, file), "utf8")).replace(/ timestamp="[^"]*"/, "");
    expect(await junit("reread.xml")).toBe(await junit("fresh.xml"));
  }, 60_000);

  it("refuses options that would change what the run runs, naming them", async () => {
    const cwd = await tempFolder();
    expect((await trajlab(["run", "-s", "retail.where-is-my-order", "--run-id", "r1", "-q"], { cwd })).code).toBe(0);
    const result = await trajlab(["run", "--resume", "r1", "--policy", "wasteful", "--repeat", "3", "--concurrency", "2"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--resume continues a run with the settings in its manifest.json; leave out --policy, --repeat");
    const missing = await trajlab(["run", "--resume", "nope"], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run "nope"/);
  }, 30_000);

  it("refuses to resume a run whose scenario changed since it was recorded", async () => {
    const cwd = await tempFolder();
    expect((await trajlab(["run", "-s", "retail.where-is-my-order", "-k", "2", "--run-id", "r1", "-q"], { cwd })).code).toBe(0);
    const file = join(cwd, "runs", "r1", "manifest.json");
    const manifest = JSON.parse(await readFile(file, "utf8"));
    const digest = manifest.settings.scenarioDigests["retail.where-is-my-order"];
    expect(digest).toBe(scenarioDigest(builtinScenarios().find((s) => s.id === "retail.where-is-my-order")!));
    manifest.settings.scenarioDigests["retail.where-is-my-order"] = "0000000000000000";
    await writeFile(file, JSON.stringify(manifest));
    const result = await trajlab(["run", "--resume", "r1"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("scenario retail.where-is-my-order has changed since run r1 was recorded");
  }, 30_000);

  it("digests a scenario by what it is: stable, and different when its task, data or plan differ", () => {
    const scenario = builtinScenarios().find((s) => s.id === "retail.cancel-pending-order")!;
    const digest = scenarioDigest(scenario);
    expect(scenarioDigest(scenario)).toBe(digest);
    expect(scenarioDigest({ ...scenario, task: `${scenario.task} Thanks!` })).not.toBe(digest);
    expect(scenarioDigest({ ...scenario, maxSteps: scenario.maxSteps + 1 })).not.toBe(digest);
    expect(scenarioDigest({ ...scenario, reference: { ...scenario.reference, calls: scenario.reference.calls.slice(0, -1) } })).not.toBe(
      digest,
    );
  });

  it("never runs beside another trajlab run writing the same run; a lock left by a dead process is taken over", async () => {
    const cwd = await tempFolder();
    expect((await trajlab(["run", "-s", "retail.where-is-my-order", "--run-id", "r1", "-q"], { cwd })).code).toBe(0);
    const lock = join(cwd, "runs", "r1", "run.lock");
    expect(existsSync(lock)).toBe(false);
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      await writeFile(
        lock,
        JSON.stringify({ pid: holder.pid, host: hostname(), since: "2026-11-21T08:00:00.000Z", purpose: "trajlab run r1" }),
      );
      const busy = await trajlab(["run", "--resume", "r1"], { cwd });
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(`run r1 is in use by trajlab run (pid ${holder.pid}, since 2026-11-21T08:00:00.000Z)`);
      expect(JSON.parse((await trajlab(["list", "runs", "--json"], { cwd })).stdout)[0].status).toBe("running");
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.on("exit", resolve));
    const resumed = await trajlab(["run", "--resume", "r1", "-q"], { cwd });
    expect(resumed.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 30_000);

  it("on Ctrl-C keeps what finished, exits 130 and says how to continue; --resume finishes the run", async () => {
    const cwd = await tempFolder();
    const child = spawn(process.execPath, [BIN, "run", "-p", "reference", "-k", "3", "-c", "1", "--run-id", "r2"], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", TRAJLAB_RUNS_DIR: "" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const file = join(cwd, "runs", "r2", "trajectories.jsonl");
    await eventually(
      () => existsSync(file) && readFileSync(file, "utf8").includes("\n"),
      () => "a first trajectory on disk",
      60_000,
    );
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted: \d+ of 135 trial\(s\) recorded in .*r2\ncontinue with: npx trajlab run --resume r2/);
    expect(existsSync(join(cwd, "runs", "r2", "run.lock"))).toBe(false);
    const recorded = ids(readFileSync(file, "utf8"));
    expect(recorded.length).toBeLessThan(135);

    const resumed = await trajlab(["run", "--resume", "r2", "-q", "--json"], { cwd });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ trajectories: 135, passed: 135 });
    const finished = ids(await readFile(file, "utf8"));
    expect(new Set(finished).size).toBe(135);
    expect(finished.slice(0, recorded.length)).toEqual(recorded);
  }, 120_000);
});
