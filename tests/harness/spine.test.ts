import { describe, expect, it } from "vitest";
import { createAgent } from "langchain";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { reactAgent, type AgentDefinition } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios, initialStateOf, type Scenario } from "../../scenarios/index.js";
import { flaggedEventIds, gradeTrajectory, runTrial, type RecordedTrajectory } from "../../harness/index.js";

const singleAgent = builtinScenarios().filter((s) => !s.tags.includes("multi-agent") && !s.tags.includes("simulated-user"));

function trial(scenario: Scenario, policy: string, trialIndex = 0): Promise<RecordedTrajectory> {
  return runTrial({
    runId: "spine-test",
    scenario,
    agent: reactAgent,
    model: `policy:${policy}`,
    trial: trialIndex,
    seed: 7,
    timeoutMs: 20_000,
    policies: builtinPolicies,
  });
}

describe("every built-in scenario under the offline policies", () => {
  it.each(singleAgent.map((s) => [s.id, s] as const))(
    "%s: reference passes; wasteful passes with exactly its extra calls flagged",
    async (_id, scenario) => {
      const reference = await trial(scenario, "reference");
      expect(reference.termination.reason).toBe("completed");
      expect(reference.outcome.checks.filter((c) => !c.pass)).toEqual([]);
      expect(reference.usage.toolCalls).toBe(scenario.reference.calls.length);
      expect(flaggedEventIds(gradeTrajectory(reference, scenario))).toEqual(new Set());

      const wasteful = await trial(scenario, "wasteful");
      expect(wasteful.outcome.pass).toBe(true);
      expect(wasteful.usage.toolCalls).toBeGreaterThan(reference.usage.toolCalls);
      const injected = new Set(wasteful.groundTruth!.faults.flatMap((f) => f.eventIds));
      expect(injected.size).toBe(wasteful.usage.toolCalls - reference.usage.toolCalls);
      expect(flaggedEventIds(gradeTrajectory(wasteful, scenario))).toEqual(injected);
    },
  );
});

describe("trials", () => {
  it("give each trial a fresh deep copy of the initial state and never touch the environment's own", async () => {
    const scenario = singleAgent.find((s) => s.id === "retail.cancel-pending-order")!;
    const pristine = JSON.stringify(scenario.environment.initialState);
    const first = await trial(scenario, "reference", 0);
    const second = await trial(scenario, "reference", 1);
    expect(JSON.stringify(scenario.environment.initialState)).toBe(pristine);
    expect(first.environment.before).toEqual(initialStateOf(scenario));
    expect(second.environment.before).toEqual(first.environment.before);
    expect(second.environment.diff).toEqual(first.environment.diff);
    expect(first.environment.diff).toEqual([{ path: "orders.O-1002.status", op: "change", before: "pending", after: "cancelled" }]);
    expect(first.id).not.toBe(second.id);
  });

  it("record the state a write leaves and judge the outcome from it", async () => {
    const scenario = singleAgent.find((s) => s.id === "retail.return-and-refund-socks")!;
    const t = await trial(scenario, "reference");
    expect(t.environment.diff.map((d) => d.path).sort()).toEqual(["refunds.RF-0001", "returns.RET-0001"]);
    expect(t.finalAnswer).toContain("RET-0001");
    expect(t.reference?.calls.map((c) => c.name)).toEqual(scenario.reference.calls.map((c) => c.tool));
  });

  it("stop at the step limit and say so", async () => {
    const scenario = singleAgent.find((s) => s.id === "retail.return-and-refund-socks")!;
    const t = await runTrial({
      runId: "spine-test",
      scenario,
      agent: reactAgent,
      model: "policy:reference",
      trial: 0,
      seed: 0,
      timeoutMs: 20_000,
      maxSteps: 4,
      policies: builtinPolicies,
    });
    expect(t.termination.reason).toBe("max_steps");
    expect(t.finalAnswer).toBeNull();
    expect(t.outcome.pass).toBe(false);
    expect(t.events.at(-1)).toMatchObject({ kind: "error", code: "max_steps" });
  });
});

describe("trials that do not complete", () => {
  const scenario = () => singleAgent.find((s) => s.id === "retail.where-is-my-order")!;

  it("end as timeout when the time limit passes, keeping what was recorded", async () => {
    const slow: AgentDefinition = {
      ...reactAgent,
      id: "slow",
      build: (context) => {
        const graph = createAgent({ model: context.model, tools: context.tools, name: "assistant" });
        return {
          invoke: async (input, config) => {
            await new Promise((resolve) => setTimeout(resolve, 300));
            return graph.invoke(input, config);
          },
        };
      },
    };
    const t = await runTrial({
      runId: "spine-test",
      scenario: scenario(),
      agent: slow,
      model: "policy:reference",
      trial: 0,
      seed: 0,
      timeoutMs: 50,
      policies: builtinPolicies,
    });
    expect(t.termination.reason).toBe("timeout");
    expect(t.termination.message).toContain("50 ms");
    expect(t.outcome.pass).toBe(false);
    expect(t.events.at(-1)).toMatchObject({ kind: "error", code: "timeout" });
  });

  it("end as error when the model fails, with the error recorded", async () => {
    const broken: AgentDefinition = {
      ...reactAgent,
      id: "broken",
      build: (context) => createAgent({ model: new FakeListChatModel({ responses: [] }), tools: context.tools, name: "assistant" }),
    };
    const t = await runTrial({
      runId: "spine-test",
      scenario: scenario(),
      agent: broken,
      model: "policy:reference",
      trial: 0,
      seed: 0,
      timeoutMs: 5_000,
      policies: builtinPolicies,
    });
    expect(t.termination.reason).toBe("error");
    expect(t.termination.message).toBeTruthy();
    expect(t.events.some((e) => e.kind === "error")).toBe(true);
    expect(t.finalAnswer).toBeNull();
  });
});
