import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinGraders, type GradableTrajectory } from "../../harness/index.js";
import { builtinScenarios } from "../../scenarios/index.js";
import { BIN, trajlab } from "../support/cli.js";
import { eventually } from "../reviews/render.js";
import { projectWith } from "../support/project.js";

/**
 * A run that meets a fatal error, a second writer, or an agent that never
 * finishes: nothing recorded is written twice or lost, the lock is released
 * only once nothing more is written, and the error says what to fix.
 */

const CONFIG = `import { defineAgent, defineConfig, reactAgent } from "trajlab";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default defineConfig({
  agents: [
    defineAgent({
      id: "flaky",
      rootAgent: reactAgent.rootAgent,
      async build(context) {
        if (context.scenario.id === process.env.FAIL_ON) throw new Error("boom in the builder");
        const graph = await reactAgent.build(context);
        // Slow, and deaf to the abort signal: only the harness can stop waiting for it.
        return { invoke: async (input, config) => (await sleep(Number(process.env.DELAY_MS ?? 0)), graph.invoke(input, config)) };
      },
    }),
    defineAgent({ id: "stuck-builder", build: () => new Promise(() => {}) }),
    defineAgent({
      id: "stuck-agent",
      build: () => ({ invoke: () => (setInterval(() => {}, 1000), new Promise(() => {})) }),
    }),
  ],
});
`;

const RETAIL = builtinScenarios()
  .filter((scenario) => scenario.id.startsWith("retail."))
  .map((scenario) => scenario.id);
const SCENARIOS = new Map(builtinScenarios().map((scenario) => [scenario.id, scenario]));

/** How many built-in graders have something to check on a recorded trajectory (the rules grader only where rules are declared). */
function gradersOf(trajectory: GradableTrajectory): number {
  const scenario = SCENARIOS.get(trajectory.scenarioId);
  return builtinGraders.filter((grader) => grader.hasChecksFor?.(trajectory, scenario) ?? true).length;
}

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");
const idsIn = (file: string): string[] => (existsSync(file) ? lines(readFileSync(file, "utf8")).map((line) => JSON.parse(line).id) : []);

/** How many grades each trajectory of a run has, by id. */
function gradesPerTrajectory(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const file = join(dir, "grades.jsonl");
  if (!existsSync(file)) return counts;
  for (const line of lines(readFileSync(file, "utf8"))) {
    const grade = JSON.parse(line) as { trajectoryId: string };
    counts.set(grade.trajectoryId, (counts.get(grade.trajectoryId) ?? 0) + 1);
  }
  return counts;
}

/** Every trajectory recorded once, each with one grade per grader, and no grade of a trajectory not recorded. */
function expectConsistent(dir: string): string[] {
  const ids = idsIn(join(dir, "trajectories.jsonl"));
  expect(new Set(ids).size).toBe(ids.length);
  const grades = gradesPerTrajectory(dir);
  expect([...grades.keys()].sort()).toEqual([...ids].sort());
  const file = join(dir, "trajectories.jsonl");
  const trajectories = existsSync(file) ? lines(readFileSync(file, "utf8")).map((line) => JSON.parse(line) as GradableTrajectory) : [];
  for (const trajectory of trajectories) expect(grades.get(trajectory.id)).toBe(gradersOf(trajectory));
  return ids;
}

