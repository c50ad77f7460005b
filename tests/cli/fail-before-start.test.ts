import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub.js";
import { tempFolder, trajlab } from "../support/cli.js";

/**
 * A model that cannot run is refused before anything starts: no run folder
 * is made (so `review` and `report` keep their default), no trajectory of
 * errors is recorded, and the message names the model, what is missing and
 * how to fix it.
 */

/** No key of any provider, and no OpenAI-compatible server. */
const NO_KEYS = { OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ANTHROPIC_API_KEY: "" };

async function refused(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cwd = await tempFolder();
  const result = await trajlab(["run", "-s", "retail.where-is-my-order", "-q", ...args], { cwd, env: { ...NO_KEYS, ...env } });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(existsSync(join(cwd, "runs"))).toBe(false);
  return result.stderr;
}

describe("trajlab run refuses a model it cannot use before making a run folder", () => {
  it("an unknown provider, naming the providers there are", async () => {
    const stderr = await refused(["-m", "acme:model-1"]);
    expect(stderr).toContain('model "acme:model-1": no provider is called "acme"');
    expect(stderr).toMatch(/fix: providers: openai, anthropic, .*; offline: policy:<id>/);
  });

  it("a provider whose package is not installed, with the command that installs it", async () => {
    const stderr = await refused(["-m", "anthropic:claude-sonnet-4-5"], { ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(stderr).toContain('model "anthropic:claude-sonnet-4-5" needs the package @langchain/anthropic, which is not installed');
    expect(stderr).toContain("fix: npm install @langchain/anthropic");
  });

  it("a provider whose API key is not set, saying which variable and that local servers need none", async () => {
    const stderr = await refused(["-m", "openai:gpt-4o-mini"]);
    expect(stderr).toContain('model "openai:gpt-4o-mini" needs an API key: OPENAI_API_KEY is not set');
    expect(stderr).toContain("OPENAI_BASE_URL");
  });

  it("every model at fault at once, beside a policy that is fine", async () => {
    const stderr = await refused([
      "-p",
      "reference",
      "-m",
      "openai:gpt-4o-mini",
      "-m",
      "openai:gpt-4o",
      "-m",
      "acme:x",
      "-m",
      "policy:nope",
    ]);
    expect(stderr).toContain("4 models cannot be used");
    // Two models short of one key: the fix is said once.
    expect(stderr.split("export OPENAI_API_KEY").length - 1).toBe(1);
    expect(stderr).toContain("OPENAI_API_KEY is not set");
    expect(stderr).toContain('no provider is called "acme"');
    expect(stderr).toContain('policy "nope" does not exist');
  });

  it("a spec that is not <provider>:<model>", async () => {
    expect(await refused(["-m", "gpt-4o-mini"])).toContain('model "gpt-4o-mini" is not of the form <provider>:<model>');
  });
});

describe("checks that come before other work", () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub(() => ({ content: "I cannot help with that." }));
  });
  afterAll(() => stub.close());

  it("--resume checks the run's models before running the trials left, and leaves the run as it was", async () => {
    const cwd = await tempFolder();
    const first = await trajlab(["run", "-m", "openai:stub", "-s", "retail.where-is-my-order", "-k", "2", "-q", "--run-id", "r"], {
      cwd,
      env: { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "" },
    });
    expect(first.code).toBe(0);
    const file = join(cwd, "runs", "r", "trajectories.jsonl");
    // What an interruption after the first trial leaves.
    const [kept] = (await readFile(file, "utf8")).trim().split("\n");
    await writeFile(file, `${kept}\n`);
    const resumed = await trajlab(["run", "--resume", "r", "-q"], { cwd, env: NO_KEYS });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("OPENAI_API_KEY is not set");
    expect(await readFile(file, "utf8")).toBe(`${kept}\n`);
    expect(existsSync(join(cwd, "runs", "r", "run.lock"))).toBe(false);
    const requests = stub.requests.length;
    const finished = await trajlab(["run", "--resume", "r", "-q"], { cwd, env: { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "" } });
    expect(finished.code).toBe(0);
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2);
    // The trial left is run again; the first run's calls of it are in the model-call cache.
    expect(stub.requests.length).toBe(requests);
    const calls = (JSON.parse(lines[1]!) as { events: { kind: string; transport?: { cached: boolean } }[] }).events.filter(
      (event) => event.kind === "llm_call",
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.transport?.cached === true)).toBe(true);
  });

  it("grade --judge checks the judges before grading, and keeps the grades as they were", async () => {
    const cwd = await tempFolder();
    expect((await trajlab(["run", "-p", "reference", "-s", "retail.where-is-my-order", "-q", "--run-id", "g"], { cwd })).code).toBe(0);
    const grades = await readFile(join(cwd, "runs", "g", "grades.jsonl"), "utf8");
    const result = await trajlab(["grade", "g", "--judge", "anthropic:claude-sonnet-4-5"], { cwd, env: NO_KEYS });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("needs the package @langchain/anthropic");
    expect(await readFile(join(cwd, "runs", "g", "grades.jsonl"), "utf8")).toBe(grades);
    expect(readdirSync(join(cwd, "runs", "g")).filter((name) => name.startsWith("grades.jsonl."))).toEqual([]);
  });
});
