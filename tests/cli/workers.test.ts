import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub.js";
import { solveWhereIsMyOrder } from "../support/scripted-replies.js";
import { tempFolder, trajlab } from "../support/cli.js";
import { projectWith } from "../support/project.js";

/**
 * `trajlab run --workers n`: trials run in worker threads that load the
 * catalog themselves (a config's agents included), while the main thread
 * plans, writes and stops the run. What is recorded is what one thread records.
 */

interface Recorded {
  id: string;
  outcome: { pass: boolean };
  termination: { reason: string };
  events: { kind: string; name?: string; args?: unknown; result?: unknown }[];
}

async function jsonl<T>(file: string): Promise<T[]> {
  return (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as T);
}

/** A run's trajectories by id, with what does not depend on timing: the outcome, the end, and each step. */
async function byId(runDir: string): Promise<Map<string, unknown>> {
  const trajectories = await jsonl<Recorded>(join(runDir, "trajectories.jsonl"));
  return new Map(
    trajectories.map((t) => [
      t.id,
      {
        pass: t.outcome.pass,
        termination: t.termination.reason,
        steps: t.events.map((event) => [event.kind, event.name ?? null, event.args ?? null, event.result ?? null]),
      },
    ]),
  );
}

/** Each trajectory's grades, as grader → labels (ids and times left out). */
async function gradesOf(runDir: string): Promise<Map<string, unknown>> {
  const grades = await jsonl<{ trajectoryId: string; graderId: string; score: number | null; labels?: unknown[] }>(
    join(runDir, "grades.jsonl"),
  );
  const result = new Map<string, Record<string, unknown>>();
  for (const grade of grades) {
    const entry = result.get(grade.trajectoryId) ?? {};
    entry[grade.graderId] = { score: grade.score, labels: grade.labels ?? [] };
    result.set(grade.trajectoryId, entry);
  }
  return result;
}

const CONFIG = `import { defineAgent, defineConfig, reactAgent } from "trajlab";

export default defineConfig({
  agents: [
    defineAgent({
      id: "picky",
      rootAgent: reactAgent.rootAgent,
      async build(context) {
        if (context.scenario.id === process.env.FAIL_ON) throw new Error("boom in the builder");
        if (context.scenario.id === process.env.EXIT_ON) process.exit(7);
        return reactAgent.build(context);
      },
    }),
  ],
});
`;

describe("trajlab run --workers", () => {
  it("records the same trajectories and grades as a run in one thread", async () => {
    const cwd = await tempFolder();
    const args = ["run", "-s", "retail.*", "-p", "reference", "-p", "wasteful", "-p", "faulty", "-k", "2", "--seed", "3", "-q"];
    const one = await trajlab([...args, "--run-id", "one"], { cwd });
    expect(one.code).toBe(0);
    // The run id is part of each trajectory's id: the run in workers is recorded under the same one, elsewhere.
    const again = await trajlab([...args, "--run-id", "one", "--runs-dir", "elsewhere", "--workers", "2", "-c", "8"], { cwd });
    expect(again.stderr).toBe(one.stderr);
    expect(again.code).toBe(0);
    const [inOne, inWorkers] = [await byId(join(cwd, "runs", "one")), await byId(join(cwd, "elsewhere", "one"))];
    expect(inOne.size).toBeGreaterThan(10);
    expect(inWorkers).toEqual(inOne);
    expect(await gradesOf(join(cwd, "elsewhere", "one"))).toEqual(await gradesOf(join(cwd, "runs", "one")));
    expect(again.stdout).toContain(`${inOne.size} trajectories`);
  }, 120_000);

  it("loads trajlab.config.ts in every worker; an agent's error comes back as it was thrown, and --resume finishes the run", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const args = ["run", "-a", "picky", "-s", "retail.*", "-p", "reference", "-c", "1", "--workers", "2", "--run-id", "r", "-q"];
    const failed = await trajlab(args, { cwd, env: { FAIL_ON: "retail.where-is-my-order" } });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(
      'trajlab: agent "picky" (trajlab.config.ts) threw while building its graph for scenario retail.where-is-my-order: Error: boom in the builder',
    );
    expect(failed.stderr).toContain('fix: fix the build function of agent "picky" in trajlab.config.ts');
    expect(failed.stderr).toContain("then finish the run with: npx trajlab run --resume r");
    const resumed = await trajlab(["run", "--resume", "r", "--workers", "2", "--json", "-q"], { cwd });
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { trajectories: number; rows: { agent: string }[] };
    expect(summary.rows.every((row) => row.agent === "picky")).toBe(true);
    expect(summary.trajectories).toBeGreaterThan(3);
  }, 120_000);

  it("stops the run with WORKER_FAILED when a worker dies, keeping what finished", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const result = await trajlab(
      ["run", "-a", "picky", "-s", "retail.*", "-p", "reference", "-c", "1", "--workers", "1", "--run-id", "r", "-q"],
      { cwd, env: { EXIT_ON: "retail.where-is-my-order" } },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("trajlab: trial worker 1 stopped: it exited with status 7");
    expect(result.stderr).toContain("fix: run again without --workers");
    const recorded = await jsonl<Recorded>(join(cwd, "runs", "r", "trajectories.jsonl")).catch(() => []);
    expect(recorded.every((t) => t.termination.reason === "completed")).toBe(true);
  }, 120_000);

  it("refuses a number of workers that is not a whole number of at least 1", async () => {
    const result = await trajlab(["run", "--workers", "0"], { cwd: await tempFolder() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--workers expects a number of worker threads of at least 1, or auto (one per core)");
  });
});

describe("real models in workers", () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub((request) => ({ ...solveWhereIsMyOrder(request), delayMs: 150 }));
  });
  afterAll(() => stub.close());

  it("keeps --provider-concurrency across all workers, and shares the model-call cache", async () => {
    const cwd = await tempFolder();
    const env = { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "" };
    const args = ["run", "-m", "openai:stub", "-s", "retail.where-is-my-order", "-k", "6", "-c", "6", "--workers", "2", "-q"];
    stub.resetMaxInFlight();
    const first = await trajlab([...args, "--provider-concurrency", "openai=3"], { cwd, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/openai:stub\s+6\/6 pass/);
    expect(stub.maxInFlight).toBe(3);
    const asked = stub.requests.length;
    const cached = await trajlab(args, { cwd, env });
    expect(cached.code).toBe(0);
    expect(stub.requests.length).toBe(asked);
    expect(cached.stdout).toContain("24 call(s) from the cache");
  }, 120_000);
});
