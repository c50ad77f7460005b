import { builtinAgents, defaultAgentId } from "../../agents/index.js";
import { runTrial, type RecordedTrajectory, type Trajectory } from "../../harness/index.js";
import { builtinPolicies, type Scenario } from "../../scenarios/index.js";

/** One trial of a built-in scenario on its default agent, under a built-in policy, as trajlab's recorder records it. */
export function builtinTrial(scenario: Scenario, policy: string): Promise<RecordedTrajectory> {
  return runTrial({
    runId: "instrumented-app",
    scenario,
    agent: builtinAgents.find((agent) => agent.id === defaultAgentId(scenario))!,
    model: `policy:${policy}`,
    trial: 0,
    seed: 0,
    timeoutMs: 20_000,
    policies: builtinPolicies,
  });
}

/**
 * What another system's log (spans, run trees) can carry of a trajectory, in order: each tool call (agent,
 * name, arguments, status, result text), each system and user message and
 * model reply (agent, text), and each handoff. Tool messages are left out:
 * a handoff's acknowledgement sits in a different place in each.
 */
export function essentials(t: Trajectory) {
  return {
    toolCalls: t.events.flatMap((e) =>
      e.kind === "tool_call" ? [{ agent: e.agent, name: e.name, args: e.args, status: e.status, resultText: e.resultText }] : [],
    ),
    messages: t.events.flatMap((e) =>
      e.kind === "message" && (e.role === "system" || e.role === "user")
        ? [`${e.agent} ${e.role}: ${e.content}`]
        : e.kind === "llm_call"
          ? [`${e.agent} assistant: ${e.output.content}`]
          : [],
    ),
    handoffs: t.events.flatMap((e) => (e.kind === "handoff" ? [`${e.from}→${e.to}`] : [])),
  };
}
