import { describe, expect, it } from "vitest";
import { builtinAgents, type AgentDefinition } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios, type Policy, type Scenario, type ScriptAction } from "../../scenarios/index.js";
import { runTrial, type LlmCallEvent, type MessageEvent, type RecordedTrajectory, type Trajectory } from "../../harness/index.js";

const scenario = (id: string): Scenario => builtinScenarios().find((s) => s.id === id)!;
const agent = (id: string): AgentDefinition => builtinAgents.find((a) => a.id === id)!;
const run = (s: Scenario, a: AgentDefinition, policy = "reference"): Promise<RecordedTrajectory> =>
  runTrial({
    runId: "conversation-test",
    scenario: s,
    agent: a,
    model: `policy:${policy}`,
    trial: 0,
    seed: 3,
    timeoutMs: 30_000,
    policies: builtinPolicies,
  });
const userTurns = (t: Trajectory) => t.events.filter((e): e is MessageEvent => e.kind === "message" && e.role === "user");

describe("multi-turn scenarios with a simulated user", () => {
  it.each(["react", "plan-execute", "supervisor"])(
    "record every user turn in order, after the question it answers (%s)",
    async (agentId) => {
      const t = await run(scenario("travel.berlin-trip-multi-turn"), agent(agentId));
      expect(t.outcome.checks.filter((c) => !c.pass)).toEqual([]);
      const turns = userTurns(t);
      expect(turns.map((m) => m.content)).toEqual([
        t.task,
        "My email is sofia.marques@northwind.example. I'll fly from Manchester (MAN). I travel on 2026-11-26 and need to land by 11:00.",
        "Yes, please book it.",
      ]);
      // Each reply follows the model call that asked for it, and later prompts point at it.
      for (const reply of turns.slice(1)) {
        const index = t.events.indexOf(reply);
        const question = t.events.slice(0, index).findLast((e): e is LlmCallEvent => e.kind === "llm_call")!;
        const asked = question.output.content || JSON.stringify(question.output.toolCalls);
        expect(asked).toContain("?");
        expect(t.events.slice(index).some((e) => e.kind === "llm_call" && e.inputEventIds.includes(reply.id))).toBe(true);
      }
      expect(t.finalAnswer).toContain("BK-0001");
      expect(t.finalAnswer).not.toContain("?");
      expect(t.conversation).toEqual({ userTurns: 2, endedBy: "no_question" });
    },
  );

  it("record no conversation for scenarios without a simulated user", async () => {
    const t = await run(scenario("retail.where-is-my-order"), agent("react"));
    expect(t.outcome.pass).toBe(true);
    expect(t).not.toHaveProperty("conversation");
  });

  it("let the supervisor ask while specialists do the work", async () => {
    const t = await run(scenario("helpdesk.shipment-status-multi-turn"), agent("supervisor"));
    expect(t.outcome.pass).toBe(true);
    const reply = userTurns(t)[1]!;
    expect(reply.content).toBe("It's ines.duarte@mail.example.");
    const before = t.events.slice(0, t.events.indexOf(reply));
    expect(before.filter((e) => e.kind === "handoff")).toEqual([]);
    expect(before.findLast((e) => e.kind === "llm_call")!.agent).toBe("supervisor");
  });

  it("end by the user's rule, recorded as the reason: an answer without a question, a question the user cannot answer, the turn limit", async () => {
    const scripted = (id: string, steps: ScriptAction[]): Policy => ({
      id,
      description: id,
      script: () => ({ policy: id, steps, answer: () => "I could not find any meeting to move." }),
    });
    const policies = [
      ...builtinPolicies,
      scripted("answers-at-once", []),
      scripted("asks-the-wrong-thing", [{ ask: "What is your favourite colour?" }]),
      scripted(
        "asks-forever",
        Array.from({ length: 6 }, () => ({ ask: "Which day should it move to?" })),
      ),
    ];
    const drive = (policy: string) =>
      runTrial({
        runId: "conversation-test",
        scenario: scenario("office.reschedule-one-on-one"),
        agent: agent("react"),
        model: `policy:${policy}`,
        trial: 0,
        seed: 0,
        timeoutMs: 30_000,
        policies,
      });
    const atOnce = await drive("answers-at-once");
    expect(userTurns(atOnce).map((m) => m.content)).toEqual([atOnce.task]);
    expect(atOnce.finalAnswer).toBe("I could not find any meeting to move.");
    expect(atOnce.outcome.pass).toBe(false);
    const unanswerable = await drive("asks-the-wrong-thing");
    expect(userTurns(unanswerable)).toHaveLength(1);
    expect(unanswerable.finalAnswer).toBe("What is your favourite colour?");
    expect(atOnce.conversation).toEqual({ userTurns: 0, endedBy: "no_question" });
    expect(unanswerable.conversation).toEqual({ userTurns: 0, endedBy: "nothing_to_say" });
    // The user's default limit is four replies; the fifth question goes unanswered.
    const persistent = await drive("asks-forever");
    expect(userTurns(persistent)).toHaveLength(5);
    expect(persistent.conversation).toEqual({ userTurns: 4, endedBy: "max_turns" });
  });
});
