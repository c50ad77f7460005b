import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { tempFolder, trajlab, type CliResult } from "../support/cli.js";
import { openaiConversation, tauRun, tauRunCutShort } from "../harness/import/fixtures.js";

let cwd: string;
let first: CliResult;

const lines = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

beforeAll(async () => {
  cwd = await tempFolder("trajlab-import-cli-");
  await writeFile(join(cwd, "runs.json"), JSON.stringify([tauRun(1, 0, 1), tauRun(1, 1, 0), tauRunCutShort(2, 0)]));
  first = await trajlab(["import", "tau-bench", "runs.json", "--run-id", "shop", "--domain", "shop"], { cwd });
}, 60_000);

describe("trajlab import", () => {
  it("writes an ordinary, complete, graded run whose trajectories validate against `trajlab schema`", async () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/read 3 trajectories from runs\.json: .* 10 tool calls \(3 failed\)/);
    expect(first.stdout).toMatch(
      /not recorded by the source \(left empty, never made up\): timing, token counts, the model \(give --model\), environment state, tool schemas/,
    );
    const run = join(cwd, "runs", "shop");
    const manifest = JSON.parse(await readFile(join(run, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      settings: null,
      trials: 3,
      imported: { format: "tau-bench", options: { domain: "shop" }, files: [{ path: "runs.json", records: 3 }] },
    });
    const trajectories = await lines(join(run, "trajectories.jsonl"));
    const schema = await trajlab(["schema"], { cwd });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(schema.stdout));
    for (const trajectory of trajectories) expect(validate(trajectory), JSON.stringify(validate.errors)).toBe(true);
    const manifestSchema = await trajlab(["schema", "manifest"], { cwd });
    const validateManifest = ajv.compile(JSON.parse(manifestSchema.stdout));
    expect(validateManifest(manifest), JSON.stringify(validateManifest.errors)).toBe(true);
    expect(validateManifest({ ...manifest, trials: -1 })).toBe(false);
    const grades = await lines(join(run, "grades.jsonl"));
    expect(new Set(grades.map((grade) => grade.trajectoryId))).toEqual(new Set(trajectories.map((t) => t.id)));
    expect(JSON.parse(await readFile(join(run, "summary.json"), "utf8"))).toMatchObject({
      trajectories: 3,
      passed: 1,
      durationMs: null,
      totalTokens: null,
    });

    const list = await trajlab(["list", "runs", "--json"], { cwd });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: "shop", recorded: 3, planned: 3, status: "complete" })]);
    const report = await trajlab(["report", "shop"], { cwd });
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/tokens not recorded, time not recorded/);
  });

  it("imports the same input again as nothing new, with the same ids; into the same run only what it lacks", async () => {
    const again = await trajlab(["import", "tau-bench", "runs.json", "--domain", "shop"], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing new: runs\.json was already imported as run shop/);
    const into = await trajlab(["import", "tau-bench", "runs.json", "--run-id", "shop"], { cwd });
    expect(into.stdout).toMatch(/nothing new: run shop already holds all 3 trajectories/);

    await writeFile(join(cwd, "more.json"), JSON.stringify([tauRun(1, 1, 0), tauRun(5, 0, 1)]));
    const more = await trajlab(["import", "tau-bench", "more.json", "--run-id", "shop", "--domain", "shop"], { cwd });
    expect(more.code).toBe(0);
    expect(more.stdout).toMatch(/added 1 to run .*shop \(1 already there\)/);
    const run = join(cwd, "runs", "shop");
    const trajectories = await lines(join(run, "trajectories.jsonl"));
    expect(trajectories).toHaveLength(4);
    expect(new Set(trajectories.map((t) => t.id)).size).toBe(4);
    const manifest = JSON.parse(await readFile(join(run, "manifest.json"), "utf8"));
    expect(manifest.trials).toBe(4);
    expect(manifest.imported.additions).toEqual([
      expect.objectContaining({ added: 1, files: [expect.objectContaining({ path: "more.json", records: 2 })] }),
    ]);
    const list = await trajlab(["list", "runs", "--json"], { cwd });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ recorded: 4, planned: 4, status: "complete" });
  });

  it("refuses bad input naming the file, record, field and fix, exits 2 and writes nothing", async () => {
    const folder = await tempFolder("trajlab-import-bad-");
    const bad = tauRun(1, 0, 1) as Record<string, unknown>;
    (bad.traj as Array<Record<string, unknown>>)[3] = { role: "tool", tool_call_id: 7, content: "x" };
    await writeFile(join(folder, "bad.json"), JSON.stringify([tauRun(1, 1, 0), bad]));
    const result = await trajlab(["import", "tau-bench", "bad.json"], { cwd: folder });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^trajlab: bad\.json: record 1, at \/traj\/3\/tool_call_id: .*\(got 7\)\n {2}fix: each message is \{ role: /,
    );
    expect(existsSync(join(folder, "runs"))).toBe(false);

    const schema = await trajlab(["schema", "reviews"], { cwd: folder });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toMatch(
      /trajlab schema "reviews": no such format\n {2}fix: formats: trajectory, manifest, review, grade, summary/,
    );
    const review = await trajlab(["schema", "review"], { cwd: folder });
    expect(JSON.parse(review.stdout)).toMatchObject({
      title: "trajlab review record",
      required: expect.arrayContaining(["reviewer", "target", "verdict"]),
    });

    const unknown = await trajlab(["import", "langchain-ish", "bad.json"], { cwd: folder });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no import format "langchain-ish"\n {2}fix: formats: tau-bench, openai/);

    await writeFile(join(folder, "effects.json"), JSON.stringify({ get_order_details: "peek" }));
    const effects = await trajlab(["import", "tau-bench", "runs.json", "--effects", "effects.json"], { cwd: folder });
    expect(effects.code).toBe(2);
    expect(effects.stderr).toMatch(/--effects effects\.json: get_order_details: .*\n {2}fix: each value is "read" or "write"/);
  });

  it("exports a run as OpenAI conversations that import back with the same tool calls", async () => {
    const exported = await trajlab(["export", "openai", "shop", "-o", "shop.jsonl"], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
    const conversations = await lines(join(cwd, "shop.jsonl"));
    expect(conversations).toHaveLength(4);
    expect(conversations[0].messages.find((m: { role: string }) => m.role === "tool" && "status" in m)).toMatchObject({
      status: "error",
      name: "cancel_order",
    });
    const back = await trajlab(["import", "openai", "shop.jsonl", "--run-id", "shop-again"], { cwd });
    expect(back.code, back.stderr).toBe(0);
    const original = await lines(join(cwd, "runs", "shop", "trajectories.jsonl"));
    const again = await lines(join(cwd, "runs", "shop-again", "trajectories.jsonl"));
    const calls = (t: { events: Array<{ kind: string; name?: string; args?: unknown; status?: string }> }) =>
      t.events.filter((e) => e.kind === "tool_call").map((e) => [e.name, e.args, e.status]);
    expect(again.map(calls)).toEqual(original.map(calls));
  });

  it("exports a run as OTLP traces that import back with the same tool calls, and the same trajectory twice as the same trace", async () => {
    const exported = await trajlab(["export", "otel", "shop", "-o", "shop-traces.jsonl"], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain("wrote 4 otel record(s) to shop-traces.jsonl");
    const traces = await lines(join(cwd, "shop-traces.jsonl"));
    const spans = traces[0].resourceSpans[0].scopeSpans[0].spans as Array<{ name: string; status: { code: number } }>;
    expect(spans[0]!.name).toMatch(/^invoke_agent /);
    expect(spans.find((span) => span.name === "execute_tool cancel_order")?.status.code).toBe(2);
    const back = await trajlab(["import", "otel", "shop-traces.jsonl", "--run-id", "shop-traced"], { cwd });
    expect(back.code, back.stderr).toBe(0);
    const original = await lines(join(cwd, "runs", "shop", "trajectories.jsonl"));
    const again = await lines(join(cwd, "runs", "shop-traced", "trajectories.jsonl"));
    const calls = (t: { events: Array<{ kind: string; name?: string; args?: unknown; status?: string }> }) =>
      t.events.filter((e) => e.kind === "tool_call").map((e) => [e.name, e.args, e.status]);
    expect(again.map(calls)).toEqual(original.map(calls));
    expect(again.map((t) => [t.scenarioId, t.trial, t.outcome?.pass])).toEqual(
      original.map((t) => [t.scenarioId, t.trial, t.outcome?.pass]),
    );
    const twice = await trajlab(["export", "otel", "shop"], { cwd });
    expect(
      twice.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(traces);
  });

  it("is not a run to resume, and an import never adds to a recorded run or one of another format", async () => {
    const resume = await trajlab(["run", "--resume", "shop"], { cwd });
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/run shop was imported \(tau-bench\), not run: there is nothing to resume/);
    await writeFile(join(cwd, "chat.json"), JSON.stringify([openaiConversation("c-1")]));
    const other = await trajlab(["import", "openai", "chat.json", "--run-id", "shop"], { cwd });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/run shop already exists and was imported from tau-bench/);
  });
});
