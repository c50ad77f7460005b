import { existsSync, readdirSync } from "node:fs";
import { readFile, rename, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asTrajlabError } from "../../harness/core.js";
import { tempFolder, trajlab } from "../support/cli.js";
import { projectWith } from "../support/project.js";

/** Bad input and a bad environment: exit 2 with what happened and the fix, and nothing written where it should not be. */

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");

const CONFIG = `import { z } from "zod";
import { defineAgent, defineConfig, defineEnvironment, defineScenario, defineTool } from "trajlab";

const env = defineEnvironment({
  id: "async",
  description: "a desk",
  instructions: "help",
  initialState: {},
  tools: [defineTool({ name: "fetch_note", description: "reads", args: z.object({}), effect: "read", run: async () => ({ note: 1 }) })],
});
export const asyncTool = defineScenario({
  id: "async.note",
  title: "a tool that returns a Promise",
  environment: env,
  task: "read the note",
  reference: { calls: [{ tool: "fetch_note", args: {} }], answer: "1" },
});
export default defineConfig({
  scenarios: [asyncTool],
  agents: [defineAgent({ id: "no-graph", build: () => ({ graph: "not really" }) })],
});
`;

describe("trajlab run refuses bad input and a bad environment with the fix", () => {
  it("validates run ids, and resumes a copied or renamed run under the id its manifest records", async () => {
    const cwd = await tempFolder();
    for (const id of ["../../escaped", "a/b/c", ".."]) {
      const result = await trajlab(["run", "-s", "retail.where-is-my-order", "--run-id", id, "-q"], { cwd });
      expect(result.code, id).toBe(2);
      expect(result.stderr).toContain(`--run-id ${JSON.stringify(id)} cannot name a run folder`);
    }
    expect(readdirSync(cwd)).toEqual([]);

    expect((await trajlab(["run", "-s", "retail.*", "-p", "reference", "--run-id", "r1", "-q"], { cwd })).code).toBe(0);
    const file = join(cwd, "runs", "r1", "trajectories.jsonl");
    const all = lines(await readFile(file, "utf8"));
    await writeFile(file, `${all.slice(0, 4).join("\n")}\n`);
    await rename(join(cwd, "runs", "r1"), join(cwd, "runs", "copy"));
    const resumed = await trajlab(["run", "--resume", "copy", "-q", "--json"], { cwd });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toBe("");
    const after = lines(await readFile(join(cwd, "runs", "copy", "trajectories.jsonl"), "utf8")).map((line) => JSON.parse(line));
    expect(after.map((t) => t.id).sort()).toEqual(all.map((line) => JSON.parse(line).id).sort());
    expect(new Set(after.map((t) => t.runId))).toEqual(new Set(["r1"]));
    expect(JSON.parse(await readFile(join(cwd, "runs", "copy", "manifest.json"), "utf8")).resumes).toEqual([
      expect.objectContaining({ trials: all.length - 4 }),
    ]);

    // A resume with nothing left to run changes nothing, the run's wall time included.
    const summary = await readFile(join(cwd, "runs", "copy", "summary.json"), "utf8");
    expect((await trajlab(["run", "--resume", "copy", "-q"], { cwd })).code).toBe(0);
    expect(await readFile(join(cwd, "runs", "copy", "summary.json"), "utf8")).toBe(summary);
  }, 90_000);

  it("says so when --runs-dir is a file, a builder returns no graph, a tool returns a Promise or a config exports an array", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    await writeFile(join(cwd, "not-a-folder"), "");
    const notFolder = await trajlab(["run", "-s", "retail.where-is-my-order", "--runs-dir", "not-a-folder/runs", "-q"], { cwd });
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toMatch(/trajlab: \S*not-a-folder\/runs\S*: part of this path is a file, where a folder was expected/);
    expect(notFolder.stderr).toContain("fix: --runs-dir (or TRAJLAB_RUNS_DIR) must name a folder");

    const noGraph = await trajlab(["run", "-a", "no-graph", "-s", "retail.where-is-my-order", "-p", "reference", "--run-id", "g", "-q"], {
      cwd,
    });
    expect(noGraph.code).toBe(2);
    expect(noGraph.stderr).toContain(
      'agent "no-graph" (trajlab.config.ts) returned an object {"graph":"not really"} from build for scenario retail.where-is-my-order, which is not a graph',
    );
    expect(noGraph.stderr).not.toContain("this is a bug");

    const promised = await trajlab(["run", "-s", "async.*", "-q"], { cwd });
    expect(promised.code).toBe(2);
    expect(promised.stderr).toContain('tool "fetch_note" returned a Promise');
    expect(promised.stderr).toContain("nothing was run");
    expect(existsSync(join(cwd, "runs"))).toBe(true);
    expect(readdirSync(join(cwd, "runs"))).toEqual(["g"]);

    await writeFile(join(cwd, "trajlab.config.ts"), "export default [];\n");
    const array = await trajlab(["list", "agents"], { cwd });
    expect(array.code).toBe(2);
    expect(array.stderr).toContain("trajlab.config.ts exports an array of 0 as its configuration, not an object");
  }, 90_000);

  it("lists a run with a damaged or missing manifest as damaged, with the fix, beside the others", async () => {
    const cwd = await tempFolder();
    expect((await trajlab(["run", "-s", "retail.where-is-my-order", "-p", "reference", "--run-id", "good", "-q"], { cwd })).code).toBe(0);
    await mkdir(join(cwd, "runs", "broken"));
    await writeFile(join(cwd, "runs", "broken", "manifest.json"), "{ not json");
    await mkdir(join(cwd, "runs", "lost"));
    await writeFile(join(cwd, "runs", "lost", "trajectories.jsonl"), await readFile(join(cwd, "runs", "good", "trajectories.jsonl")));
    const listed = await trajlab(["list", "runs"], { cwd });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/broken\s+-\s+-\s+0\/\?\s+-\s+damaged/);
    expect(listed.stdout).toMatch(/good\s+\S+ \S+\s+policy:reference\s+1\/1\s+1\s+complete/);
    expect(listed.stdout).toMatch(/lost\s+-\s+-\s+1\/\?\s+-\s+damaged/);
    expect(listed.stdout).toContain("manifest.json: not valid JSON");
    expect(listed.stdout).toContain("fix: fix the file at the position named");
    expect(listed.stdout).toContain("lost/manifest.json is missing; the run's trajectories are there");
    const rows = JSON.parse((await trajlab(["list", "runs", "--json"], { cwd })).stdout);
    expect(rows.map((row: { id: string; status: string }) => [row.id, row.status])).toEqual([
      ["broken", "damaged"],
      ["good", "complete"],
      ["lost", "damaged"],
    ]);
  }, 60_000);
});

