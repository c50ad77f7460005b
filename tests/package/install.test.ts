import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempFolder } from "../support/cli.js";
import { TmuxServer } from "../support/tmux.js";
import { eventually } from "../reviews/render.js";

/**
 * trajlab as a user gets it: the tarball `npm pack` makes, installed with
 * `npm install <tarball>` into an empty project (dependencies from the
 * registry), then used the three ways people use it: the `trajlab` command,
 * the review screen in a real terminal, and `import ... from "trajlab"` in a
 * plain Node script and in TypeScript.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

interface PackedFile {
  path: string;
}

let project: string;
let packed: string[];
const tmux = new TmuxServer("package");

/** Runs a program in the project folder; resolves with its output and exit status, never throws. */
async function inProject(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: project, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const trajlab = (...args: string[]) => inProject("npx", ["--no-install", "trajlab", ...args]);

beforeAll(async () => {
  const packDir = await tempFolder("trajlab-pack-");
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: ROOT, maxBuffer: 16 << 20 });
  const [info] = JSON.parse(stdout) as [{ filename: string; files: PackedFile[] }];
  packed = info.files.map((file) => file.path);
  project = await tempFolder("trajlab-installed-");
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "my-evals", private: true, type: "module" }));
  await run("npm", ["install", join(packDir, info.filename), "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: project,
    maxBuffer: 16 << 20,
  });
}, 300_000);

afterAll(() => tmux.kill());

describe("the packed package", () => {
  it("ships the compiled code, its declarations and the judge's prompts, and no tests or sources", () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        "bin/trajlab.js",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/cli/main.js",
        "dist/harness/graders/judge/prompts/system.md",
        "package.json",
        "README.md",
      ]),
    );
    expect(packed.filter((path) => /^(tests|bench|scripts)\//.test(path))).toEqual([]);
    expect(packed.filter((path) => /\.tsx?$/.test(path) && !path.endsWith(".d.ts"))).toEqual([]);
    expect(packed.filter((path) => path.includes("tsbuildinfo") || path.includes("build-stamp"))).toEqual([]);
  });

  it("installs one copy of LangChain's core and LangGraph, as the project's own (peer) dependencies", () => {
    const version = (name: string, dir = project) =>
      (JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    // The newest releases within the peer ranges, while trajlab's own tests run on the lowest (package-lock.json).
    expect(version("@langchain/core")).toMatch(/^1\.2\.\d+$/);
    expect(version("@langchain/langgraph")).toMatch(/^1\.4\.\d+$/);
    const nested = join(project, "node_modules", "trajlab", "node_modules", "@langchain");
    expect(existsSync(nested) ? readdirSync(nested) : []).not.toContain("core");
  });
});

describe("the installed trajlab command", () => {
  it("runs a suite offline and reports on it", async () => {
    const ran = await trajlab("run", "--scenario", "retail.cancel-pending-order", "--policy", "reference", "--run-id", "first");
    expect(ran.stderr).not.toMatch(/Error/);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("1/1 passed");
    expect(ran.stdout).toContain("run saved to");
    expect(
      readFileSync(join(project, "runs", "first", "trajectories.jsonl"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(1);
    const report = await trajlab("report", "first", "--json");
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ runId: "first" });
  });

  it("loads the project's trajlab.config.ts (TypeScript, through tsx) and runs the agent it registers", async () => {
    await writeFile(
      join(project, "trajlab.config.ts"),
      [
        'import { createAgent } from "langchain";',
        'import { defineAgent, defineConfig, type AgentBuildContext } from "trajlab";',
        "const build = ({ model, tools }: AgentBuildContext) => createAgent({ model, tools, name: 'terse' });",
        'export default defineConfig({ agents: [defineAgent({ id: "terse-react", description: "ReAct, no prompt", rootAgent: "terse", build })] });',
        "",
      ].join("\n"),
    );
    try {
      const listed = await trajlab("list", "agents", "--json");
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as { id: string }[]).map((agent) => agent.id)).toContain("terse-react");
      const ran = await trajlab("run", "-s", "retail.cancel-pending-order", "-p", "reference", "-a", "terse-react", "--json", "-q");
      expect(ran.code).toBe(0);
      expect(JSON.parse(ran.stdout)).toMatchObject({ trajectories: 1, rows: [{ agent: "terse-react" }] });
    } finally {
      execFileSync("rm", ["-f", join(project, "trajlab.config.ts")]);
    }
  });

  it("opens the review screen in a real terminal and quits cleanly", async () => {
    await trajlab("run", "--scenario", "retail.*", "--policy", "wasteful", "--run-id", "to-review");
    // The shell writes the exit status itself: tmux can mark the pane dead before it has collected it.
    const statusFile = join(project, "review.status");
    tmux.start("review", `npx --no-install trajlab review to-review --reviewer pkg; printf '%s' "$?" > ${statusFile}`, { cwd: project });
    await tmux.waitFor("review", (text) => text.includes("to-review") && text.includes("reviewed"), "the review queue");
    tmux.keys("review", "q");
    await tmux.waitFor("review", (text) => text.includes("reviews saved in"), "the goodbye line", { history: true });
    const ended = await eventually(
      () => existsSync(statusFile) && readFileSync(statusFile, "utf8"),
      () => `the review to exit; the screen was:\n${tmux.screen("review")}`,
      10_000,
    );
    expect(ended, tmux.screen("review")).toBe("0");
  }, 60_000);
});

describe('import ... from "trajlab"', () => {
  it("works from a plain Node script, with no TypeScript loader", async () => {
    await writeFile(
      join(project, "script.mjs"),
      [
        'import { readFileSync } from "node:fs";',
        'import { TrajectorySchema, builtinScenarios, matchTrajectory } from "trajlab";',
        'const [line] = readFileSync("runs/first/trajectories.jsonl", "utf8").trim().split("\\n");',
        "const trajectory = TrajectorySchema.parse(JSON.parse(line));",
        "const match = matchTrajectory(trajectory, trajectory.reference);",
        "console.log(JSON.stringify({ scenarios: builtinScenarios().length, scenario: trajectory.scenarioId, score: match.score }));",
        "",
      ].join("\n"),
    );
    const result = await inProject(process.execPath, ["script.mjs"]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ scenarios: expect.any(Number), scenario: "retail.cancel-pending-order", score: 1 });
    expect((JSON.parse(result.stdout) as { scenarios: number }).scenarios).toBeGreaterThan(10);
  });

  it("type-checks against the shipped declarations, which are not `any`", async () => {
    await writeFile(
      join(project, "check.ts"),
      [
        'import { builtinScenarios, defineAgent, type Scenario, type Trajectory } from "trajlab";',
        "const first: Scenario | undefined = builtinScenarios()[0];",
        "export const id: string | undefined = first?.id;",
        "export const termination = (t: Trajectory): string => t.termination.reason;",
        "// @ts-expect-error an agent needs a build function",
        'export const broken = defineAgent({ id: "x" });',
        "",
      ].join("\n"),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const args = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "check.ts"];
    const result = await inProject(process.execPath, [tsc, ...args]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});
