import type { AgentDefinition } from "./agent.js";
import { planExecuteAgent } from "./plan-execute.js";
import { reactAgent } from "./react.js";
import { supervisorAgent } from "./supervisor.js";

/** The agent builders that ship with trajlab. */
export const builtinAgents: readonly AgentDefinition[] = [reactAgent, planExecuteAgent, supervisorAgent];

/**
 * The agent a scenario runs on when none is asked for: the supervisor for
 * multi-agent scenarios, the ReAct agent otherwise.
 */
export function defaultAgentId(scenario: { team?: unknown }): string {
  return scenario.team ? supervisorAgent.id : reactAgent.id;
}