describe("duplicate trajectory ids", () => {
  it("are refused by report, grade and resume, naming the lines, and the fix given repairs the run", async () => {
    const cwd = await tempFolder();
    expect((await trajlab(["run", "-s", "retail.where-is-my-order", "-k", "2", "--run-id", "r1", "-q"], { cwd })).code).toBe(0);
    const file = join(cwd, "runs", "r1", "trajectories.jsonl");
    const recorded = lines(await readFile(file, "utf8"));
    expect(recorded).toHaveLength(4);
    await writeFile(file, `${[...recorded, recorded[1]!].join("\n")}\n`);
    const id = JSON.parse(recorded[1]!).id as string;
    for (const args of [
      ["report", "r1"],
      ["grade", "r1"],
      ["run", "--resume", "r1"],
    ]) {
      const result = await trajlab(args, { cwd });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(
        `trajectories.jsonl: 1 trajectory id(s) recorded more than once (${id}); the later copies are on line(s) 5`,
      );
      expect(result.stderr).toContain(
        `fix: keep the first line of each id (compare the copies first if they may differ): sed -i '5d' ${file}`,
      );
    }
    const { execFileSync } = await import("node:child_process");
    execFileSync("sed", ["-i", "5d", file]);
    const report = await trajlab(["report", "r1", "--json"], { cwd });
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).overall.trials).toBe(4);
  }, 60_000);
});

describe("asTrajlabError", () => {
  const systemError = (code: string, syscall: string, path: string): NodeJS.ErrnoException =>
    Object.assign(new Error(`${code}: ${syscall} ${path}`), { code, syscall, path });

  it("explains file-system failures with their fix and leaves other errors as bugs", () => {
    expect(asTrajlabError(systemError("EACCES", "mkdir", "/srv/runs"))).toMatchObject({
      code: "FS_PERMISSION",
      message: "permission denied: cannot create the folder /srv/runs",
    });
    expect(asTrajlabError(systemError("ENOSPC", "write", "/srv/runs/r1/trajectories.jsonl"))).toMatchObject({
      code: "DISK_FULL",
      message: "no space left on the device writing /srv/runs/r1/trajectories.jsonl",
      hint: expect.stringContaining("everything written before is kept"),
    });
    expect(asTrajlabError(new TypeError("x is undefined"))).toBeNull();
    expect(asTrajlabError(Object.assign(new Error("no syscall"), { code: "ENOENT" }))).toBeNull();
  });
});
