import { describe, expect, it } from "vitest";
import { builtinAgents, reactAgent, supervisorAgent } from "../../../agents/index.js";
import { builtinPolicies, builtinScenarios, type Scenario } from "../../../scenarios/index.js";
import {
  replayGrader,
  replayWithout,
  runTrial,
  stripGroundTruth,
  type GradedResult,
  type ReplayRecord,
  type RecordedTrajectory,
} from "../../../harness/index.js";

const scenario = (id: string): Scenario => builtinScenarios().find((s) => s.id === id)!;

async function wasteful(s: Scenario, agent = reactAgent): Promise<RecordedTrajectory> {
  return runTrial({
    runId: "replay-test",
    scenario: s,
    agent,
    model: "policy:wasteful",
    trial: 0,
    seed: 0,
    timeoutMs: 20_000,
    policies: builtinPolicies,
  });
}

describe("counterfactual replay", () => {
  it("verifies exactly the wasteful policy's extra calls on a ReAct run, by forking the checkpoint before each call", async () => {
    const s = scenario("retail.return-damaged-mug");
    const t = await wasteful(s);
    const injected = new Set(t.groundTruth!.faults.flatMap((f) => f.eventIds));
    const calls = t.events.filter((e) => e.kind === "tool_call").map((e) => e.id);
    const records: ReplayRecord[] = [];
    for (const id of calls)
      records.push(await replayWithout(stripGroundTruth(t), s, id, { agents: builtinAgents, policies: builtinPolicies }));
    expect(records.every((r) => r.strategy === "fork")).toBe(true);
    expect(new Set(records.filter((r) => r.verdict === "skippable").map((r) => r.eventId))).toEqual(injected);
    const needed = records.find((r) => r.verdict === "needed")!;
    expect(needed.reason).toMatch(/the outcome then fails/);
    // The replay is a trajectory of its own, kept with a stable id and linked from the label.
    expect(needed.trajectory.id).toBe(needed.replayId);
    expect(needed.trajectory.groundTruth).toBeUndefined();
  });

  it("re-runs a policy with the call skipped when the graph cannot be forked (a supervisor team)", async () => {
    const s = builtinScenarios().find((x) => x.team)!;
    const t = await wasteful(s, supervisorAgent);
    const repeated = t.groundTruth!.faults.find((f) => f.kind === "repeated_call")!.eventIds[0]!;
    const record = await replayWithout(stripGroundTruth(t), s, repeated, { agents: builtinAgents, policies: builtinPolicies });
    expect(record.strategy).toBe("rerun");
    expect(record.verdict).toBe("skippable");
  });

  it("as a grader: labels candidates skippable (verified by replay), hands each replay over, and grades the same twice", async () => {
    const s = scenario("retail.cancel-pending-order");
    const t = await wasteful(s);
    const kept: ReplayRecord[] = [];
    const grader = replayGrader({ agents: builtinAgents, policies: builtinPolicies, onReplay: (r) => void kept.push(r) });
    const first = (await grader.grade(stripGroundTruth(t), s)) as GradedResult;
    const second = (await grader.grade(stripGroundTruth(t), s)) as GradedResult;
    expect(second).toEqual(first);
    const injected = t.groundTruth!.faults.flatMap((f) => f.eventIds).sort();
    expect(first.steps.map((step) => step.eventId).sort()).toEqual(injected);
    expect(
      first.steps.every(
        (step) => step.label === "skippable" && step.reason.startsWith("skippable (verified by replay)") && step.replay?.startsWith("rp-"),
      ),
    ).toBe(true);
    expect(kept.map((r) => r.replayId)).toContain(first.steps[0]!.replay);
  });

  it("refuses what it cannot replay faithfully", async () => {
    const s = scenario("retail.cancel-pending-order");
    const t = await wasteful(s, supervisorAgent);
    const call = t.events.find((e) => e.kind === "tool_call")!.id;
    // On a real model the rerun needs the model call that asked for the skipped call, to replay the replies up to it.
    const unrequested = {
      ...stripGroundTruth(t),
      model: "openai:gpt-4o-mini",
      events: t.events.map((e) => (e.id === call && e.kind === "tool_call" ? { ...e, toolCallId: null } : e)),
    };
    await expect(replayWithout(unrequested, s, call, { agents: builtinAgents, policies: builtinPolicies })).rejects.toThrow(
      /no recorded model call requested it/,
    );
    await expect(replayWithout(stripGroundTruth(t), s, "e1", { agents: builtinAgents, policies: builtinPolicies })).rejects.toThrow(
      /has no tool call e1/,
    );
  });
});
