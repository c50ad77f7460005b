import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { tempFolder, trajlab } from "../support/cli.js";
import { projectWith } from "../support/project.js";

/**
 * trajlab in CI: a JUnit report a CI server can read (one test case per
 * scenario × agent × model, failures with the outcome's message, any text
 * escaped), --fail-under gates exiting 3, and --shard with trajlab merge, so a
 * matrix of machines splits a suite and joins it into one run.
 */

// Agents that fail in the two ways a CI report tells apart: an outcome that is not reached, and an error.
const CONFIG = `import { AIMessage } from "@langchain/core/messages";
import { defineAgent, defineConfig } from "trajlab";

export default defineConfig({
  agents: [
    defineAgent({
      id: "quitter",
      build: () => ({ invoke: async () => ({ messages: [new AIMessage("I give up <for now> & stop.")] }) }),
    }),
    defineAgent({
      id: "crasher",
      build: () => ({ invoke: async () => { throw new Error("tool said <bad> & \\u0007beeped \\u001b[31mred\\u001b[0m"); } }),
    }),
  ],
});
`;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
});

interface TestCase {
  classname: string;
  name: string;
  time: string;
  failure?: { message: string; type: string; "#text": string };
  error?: { message: string; type: string; "#text": string };
  "system-out": string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: TestCase[];
}

async function junit(file: string): Promise<{ testsuites: { tests: string; failures: string; errors: string; testsuite: Suite[] } }> {
  const text = await readFile(file, "utf8");
  expect(XMLValidator.validate(text)).toBe(true);
  return parser.parse(text);
}

