import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { tempFolder, trajlab, type CliResult } from "../support/cli.js";

let cwd: string;
let first: CliResult;
let runDir: string;

beforeAll(async () => {
  cwd = await tempFolder();
  first = await trajlab(["run", "--scenario", "retail.*"], { cwd });
  const runs = readdirSync(join(cwd, "runs"));
  runDir = join(cwd, "runs", runs[0]!);
}, 120_000);

const lines = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

describe("trajlab run (offline, in an empty folder)", () => {
  it("exits 0, prints the summary table and writes the run directory", async () => {
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/scenario\s+agent\s+model\s+outcome\s+tool calls\s+flagged\s+tokens\s+time/);
    expect(first.stdout).toMatch(/retail\.cancel-pending-order\s+react\s+policy:reference\s+1\/1 pass/);
    for (const file of ["manifest.json", "trajectories.jsonl", "grades.jsonl", "summary.json"])
      expect(existsSync(join(runDir, file)), file).toBe(true);
    const manifest = JSON.parse(await readFile(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.settings.models).toEqual(["policy:reference", "policy:wasteful"]);
    expect(manifest.packages["@langchain/langgraph"]).toBe("1.4.13");
    expect(manifest.packages["@langchain/core"]).toBe("1.2.13");
    const summary = JSON.parse(await readFile(join(runDir, "summary.json"), "utf8"));
    expect(summary.trajectories).toBe(manifest.trials);
    expect(summary.passed).toBe(summary.trajectories);
    expect(summary.flaggedCalls).toBeGreaterThan(0);
  });

  it("writes trajectories that validate against `trajlab schema`, with every tool call's args, result and duration", async () => {
    const schema = await trajlab(["schema"], { cwd });
    expect(schema.code).toBe(0);
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(schema.stdout));
    const trajectories = await lines(join(runDir, "trajectories.jsonl"));
    expect(trajectories.length).toBeGreaterThan(0);
    for (const trajectory of trajectories) {
      expect(validate(trajectory), JSON.stringify(validate.errors?.slice(0, 2))).toBe(true);
      const calls = trajectory.events.filter((e: { kind: string }) => e.kind === "tool_call");
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.args).toBeTypeOf("object");
        expect(call.resultText.length).toBeGreaterThan(0);
        expect(call.result).not.toBeUndefined();
        expect(call.durationMs).toBeGreaterThanOrEqual(0);
      }
    }
    const grades = await lines(join(runDir, "grades.jsonl"));
    expect(new Set(grades.map((g: { trajectoryId: string }) => g.trajectoryId))).toEqual(
      new Set(trajectories.map((t: { id: string }) => t.id)),
    );
  });

  it("re-grades idempotently with `trajlab grade`", async () => {
    const before = await readFile(join(runDir, "grades.jsonl"), "utf8");
    const again = await trajlab(["grade"], { cwd });
    expect(again.code).toBe(0);
    expect(await readFile(join(runDir, "grades.jsonl"), "utf8")).toBe(before);
  });

  it("prints machine-readable JSON with --json and honours --repeat and filters", async () => {
    const result = await trajlab(["run", "--json", "-q", "-s", "retail.cancel-pending*", "-p", "reference", "-k", "3", "-c", "2"], { cwd });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.trajectories).toBe(3);
    expect(summary.rows).toHaveLength(1);
    expect(summary.rows[0]).toMatchObject({ scenarioId: "retail.cancel-pending-order", model: "policy:reference", trials: 3, passed: 3 });
    expect(existsSync(summary.runDir)).toBe(true);
  });
});

describe("trajlab run with bad input", () => {
  it.each([
    [["run", "--policy", "genius"], /--policy "genius": no such policy/, /policies: reference, wasteful/],
    [["run", "--repeat", "0"], /--repeat expects a whole number of at least 1, got "0"/, /--help/],
    [["run", "--scenario", "nowhere.*"], /no scenario matches --scenario "nowhere\.\*"/, /trajlab list scenarios/],
    [["run", "--model", "gpt4"], /model "gpt4" is not of the form <provider>:<model>/, /openai:gpt-4o-mini/],
    [["run", "--agent", "oracle"], /--agent "oracle": no such agent/, /agents: react/],
    [["review", "no-such-run"], /no run "no-such-run"/, /runs in|no runs in/],
  ])("%j fails with a clear message and exit 2", async (args, message, fix) => {
    const cwd = await tempFolder();
    const result = await trajlab(args, { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(fix);
    expect(existsSync(join(cwd, "runs")) ? readdirSync(join(cwd, "runs")) : []).toEqual([]);
  });
});

describe("trajlab list with scenario filters", () => {
  it("prints only the matching scenarios as a table, with a summary line", async () => {
    const cwd = await tempFolder();
    const result = await trajlab(["list", "scenarios", "--tag", "refuse", "--domain", "retail"], { cwd });
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\n").filter((line) => /^retail\./.test(line));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain("refuse");
    expect(result.stdout).toMatch(new RegExp(`\\n${rows.length} scenarios? in 1 domain \\(retail\\)`));
  });
});
