import { afterEach, describe, expect, it } from "vitest";
import { TrialPool, type TrialOutcome } from "../../harness/index.js";
import { builtinScenarios } from "../../scenarios/index.js";
import { builtinAgents } from "../../agents/index.js";
import type { TrialSpec } from "../../harness/index.js";

const SCRIPT = new URL("../support/stand-in-trial-worker.js", import.meta.url);
const scenario = builtinScenarios().find((candidate) => candidate.id === "retail.where-is-my-order")!;

function trial(index: number): TrialSpec {
  return {
    runId: "pool",
    scenario,
    agent: builtinAgents.find((agent) => agent.id === "react")!,
    model: "policy:reference",
    trial: index,
    seed: index,
    timeoutMs: 10_000,
    policies: [],
  };
}

let pool: TrialPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("TrialPool", () => {
  it("spreads trials started before its workers are ready over every worker", async () => {
    pool = new TrialPool({ workers: 2, script: SCRIPT, workerData: { readyAfterMs: 200, trialMs: 20 } });
    const signal = new AbortController().signal;
    const outcomes: TrialOutcome[] = await Promise.all(Array.from({ length: 10 }, (_, index) => pool!.execute(trial(index), [], signal)));
    expect(outcomes.map((outcome) => outcome.trajectory.id)).toEqual(
      Array.from({ length: 10 }, (_, index) => `retail.where-is-my-order#${index}`),
    );
    const threads = outcomes.map((outcome) => (outcome.trajectory as unknown as { threadId: number }).threadId);
    const perThread = [...new Set(threads)].map((thread) => threads.filter((other) => other === thread).length);
    expect(perThread).toEqual([5, 5]);
  });

  it("spreads trials that start later over the worker with fewest running", async () => {
    pool = new TrialPool({ workers: 3, script: SCRIPT, workerData: { readyAfterMs: 0, trialMs: 50 } });
    const signal = new AbortController().signal;
    const first = await pool.execute(trial(0), [], signal);
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, index) => pool!.execute(trial(index + 1), [], signal)));
    const threads = [first, ...outcomes].map((outcome) => (outcome.trajectory as unknown as { threadId: number }).threadId);
    expect(new Set(threads.slice(1)).size).toBe(3);
  });
});
