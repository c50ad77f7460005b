import { validateScenarios, type Policy, type Scenario, type ScenarioProblem } from "../../scenarios/index.js";
import { defaultAgentId, type AgentDefinition } from "../../agents/index.js";
import { runTrial } from "./run-trial.js";

/** What {@link checkScenarios} checks against. */
export interface CheckInput {
  readonly scenarios: readonly Scenario[];
  readonly agents: readonly AgentDefinition[];
  readonly policies: readonly Policy[];
  /** Replay the reference on every agent, not only each scenario's default one. */
  readonly allAgents?: boolean;
}

/**
 * Validates scenarios: the static checks of {@link validateScenarios}, then,
 * for scenarios that pass them, the reference policy replayed through a real
 * agent graph (the supervisor for multi-agent scenarios, ReAct otherwise; or
 * every agent) must complete and pass every outcome check. Problems come back
 * with the scenario's file and a fix.
 */
export async function checkScenarios(input: CheckInput): Promise<ScenarioProblem[]> {
  const problems = validateScenarios(input.scenarios);
  const broken = new Set(problems.map((problem) => problem.scenarioId));
  for (const scenario of input.scenarios) {
    if (broken.has(scenario.id)) continue;
    const agents = input.allAgents ? input.agents : input.agents.filter((agent) => agent.id === defaultAgentId(scenario));
    for (const agent of agents) {
      const trajectory = await runTrial({
        runId: "check",
        scenario,
        agent,
        model: "policy:reference",
        trial: 0,
        seed: 0,
        timeoutMs: 30_000,
        policies: input.policies,
      });
      const failed = trajectory.outcome.checks.filter((check) => !check.pass);
      if (trajectory.termination.reason === "completed" && failed.length === 0) continue;
      const why =
        trajectory.termination.reason !== "completed"
          ? `the run ended by ${trajectory.termination.reason}: ${trajectory.termination.message ?? ""}`
          : failed.map((check) => `${check.name}: ${check.message}`).join("; ");
      problems.push({
        scenarioId: scenario.id,
        source: scenario.source ?? null,
        field: `reference replayed by the ${agent.id} agent`,
        message: `the reference policy does not reach the outcome: ${why}`,
        fix:
          trajectory.termination.reason === "max_steps"
            ? "raise the scenario's maxSteps"
            : "the plan passes when executed directly, so check what differs in a replay: questions the simulated user must answer, values the plan reads from tool results as the agent sees them (JSON text), or agents in a team",
      });
    }
  }
  return problems;
}