describe("trajlab run when something fails", () => {
  it("stops at an agent builder that throws: exit 2 naming agent, scenario and config, nothing launched after it, and --resume finishes the run", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const failing = RETAIL[4]!;
    const env = { FAIL_ON: failing };
    const first = await trajlab(["run", "-a", "flaky", "-s", "retail.*", "-p", "reference", "-k", "2", "-c", "1", "--run-id", "r1", "-q"], {
      cwd,
      env,
    });
    expect(first.code).toBe(2);
    expect(first.stderr).not.toContain("this is a bug");
    expect(first.stderr).toContain(
      `trajlab: agent "flaky" (trajlab.config.ts) threw while building its graph for scenario ${failing}: Error: boom in the builder`,
    );
    expect(first.stderr).toContain('fix: fix the build function of agent "flaky" in trajlab.config.ts');
    expect(first.stderr).toContain(
      `then finish the run with: npx trajlab run --resume r1 (8 of ${RETAIL.length * 2} trial(s) are recorded`,
    );
    const dir = join(cwd, "runs", "r1");
    expect(existsSync(join(dir, "run.lock"))).toBe(false);
    // One trial at a time: the four scenarios before the failing one, twice each, and nothing after it.
    expect(expectConsistent(dir)).toHaveLength(8);

    const resumed = await trajlab(["run", "--resume", "r1", "-q", "--json"], { cwd });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ trajectories: RETAIL.length * 2 });
    expect(expectConsistent(dir)).toHaveLength(RETAIL.length * 2);
  }, 90_000);

  it("writes nothing after releasing the lock when trials are running beside the one that fails", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const child = spawn(
      process.execPath,
      [BIN, "run", "-a", "flaky", "-s", "retail.*", "-p", "reference", "-k", "3", "-c", "3", "--run-id", "r1", "-q"],
      { cwd, env: { ...process.env, NO_COLOR: "1", TRAJLAB_RUNS_DIR: "", FAIL_ON: RETAIL[3]!, DELAY_MS: "150" } },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const dir = join(cwd, "runs", "r1");
    const file = join(dir, "trajectories.jsonl");
    const size = (): number => (existsSync(file) ? statSync(file).size : 0);
    await eventually(
      () => existsSync(join(dir, "run.lock")),
      () => "the run to take its lock",
      30_000,
    );
    let atRelease = -1;
    while (atRelease < 0) {
      if (!existsSync(join(dir, "run.lock"))) atRelease = size();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await exited).toBe(2);
    expect(size()).toBe(atRelease);
    expect(stderr).toContain(`for scenario ${RETAIL[3]}`);
    expect(expectConsistent(dir).length).toBeLessThan(RETAIL.length * 3);
  }, 90_000);

  it("refuses trajlab grade while trajlab run writes the run, and ends the run with every trajectory graded", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const child = spawn(
      process.execPath,
      [BIN, "run", "-a", "flaky", "-s", "retail.*", "-p", "reference", "-k", "2", "-c", "2", "--run-id", "r1", "-q"],
      { cwd, env: { ...process.env, NO_COLOR: "1", TRAJLAB_RUNS_DIR: "", DELAY_MS: "600" } },
    );
    let running = true;
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve)).finally(() => (running = false));
    const file = join(cwd, "runs", "r1", "trajectories.jsonl");
    await eventually(
      () => existsSync(file) && readFileSync(file, "utf8").includes("\n"),
      () => "a first trajectory on disk",
      30_000,
    );
    const grade = await trajlab(["grade", "r1"], { cwd });
    expect(running).toBe(true);
    expect(grade.code).toBe(2);
    expect(grade.stderr).toMatch(/trajlab: run r1 is in use by trajlab run \(pid \d+, since /);
    expect(await exited).toBe(0);
    expect(expectConsistent(join(cwd, "runs", "r1"))).toHaveLength(RETAIL.length * 2);
    const regraded = await trajlab(["grade", "r1", "--json"], { cwd });
    expect(regraded.code).toBe(0);
    expect(expectConsistent(join(cwd, "runs", "r1"))).toHaveLength(RETAIL.length * 2);
  }, 90_000);

  it("ends every trial within --timeout as a timeout trajectory, when the builder or the agent never finishes", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const started = Date.now();
    const result = await trajlab(
      [
        "run",
        "-a",
        "stuck-builder",
        "-a",
        "stuck-agent",
        "-s",
        "retail.where-is-my-order",
        "-p",
        "reference",
        "-k",
        "2",
        "--timeout",
        "300",
        "--json",
        "-q",
      ],
      { cwd, timeoutMs: 60_000 },
    );
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(45_000);
    const summary = JSON.parse(result.stdout) as { runDir: string; trajectories: number };
    expect(summary.trajectories).toBe(4);
    const trajectories = lines(await readFile(join(summary.runDir, "trajectories.jsonl"), "utf8")).map((line) => JSON.parse(line));
    expect(trajectories.map((t) => [t.agent, t.termination.reason]).sort()).toEqual([
      ["stuck-agent", "timeout"],
      ["stuck-agent", "timeout"],
      ["stuck-builder", "timeout"],
      ["stuck-builder", "timeout"],
    ]);
    expect(trajectories.find((t) => t.agent === "stuck-builder").termination.message).toBe(
      'stopped after 300 ms: agent "stuck-builder" had not finished building its graph',
    );
    expect(trajectories.find((t) => t.agent === "stuck-agent").termination.message).toBe("stopped after 300 ms");
    expect(result.stderr).toContain("warning: 4 of 4 trial(s) did not complete:\n  2 × timeout: stopped after 300 ms: agent");
    expect(existsSync(join(summary.runDir, "run.lock"))).toBe(false);
    expectConsistent(summary.runDir);
  }, 90_000);
});
