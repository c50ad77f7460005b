import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinAgents, defaultAgentId } from "../../../agents/index.js";
import { builtinPolicies, builtinScenarios } from "../../../scenarios/index.js";
import {
  importFiles,
  importFormat,
  runTrial,
  toOpenAIConversation,
  type RecordedTrajectory,
  type Trajectory,
} from "../../../harness/index.js";
import { tempFolder } from "../../support/cli.js";

/** What a round trip must keep: every tool call, message text, agent and handoff, in order. */
function essentials(t: Trajectory) {
  return {
    toolCalls: t.events.flatMap((e) =>
      e.kind === "tool_call" ? [{ agent: e.agent, name: e.name, args: e.args, status: e.status, resultText: e.resultText }] : [],
    ),
    messages: t.events.flatMap((e) =>
      e.kind === "message" && e.role !== "assistant" && e.role !== "tool"
        ? [`${e.role}: ${e.content}`]
        : e.kind === "llm_call" || (e.kind === "message" && e.role === "assistant")
          ? [`assistant ${e.agent}: ${e.kind === "llm_call" ? e.output.content : e.content}`]
          : [],
    ),
    agents: [...new Set(t.events.map((e) => e.agent))].sort(),
    handoffs: t.events.flatMap((e) => (e.kind === "handoff" ? [`${e.from}→${e.to}`] : [])),
  };
}

describe("recorded → exported (openai) → imported", () => {
  it("keeps every tool call (name, args, result, error), message, agent and handoff, on every built-in scenario", async () => {
    const scenarios = builtinScenarios();
    const recorded: RecordedTrajectory[] = [];
    for (const scenario of scenarios) {
      for (const policy of ["wasteful", "faulty"]) {
        recorded.push(
          await runTrial({
            runId: "round-trip",
            scenario,
            agent: builtinAgents.find((agent) => agent.id === defaultAgentId(scenario))!,
            model: `policy:${policy}`,
            trial: 0,
            seed: 0,
            timeoutMs: 20_000,
            policies: builtinPolicies,
          }),
        );
      }
    }
    const file = join(await tempFolder("trajlab-round-trip-"), "export.jsonl");
    await writeFile(file, recorded.map((t) => `${JSON.stringify(toOpenAIConversation(t))}\n`).join(""));
    const { trajectories } = await importFiles(importFormat("openai"), [file], { runId: "imported" });
    expect(trajectories).toHaveLength(recorded.length);
    // The suite exercises what the trip must keep: failed calls, several agents and handoffs.
    expect(recorded.some((t) => t.events.some((e) => e.kind === "tool_call" && e.status === "error"))).toBe(true);
    expect(recorded.some((t) => t.events.some((e) => e.kind === "handoff"))).toBe(true);
    recorded.forEach((original, index) => {
      const back = trajectories[index]!;
      expect(essentials(back), original.scenarioId).toEqual(essentials(original));
      expect([back.model, back.agent, back.trial, back.outcome?.pass]).toEqual([
        original.model,
        original.agent,
        original.trial,
        original.outcome.pass,
      ]);
    });
  }, 120_000);
});
