import { describe, expect, it } from "vitest";
import { createAgent } from "langchain";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { supervisorAgent } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios, faultyPolicy } from "../../scenarios/index.js";
import {
  runTrial,
  TrajectoryRecorder,
  type HandoffEvent,
  type MessageEvent,
  type ToolCallEvent,
  type TrajectoryEvent,
} from "../../harness/index.js";
import { scripted, supervisorGraph } from "../support/supervisor-graph.js";

const handoffs = (events: TrajectoryEvent[]) => events.filter((e): e is HandoffEvent => e.kind === "handoff");
const calls = (events: TrajectoryEvent[]) => events.filter((e): e is ToolCallEvent => e.kind === "tool_call");
const scenario = (id: string) => builtinScenarios().find((s) => s.id === id)!;

describe("recording the supervisor agent", () => {
  it("attributes each call to its specialist and records every handoff, both ways", async () => {
    const t = await runTrial({
      runId: "rec",
      scenario: scenario("helpdesk.outage-credit"),
      agent: supervisorAgent,
      model: "policy:reference",
      trial: 0,
      seed: 0,
      timeoutMs: 20_000,
      policies: builtinPolicies,
    });
    expect(calls(t.events).map((c) => `${c.agent}:${c.name}`)).toEqual([
      "triage:find_account",
      "technical:get_service_status",
      "technical:run_diagnostics",
      "billing:apply_credit",
    ]);
    expect(handoffs(t.events).map((h) => `${h.from}>${h.to}:${h.via}`)).toEqual([
      "supervisor>triage:tool",
      "triage>supervisor:return",
      "supervisor>technical:tool",
      "technical>supervisor:return",
      "supervisor>billing:tool",
      "billing>supervisor:return",
    ]);
    // Each specialist's calls nest under its node in the parent graph.
    for (const call of calls(t.events)) {
      let node = t.events.find((e) => e.id === call.parentId);
      while (node?.parentId) node = t.events.find((e) => e.id === node!.parentId);
      expect(node).toMatchObject({ kind: "node", name: call.agent });
    }
    // The transfer tools' acknowledgements in later prompts point at the handoffs.
    const lastPrompt = t.events.findLast((e) => e.kind === "llm_call")!;
    expect(lastPrompt.kind === "llm_call" && lastPrompt.inputEventIds).toEqual(
      expect.arrayContaining(
        handoffs(t.events)
          .filter((h) => h.via === "tool")
          .map((h) => h.id),
      ),
    );
  });

  it("records a pass-through chain as two tool handoffs with no return in between", async () => {
    const policies = [...builtinPolicies, faultyPolicy({ id: "pass-through", only: ["pass_through_handoff"] })];
    const t = await runTrial({
      runId: "rec",
      scenario: scenario("helpdesk.outage-check"),
      agent: supervisorAgent,
      model: "policy:pass-through",
      trial: 0,
      seed: 0,
      timeoutMs: 20_000,
      policies,
    });
    expect(handoffs(t.events).map((h) => `${h.from}>${h.to}:${h.via}`)).toEqual([
      "supervisor>triage:tool",
      "triage>technical:tool",
      "technical>supervisor:return",
    ]);
    expect(t.groundTruth!.faults).toEqual([
      expect.objectContaining({
        kind: "pass_through_handoff",
        eventIds: handoffs(t.events)
          .slice(0, 2)
          .map((h) => h.id),
      }),
    ]);
    expect(t.events.filter((e) => e.agent === "triage").map((e) => e.kind)).toEqual(expect.arrayContaining(["llm_call", "handoff"]));
    expect(calls(t.events).some((c) => c.agent === "triage")).toBe(false);
    expect(t.outcome.pass).toBe(true);
  });
});

describe("recording a supervisor that writes transferring-back messages", () => {
  it("turns each transferring-back pair into the return handoff, attributed to the member that wrote it", async () => {
    const recorder = new TrajectoryRecorder({ rootAgent: "supervisor", toolEffects: { refund: "write", track: "read" } });
    await supervisorGraph({ handBack: true }).invoke(
      { messages: [new HumanMessage("refund A1 and tell me when it arrives")] },
      { callbacks: [recorder], recursionLimit: 40 },
    );
    const events = recorder.events();
    expect(calls(events).map((c) => `${c.agent}:${c.name}`)).toEqual(["billing:refund", "shipping:track"]);
    const returns = handoffs(events).filter((h) => h.via === "return");
    expect(returns.map((h) => [h.from, h.to, h.toolName, h.toolCallId])).toEqual([
      ["billing", "supervisor", "transfer_back_to_supervisor", "back-billing"],
      ["shipping", "supervisor", "transfer_back_to_supervisor", "back-shipping"],
    ]);
    expect(handoffs(events)).toHaveLength(4);
    const backMessages = events.filter((e): e is MessageEvent => e.kind === "message" && e.content === "Transferring back to supervisor");
    expect(backMessages.map((m) => m.agent)).toEqual(["billing", "shipping"]);
    // The tool message of the pair is the return handoff itself in the supervisor's next prompt.
    expect(events.some((e) => e.kind === "message" && e.content.startsWith("Successfully transferred back"))).toBe(false);
    const finalPrompt = events.findLast((e) => e.kind === "llm_call")!;
    expect(finalPrompt.kind === "llm_call" && finalPrompt.inputEventIds).toEqual(expect.arrayContaining(returns.map((h) => h.id)));
    expect(events.some((e) => e.kind === "error")).toBe(false);
  });

  it("tells two identical user replies apart by their message ids", async () => {
    const recorder = new TrajectoryRecorder({ rootAgent: "assistant", toolEffects: {} });
    recorder.recordUserMessage("yes", "user-1");
    recorder.recordUserMessage("yes", "user-2");
    const agent = createAgent({ model: scripted([], "ok", "assistant"), tools: [], name: "assistant" });
    await agent.invoke(
      {
        messages: [
          new HumanMessage({ content: "yes", id: "user-1" }),
          new AIMessage("sure?"),
          new HumanMessage({ content: "yes", id: "user-2" }),
        ],
      },
      { callbacks: [recorder] },
    );
    const events = recorder.events();
    const users = events.filter((e) => e.kind === "message" && e.role === "user").map((e) => e.id);
    expect(users).toHaveLength(2);
    const prompt = events.find((e) => e.kind === "llm_call")!;
    expect(prompt.kind === "llm_call" && prompt.inputEventIds.filter((id) => users.includes(id))).toEqual(users);
  });
});
