import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub.js";
import { solveWhereIsMyOrder } from "../support/scripted-replies.js";
import { tempFolder, trajlab } from "../support/cli.js";
import { projectWith } from "../support/project.js";

/**
 * `trajlab run` on a real model (an OpenAI-compatible stub on 127.0.0.1):
 * the model-call cache is on by default, so a rerun of an unchanged suite
 * asks the provider nothing and records the same trajectories, even with the
 * server stopped; `--max-cost` stops launching trials once the run's calls
 * have cost that much, and `--resume` finishes it.
 */

const SCENARIO = ["-s", "retail.where-is-my-order"];
let stub: OpenAIStub;

beforeAll(async () => {
  stub = await startOpenAIStub(solveWhereIsMyOrder);
});
afterAll(() => stub.close());

interface RecordedCall {
  output: unknown;
  usage: unknown;
  transport?: { cached: boolean; attempts: number };
  costUsd?: number | null;
}

/** Each trial's model calls, in trial order (trials are written as they finish, in any order). */
async function recordedCalls(runDir: string): Promise<RecordedCall[][]> {
  const lines = (await readFile(join(runDir, "trajectories.jsonl"), "utf8")).trim().split("\n");
  return lines
    .map((line) => JSON.parse(line) as { trial: number; events: (RecordedCall & { kind: string })[] })
    .sort((a, b) => a.trial - b.trial)
    .map((trajectory) => trajectory.events.filter((e) => e.kind === "llm_call"));
}

describe("the model-call cache", () => {
  it("is on by default: a rerun makes no network call, even with the server stopped, and records the same calls", async () => {
    const cwd = await tempFolder();
    const own = await startOpenAIStub(solveWhereIsMyOrder);
    const env = { OPENAI_BASE_URL: own.baseURL, OPENAI_API_KEY: "" };
    const first = await trajlab(["run", "-m", "openai:stub-model", ...SCENARIO, "-k", "2", "--run-id", "first"], { cwd, env });
    expect(first.code).toBe(0);
    const asked = own.requests.length;
    expect(asked).toBe(8); // two trials (each its own calls: repeats are not answered from each other), four calls each
    const second = await trajlab(["run", "-m", "openai:stub-model", ...SCENARIO, "-k", "2", "--run-id", "second"], { cwd, env });
    expect(second.code).toBe(0);
    expect(own.requests.length).toBe(asked);
    expect(second.stdout).toContain("8 call(s) from the cache");
    // stub-model is in no price table: its cost is unknown, not $0.
    expect(second.stdout).toMatch(/openai:stub-model\s+2\/2 pass.*\bno price\n/);
    expect(second.stdout).toContain("no price for openai:stub-model (add prices in trajlab.config.ts)");
    expect(second.stdout).not.toContain("spent");
    await own.close();
    const offline = await trajlab(["run", "-m", "openai:stub-model", ...SCENARIO, "-k", "2", "--run-id", "offline", "-q"], { cwd, env });
    expect(offline.stderr).toBe("");
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/openai:stub-model\s+2\/2 pass/);

    const [before, after] = [await recordedCalls(join(cwd, "runs", "first")), await recordedCalls(join(cwd, "runs", "offline"))];
    const reply = (calls: RecordedCall[][]) => calls.map((trial) => trial.map(({ output, usage }) => ({ output, usage })));
    expect(reply(after)).toEqual(reply(before));
    expect(before.flat().every((call) => call.transport?.cached === false && call.transport.attempts === 1)).toBe(true);
    expect(after.flat().every((call) => call.transport?.cached === true)).toBe(true);
    expect(existsSync(join(cwd, "runs", ".cache", "model-calls"))).toBe(true);
  });

  it("--no-cache asks the model again; --cache-dir keeps the cache elsewhere", async () => {
    const cwd = await tempFolder();
    const env = { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "" };
    const cacheDir = join(await tempFolder(), "replies");
    expect((await trajlab(["run", "-m", "openai:stub-model", ...SCENARIO, "--cache-dir", cacheDir, "-q"], { cwd, env })).code).toBe(0);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    const asked = stub.requests.length;
    expect((await trajlab(["run", "-m", "openai:stub-model", ...SCENARIO, "--cache-dir", cacheDir, "-q"], { cwd, env })).code).toBe(0);
    expect(stub.requests.length).toBe(asked);
    expect(
      (await trajlab(["run", "-m", "openai:stub-model", ...SCENARIO, "--cache-dir", cacheDir, "--no-cache", "-q"], { cwd, env })).code,
    ).toBe(0);
    expect(stub.requests.length).toBe(asked + 4);
    expect(existsSync(join(cwd, "runs", ".cache"))).toBe(false);
  });
});

describe("costs", () => {
  const config = (prices: string) => `import { defineConfig } from "trajlab";\nexport default defineConfig({ prices: ${prices} });\n`;

  it("prices calls from the config's table, stops launching trials at --max-cost (exit 3), and --resume finishes the run", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": config(`{ "openai:stub-model": { inputPerMTok: 100, outputPerMTok: 200 } }`) });
    const env = { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "" };
    const args = ["run", "-m", "openai:stub-model", ...SCENARIO, "-k", "4", "-c", "1", "--run-id", "r", "--no-cache"];
    const capped = await trajlab([...args, "--max-cost", "0.01"], { cwd, env });
    expect(capped.code).toBe(3);
    expect(capped.stderr).toMatch(
      /stopped launching trials: the run's model calls cost \$0\.\d+, reaching --max-cost \$0\.01; 1 of 4 trial\(s\) recorded/,
    );
    expect(capped.stderr).toContain("--resume r --max-cost <more>");
    expect(capped.stdout).toMatch(/\btime\s+cost\n.*openai:stub-model\s+1\/1 pass.*\s\$0\.\d+\n/);
    expect(capped.stdout).toMatch(/ · \$0\.\d+ spent\n/);
    expect(await recordedCalls(join(cwd, "runs", "r"))).toHaveLength(1);
    const [call] = (await recordedCalls(join(cwd, "runs", "r")))[0]!;
    expect(call!.costUsd).toBeGreaterThan(0);

    const resumed = await trajlab(["run", "--resume", "r", "--max-cost", "100", "--no-cache", "--json", "-q"], { cwd, env });
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as {
      trajectories: number;
      cost: { spentUsd: number; listUsd: number; cachedCalls: number };
    };
    expect(summary.trajectories).toBe(4);
    expect(summary.cost.spentUsd).toBeGreaterThan(4 * call!.costUsd!);
    expect(summary.cost).toMatchObject({ cachedCalls: 0, listUsd: summary.cost.spentUsd });
  });

  it("refuses a price that is not a number of dollars, naming the model and the field", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": config(`{ "openai:x": { inputPerMTok: "cheap", outputPerMTok: 1 } }`) });
    const result = await trajlab(["list", "agents"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('trajlab.config.ts: prices["openai:x"]: inputPerMTok must be a number of dollars per million tokens');
  });
});