describe("--junit", () => {
  it("writes one test case per scenario × agent × model, with each failure's message, and XML that any text leaves well-formed", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const args = ["run", "-s", "retail.where-is-my-order", "-s", "retail.cancel-pending-order", "-p", "reference", "-k", "2", "-q"];
    const result = await trajlab([...args, "-a", "react", "-a", "quitter", "-a", "crasher", "--junit", "reports/junit.xml"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("JUnit report written to reports/junit.xml");
    const report = await junit(join(cwd, "reports", "junit.xml"));
    expect(report.testsuites).toMatchObject({ tests: "6", failures: "2", errors: "2" });
    const suites = new Map(report.testsuites.testsuite.map((suite) => [suite.name, suite]));
    expect([...suites.keys()].sort()).toEqual(["crasher · policy:reference", "quitter · policy:reference", "react · policy:reference"]);

    const passing = suites.get("react · policy:reference")!.testcase;
    expect(passing.map((test) => test.name).sort()).toEqual(["retail.cancel-pending-order", "retail.where-is-my-order"]);
    expect(passing.every((test) => !test.failure && !test.error && test.classname === "react.policy:reference")).toBe(true);
    expect(passing[0]!["system-out"]).toMatch(/^trial 0 \(tr-[0-9a-f]{12}, seed 0\): pass\ntrial 1 \(tr-[0-9a-f]{12}, seed 1\): pass$/);

    const failed = suites.get("quitter · policy:reference")!.testcase.find((test) => test.name === "retail.where-is-my-order")!;
    expect(failed.failure!.type).toBe("outcome");
    expect(failed.failure!.message).toMatch(/^2 of 2 trial\(s\) did not pass: /);
    expect(failed.failure!["#text"]).toContain("trial 1 (");

    const crashed = suites.get("crasher · policy:reference")!.testcase[0]!;
    expect(crashed.error!.type).toBe("trial-error");
    // The markup characters come back as they were; what XML cannot hold (BEL, ESC) is replaced.
    expect(crashed.error!.message).toContain("tool said <bad> & \uFFFDbeeped \uFFFD[31mred\uFFFD[0m");
  }, 90_000);
});

describe("--fail-under", () => {
  it("exits 3 when the run is worse than a figure, says which, and puts the checks in --json", async () => {
    const cwd = await tempFolder();
    const args = ["run", "-s", "retail.where-is-my-order", "-p", "reference", "-p", "wasteful", "-q"];
    const passed = await trajlab([...args, "--fail-under", "success=0.8", "--fail-under", "skippable-rate=60%"], { cwd });
    expect(passed.code).toBe(0);
    expect(passed.stderr).toContain("--fail-under success: passed, 100% of trials passed (wanted at least 80%)");
    expect(passed.stderr).toMatch(/--fail-under skippable-rate: passed, [\d.]+% of tool calls labelled skippable \(wanted at most 60%\)/);

    const failed = await trajlab([...args, "--fail-under", "success=0.8,skippable-rate=0.1,cost=1", "--json"], { cwd });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/--fail-under skippable-rate: failed, [\d.]+% of tool calls labelled skippable \(wanted at most 10%\)/);
    expect(failed.stderr).toContain("--fail-under cost: failed, not measured: no model call has a price");
    const summary = JSON.parse(failed.stdout) as { failUnder: { gate: string; passed: boolean; measured: number | null }[] };
    expect(summary.failUnder.map((check) => [check.gate, check.passed])).toEqual([
      ["success", true],
      ["skippable-rate", false],
      ["cost", false],
    ]);
  }, 60_000);

  it("refuses a figure it does not know, or a rate above 1, before running", async () => {
    const cwd = await tempFolder();
    const unknown = await trajlab(["run", "--fail-under", "speed=2"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--fail-under: no figure called "speed"; the figures are success, precision, recall');
    const rate = await trajlab(["run", "--fail-under", "success=80"], { cwd });
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain("--fail-under success expects a fraction from 0 to 1 (or a percentage), e.g. success=0.8");
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });
});

describe("--shard and trajlab merge", () => {
  const suite = ["run", "-s", "retail.*", "-p", "reference", "-p", "faulty", "-k", "2", "--seed", "5", "-q"];

  it("splits a suite across machines and joins it into the run one machine records, which every command reads as one", async () => {
    const cwd = await tempFolder();
    for (const index of [1, 2, 3]) {
      const shard = await trajlab([...suite, "--shard", `${index}/3`, "--run-id", "ci-7", "--runs-dir", `machine-${index}/runs`], { cwd });
      expect(shard.code).toBe(0);
    }
    const whole = await trajlab([...suite, "--run-id", "ci-7", "--runs-dir", "one-machine", "--json"], { cwd });
    const merged = await trajlab(
      ["merge", "machine-1/runs/ci-7", "machine-2/runs/ci-7", "machine-3/runs/ci-7", "--into", "ci-7", "--junit", "junit.xml", "--json"],
      { cwd },
    );
    expect(merged.code).toBe(0);
    const strip = (summary: Record<string, unknown>) => {
      const {
        durationMs: _d,
        runDir: _r,
        rows,
        ...rest
      } = summary as { durationMs: number; runDir: string; rows: Record<string, unknown>[] };
      return { ...rest, rows: rows.map(({ meanDurationMs: _m, ...row }) => row) };
    };
    expect(strip(JSON.parse(merged.stdout))).toEqual(strip(JSON.parse(whole.stdout)));
    const ids = async (file: string) =>
      (await readFile(file, "utf8"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).id as string)
        .sort();
    expect(await ids(join(cwd, "runs", "ci-7", "trajectories.jsonl"))).toEqual(
      await ids(join(cwd, "one-machine", "ci-7", "trajectories.jsonl")),
    );
    expect((await junit(join(cwd, "junit.xml"))).testsuites.tests).toBe(String(JSON.parse(whole.stdout).rows.length));

    const listed = await trajlab(["list", "runs"], { cwd });
    expect(listed.stdout).toMatch(/ci-7 .* complete/);
    expect((await trajlab(["report", "ci-7"], { cwd })).code).toBe(0);
    const resumed = await trajlab(["run", "--resume", "ci-7", "-q", "--json"], { cwd });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).trajectories).toBe(JSON.parse(whole.stdout).trajectories);
  }, 180_000);

  it("merges the shards given, and --resume runs the trials of the one missing", async () => {
    const cwd = await tempFolder();
    for (const index of [1, 3]) {
      expect((await trajlab([...suite, "--shard", `${index}/3`, "--run-id", "ci-8", "--runs-dir", `m${index}`], { cwd })).code).toBe(0);
    }
    const merged = await trajlab(["merge", "m1/ci-8", "m3/ci-8", "--into", "joined"], { cwd });
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain("merged 2 run(s) (shard 1, 3 of 3) into");
    expect(merged.stderr).toMatch(
      /\d+ of \d+ trial\(s\) recorded \(shard 2 of 3 not given\); run the rest with: npx trajlab run --resume joined/,
    );
    const manifest = JSON.parse(await readFile(join(cwd, "runs", "joined", "manifest.json"), "utf8"));
    expect(manifest.runId).toBe("ci-8");
    expect(manifest.settings.shard).toBeNull();
    expect(manifest.merged.map((part: { path: string; shard: unknown }) => [part.path, part.shard])).toEqual([
      ["m1/ci-8", { index: 1, count: 3 }],
      ["m3/ci-8", { index: 3, count: 3 }],
    ]);
    const resumed = await trajlab(["run", "--resume", "joined", "-q", "--json"], { cwd });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).trajectories).toBe(manifest.trials);
  }, 180_000);

  it("refuses runs that are not distinct shards of one plan, and a shard without a run id", async () => {
    const cwd = await tempFolder();
    const noId = await trajlab([...suite, "--shard", "1/2"], { cwd });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain("trajlab: --shard 1/2 needs --run-id");
    expect(existsSync(join(cwd, "runs"))).toBe(false);
    const run = (extra: string[]) => trajlab([...suite, ...extra], { cwd });
    expect((await run(["--shard", "1/2", "--run-id", "a", "--runs-dir", "x"])).code).toBe(0);
    expect((await run(["--shard", "1/2", "--run-id", "a", "--runs-dir", "y"])).code).toBe(0);
    expect((await run(["--shard", "2/2", "--run-id", "b", "--runs-dir", "y"])).code).toBe(0);
    expect((await run(["--shard", "2/2", "--run-id", "a", "--runs-dir", "z", "--seed", "6"])).code).toBe(0);

    const twice = await trajlab(["merge", "x/a", "y/a", "--into", "m"], { cwd });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("trajlab: x/a and y/a both hold shard 1/2");
    const ids = await trajlab(["merge", "x/a", "y/b", "--into", "m"], { cwd });
    expect(ids.stderr).toContain("trajlab: y/b is run b, but x/a is run a: shards share one run id");
    const seeds = await trajlab(["merge", "x/a", "z/a", "--into", "m"], { cwd });
    expect(seeds.stderr).toContain("trajlab: z/a and x/a were run with different seed: 6 and 5");
    expect(seeds.stderr).toContain("fix: merge the shards of one suite");
    expect(existsSync(join(cwd, "runs", "m"))).toBe(false);
  }, 180_000);
});
