import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempFolder, trajlab } from "../support/cli.js";

/**
 * trajlab on a real provider (`npm run test:int`): a run records the model's
 * own calls and token counts, a conversation with a simulated user runs to
 * its end, and an LLM judge grades the run. Needs OPENAI_API_KEY, or
 * OPENAI_BASE_URL for an OpenAI-compatible server (vLLM, Ollama, llama.cpp);
 * TRAJLAB_INT_MODEL names the model (default gpt-4o-mini). What a real model
 * answers varies, so these check what trajlab records, not whether the model
 * solved the task.
 */
const MODEL = `openai:${process.env.TRAJLAB_INT_MODEL ?? "gpt-4o-mini"}`;

interface RecordedCall {
  kind: string;
  usage?: { source: string; totalTokens: number | null };
}

async function trajectoriesOf(cwd: string, runId: string) {
  const text = await readFile(join(cwd, "runs", runId, "trajectories.jsonl"), "utf8");
  return text
    .trim()
    .split("\n")
    .map(
      (line) => JSON.parse(line) as { model: string; termination: { reason: string }; finalAnswer: string | null; events: RecordedCall[] },
    );
}

describe(`trajlab on a real provider (${MODEL})`, () => {
  let cwd: string;
  beforeAll(async () => {
    if (!process.env.OPENAI_API_KEY && !process.env.OPENAI_BASE_URL)
      throw new Error(
        "npm run test:int needs a real provider: set OPENAI_API_KEY (OpenAI), or OPENAI_BASE_URL for an OpenAI-compatible server; TRAJLAB_INT_MODEL picks the model",
      );
    cwd = await tempFolder();
  });

  it("runs a scenario and records the provider's calls and token counts", async () => {
    const run = await trajlab(["run", "-m", MODEL, "-s", "retail.where-is-my-order", "--run-id", "one", "-q"], { cwd, env: process.env });
    expect(run.stderr).not.toMatch(/error|warning/i);
    expect(run.code).toBe(0);
    const [trajectory] = await trajectoriesOf(cwd, "one");
    expect(trajectory!.model).toBe(MODEL);
    expect(trajectory!.termination.reason).toBe("completed");
    expect(trajectory!.finalAnswer?.length).toBeGreaterThan(0);
    const calls = trajectory!.events.filter((event) => event.kind === "llm_call");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.usage?.source).toBe("provider");
      expect(call.usage?.totalTokens).toBeGreaterThan(0);
    }
    expect(run.stdout).not.toContain("estimated");
  });

  it("runs a conversation with a simulated user to its end", async () => {
    const run = await trajlab(["run", "-m", MODEL, "-s", "retail.cancel-order-multi-turn", "--run-id", "talk", "-q"], {
      cwd,
      env: process.env,
    });
    expect(run.code).toBe(0);
    const [trajectory] = await trajectoriesOf(cwd, "talk");
    expect(["completed", "max_steps"]).toContain(trajectory!.termination.reason);
    expect(trajectory!.events.filter((event) => event.kind === "llm_call").length).toBeGreaterThan(1);
  });

  it("grades the run with the model as an LLM judge whose reply parses", async () => {
    const grade = await trajlab(["grade", "one", "--judge", MODEL], { cwd, env: process.env });
    expect(grade.code).toBe(0);
    const grades = (await readFile(join(cwd, "runs/one/grades.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { grader: string; score: number; comment: string });
    const judge = grades.find((g) => g.grader === "judge");
    expect(judge, "a judge grade").toBeDefined();
    expect(judge!.comment).toMatch(/^plan \d\.\d\/5 from 1 judge\(s\)/);
    expect(judge!.score).toBeGreaterThanOrEqual(0);
    expect(judge!.score).toBeLessThanOrEqual(1);
  });
});
