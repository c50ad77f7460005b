import { describe, expect, it } from "vitest";
import type { TrajectoryEvent } from "../../../harness/core.js";
import { TrajectoryConversation, openAiMessages, parseCorrection } from "../../../reviews/index.js";
import { makeTrajectory } from "../fixtures.js";

describe("a trajectory's conversation", () => {
  const trajectory = makeTrajectory({
    calls: [
      { name: "find_customer", args: { email: "a@example.com" } },
      { name: "list_orders", args: { customerId: "C-1" } },
    ],
  });
  const conversation = new TrajectoryConversation(trajectory);

  it("reads a model call's prompt from its recorded inputs and pairs each step with the call that asked for it", () => {
    const second = conversation.turnOf("e6")!;
    expect(second.id).toBe("e5");
    expect(conversation.promptOf(second).map((m) => `${m.role}:${m.eventId}`)).toEqual(["system:e1", "user:e2", "assistant:e3", "tool:e4"]);
    expect(conversation.turn(second).stepIds).toEqual(["e6"]);
    expect(conversation.assistantOf(second).toolCalls).toEqual([
      { id: "call_2", name: "list_orders", arguments: { customerId: "C-1" }, eventId: "e6" },
    ]);
  });

  it("falls back to the agent's earlier events for a call recorded without its prompt", () => {
    // The fixture's answering call has no recorded inputs.
    const answer = conversation.calls().at(-1)!;
    expect(answer.inputEventIds).toEqual([]);
    expect(conversation.promptOf(answer).map((m) => m.eventId)).toEqual(["e1", "e2", "e3", "e4", "e5", "e6"]);
    expect(conversation.conversationOf("assistant").map((m) => m.eventId)).toEqual(["e1", "e2", "e3", "e4", "e5", "e6", "e7"]);
  });

  it("matches steps to calls when a model reuses a tool_call id, and makes OpenAI ids unique", () => {
    const reused = makeTrajectory({
      calls: [
        { name: "get_order", args: { orderId: "O-1" } },
        { name: "get_order", args: { orderId: "O-2" } },
      ],
    });
    // Both model calls name their tool call "call_1", as GPT-4o sometimes does.
    const events = reused.events.map((event): TrajectoryEvent => {
      if (event.kind === "llm_call")
        return { ...event, output: { ...event.output, toolCalls: event.output.toolCalls.map((c) => ({ ...c, id: "call_1" })) } };
      if (event.kind === "tool_call") return { ...event, toolCallId: "call_1" };
      return event;
    });
    const conversation = new TrajectoryConversation({ ...reused, events });
    expect(conversation.turnOf("e4")!.id).toBe("e3");
    expect(conversation.turnOf("e6")!.id).toBe("e5");
    const messages = openAiMessages(conversation.conversationOf("assistant"));
    const ids = messages.flatMap((m) => (m.role === "assistant" ? (m.tool_calls ?? []).map((c) => c.id) : []));
    expect(ids).toEqual(["call_1", "call_1-2"]);
    expect(messages.filter((m) => m.role === "tool").map((m) => (m.role === "tool" ? m.tool_call_id : ""))).toEqual(["call_1", "call_1-2"]);
  });
});

describe("a reviewer's 'should have called'", () => {
  const tools = new Set(["list_orders", "get_order"]);

  it("reads a tool name with JSON arguments, in either spelling, or alone", () => {
    expect(parseCorrection('list_orders {"customerId": "C-1"}', tools)).toEqual({
      kind: "call",
      name: "list_orders",
      arguments: { customerId: "C-1" },
    });
    expect(parseCorrection('get_order({"orderId":"O-1"})', tools)).toEqual({
      kind: "call",
      name: "get_order",
      arguments: { orderId: "O-1" },
    });
    expect(parseCorrection("list_orders", tools)).toEqual({ kind: "call", name: "list_orders", arguments: {} });
  });

  it("reads 'nothing' as leaving the step out, and anything else as free text", () => {
    expect(parseCorrection("nothing", tools)).toEqual({ kind: "nothing" });
    expect(parseCorrection(" None. ", tools)).toEqual({ kind: "nothing" });
    expect(parseCorrection("ask the customer for the order id", tools).kind).toBe("text");
    expect(parseCorrection("delete_everything {}", tools).kind).toBe("text");
    expect(parseCorrection("list_orders for this customer", tools).kind).toBe("text");
    expect(parseCorrection('list_orders ["C-1"]', tools).kind).toBe("text");
  });
});
