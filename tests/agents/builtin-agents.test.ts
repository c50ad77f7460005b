import { describe, expect, it } from "vitest";
import { builtinAgents, planExecuteAgent, reactAgent, supervisorAgent, type AgentDefinition } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios, type Scenario } from "../../scenarios/index.js";
import { runTrial, type RecordedTrajectory, type Trajectory, type ToolCallEvent } from "../../harness/index.js";

const scenarios = builtinScenarios();

function trial(scenario: Scenario, agent: AgentDefinition, policy = "reference"): Promise<RecordedTrajectory> {
  return runTrial({
    runId: "agents-test",
    scenario,
    agent,
    model: `policy:${policy}`,
    trial: 0,
    seed: 1,
    timeoutMs: 30_000,
    policies: builtinPolicies,
  });
}
const toolCalls = (t: Trajectory) => t.events.filter((e): e is ToolCallEvent => e.kind === "tool_call");

describe.each(builtinAgents.map((agent) => [agent.id, agent] as const))("the %s agent", (_id, agent) => {
  it.each(scenarios.map((s) => [s.id, s] as const))(
    "%s: the reference policy passes every outcome check",
    async (_scenarioId, scenario) => {
      const t = await trial(scenario, agent);
      expect(t.termination).toEqual({ reason: "completed", message: null });
      expect(t.outcome.checks.filter((c) => !c.pass)).toEqual([]);
      // Same calls, same arguments, in the reference's order, whatever the agent's shape.
      expect(toolCalls(t).map((c) => [c.name, c.args])).toEqual(t.reference!.calls.map((c) => [c.name, c.args]));
      expect(toolCalls(t).every((c) => c.status === "ok")).toBe(true);
    },
  );
});

describe("agent shapes", () => {
  it("plan-and-execute records planner, executor and replanner as nodes of one agent, with no handoffs", async () => {
    const scenario = scenarios.find((s) => s.id === "retail.return-and-refund-socks")!;
    const t = await trial(scenario, planExecuteAgent);
    const nodes = new Set(t.events.filter((e) => e.kind === "node").map((e) => (e as { name: string }).name));
    for (const name of ["planner", "executor", "replanner"]) expect(nodes).toContain(name);
    expect(new Set(t.events.map((e) => e.agent))).toEqual(new Set(["assistant"]));
    expect(t.events.some((e) => e.kind === "handoff")).toBe(false);
    const plans = t.events.filter((e) => e.kind === "llm_call" && e.output.toolCalls.some((c) => c.name === "submit_plan"));
    expect(plans.length).toBeGreaterThanOrEqual(2);
  });

  it("the supervisor attributes every call to the team member the reference names, and lists its handoff tools", async () => {
    for (const scenario of scenarios.filter((s) => s.team)) {
      const t = await trial(scenario, supervisorAgent);
      expect(
        toolCalls(t).map((c) => c.agent),
        scenario.id,
      ).toEqual(t.reference!.calls.map((c) => c.agent));
      const members = new Set(["supervisor", ...scenario.team!.members.map((m) => m.name)]);
      for (const event of t.events) expect(members.has(event.agent), `${scenario.id} ${event.id} ${event.agent}`).toBe(true);
      expect(t.tools.filter((tool) => tool.effect === "handoff").map((tool) => tool.name)).toEqual(
        expect.arrayContaining(scenario.team!.members.map((m) => `transfer_to_${m.name}`)),
      );
      expect(t.finalAnswer).toBeTruthy();
    }
  });

  it("the supervisor runs single-agent scenarios through one specialist", async () => {
    const t = await trial(
      scenarios.find((s) => s.id === "ops.revert-bad-commit")!,
      supervisorAgent,
    );
    expect(t.outcome.pass).toBe(true);
    const handoffs = t.events.filter((e) => e.kind === "handoff").map((e) => `${(e as { from: string }).from}>${(e as { to: string }).to}`);
    expect(handoffs).toEqual(["supervisor>ops_specialist", "ops_specialist>supervisor"]);
    expect(new Set(toolCalls(t).map((c) => c.agent))).toEqual(new Set(["ops_specialist"]));
  });

  it("react runs a multi-agent scenario alone: same calls, no handoffs", async () => {
    const t = await trial(
      scenarios.find((s) => s.id === "helpdesk.outage-credit")!,
      reactAgent,
    );
    expect(t.outcome.pass).toBe(true);
    expect(t.events.some((e) => e.kind === "handoff")).toBe(false);
  });
});
