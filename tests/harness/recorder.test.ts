import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgent } from "langchain";
import { tool } from "@langchain/core/tools";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import {
  TrajectoryEventSchema,
  TrajectoryRecorder,
  type HandoffEvent,
  type LlmCallEvent,
  type ToolCallEvent,
  type TrajectoryEvent,
} from "../../harness/index.js";
import { scripted, supervisorGraph } from "../support/supervisor-graph.js";

const lookup = tool(async ({ id }: { id: string }) => JSON.stringify({ id, status: "shipped" }), {
  name: "lookup",
  description: "look an order up",
  schema: z.object({ id: z.string() }),
});
const boom = tool(
  async () => {
    throw new Error("warehouse offline");
  },
  { name: "boom", description: "always fails", schema: z.object({}) },
);

async function record(
  agent: { invoke: (input: { messages: BaseMessage[] }, config: object) => Promise<unknown> },
  rootAgent = "assistant",
) {
  const recorder = new TrajectoryRecorder({ rootAgent, toolEffects: { lookup: "read", boom: "write", refund: "write", track: "read" } });
  await agent.invoke({ messages: [new HumanMessage("where is A1?")] }, { callbacks: [recorder], recursionLimit: 30 });
  return recorder.events();
}

const toolCalls = (events: TrajectoryEvent[]) => events.filter((e): e is ToolCallEvent => e.kind === "tool_call");

describe("TrajectoryRecorder on a single ReAct agent", () => {
  it("records every model call and tool call with ids, tree, inputs, args, results and timing", async () => {
    const agent = createAgent({
      model: scripted(
        [
          { tool: "lookup", args: { id: "A1" } },
          { tool: "lookup", args: (c) => ({ id: `${c.result("lookup").id}-again` }) },
        ],
        "A1 has shipped",
      ),
      tools: [lookup],
      systemPrompt: "You track orders.",
      name: "assistant",
    });
    const events = await record(agent);
    for (const event of events) expect(TrajectoryEventSchema.safeParse(event).success).toBe(true);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => `e${i + 1}`));

    const calls = toolCalls(events);
    expect(calls.map((c) => [c.name, c.args, c.status, c.effect])).toEqual([
      ["lookup", { id: "A1" }, "ok", "read"],
      ["lookup", { id: "A1-again" }, "ok", "read"],
    ]);
    expect(calls[0]!.result).toEqual({ id: "A1", status: "shipped" });
    expect(calls[0]!.toolCallId).toBe("call_1");
    for (const call of calls) {
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
      const parent = events.find((e) => e.id === call.parentId);
      expect(parent).toMatchObject({ kind: "node", name: "tools" });
      expect(call.agent).toBe("assistant");
    }

    const llm = events.filter((e): e is LlmCallEvent => e.kind === "llm_call");
    expect(llm).toHaveLength(3);
    expect(llm[0]!.output.toolCalls).toEqual([{ id: "call_1", name: "lookup", args: { id: "A1" } }]);
    expect(llm[2]!.output.content).toBe("A1 has shipped");
    expect(llm[0]!.usage.totalTokens).toBeGreaterThan(0);
    // The prompt of the last call is: system, user, call 1, result 1, call 2, result 2.
    const kinds = llm[2]!.inputEventIds.map((id) => events.find((e) => e.id === id)!);
    expect(kinds.map((e) => (e.kind === "message" ? e.role : e.kind))).toEqual([
      "system",
      "user",
      "llm_call",
      "tool_call",
      "llm_call",
      "tool_call",
    ]);
    expect(llm[2]!.inputEventIds[2]).toBe(llm[0]!.id);
  });

  it("records calls to unknown tools and calls with invalid args as failed tool calls, though no tool callback fires", async () => {
    const agent = createAgent({
      model: scripted(
        [
          { tool: "no_such_tool", args: { id: "A1" } },
          { tool: "lookup", args: { id: 5 } },
          { tool: "boom", args: {} },
        ],
        "sorry",
      ),
      tools: [lookup, boom],
      name: "assistant",
    });
    const events = await record(agent);
    const calls = toolCalls(events);
    expect(calls.map((c) => [c.name, c.status, c.error?.kind])).toEqual([
      ["no_such_tool", "error", "unknown_tool"],
      ["lookup", "error", "invalid_args"],
      ["boom", "error", "tool_error"],
    ]);
    expect(calls[0]!.args).toEqual({ id: "A1" });
    expect(calls[0]!.toolCallId).toBe("call_1");
    expect(calls[0]!.resultText).toContain("not a valid tool");
    expect(calls[1]!.args).toEqual({ id: 5 });
    expect(calls[1]!.error?.message).toContain("expected string");
    expect(calls[1]!.error?.message).not.toContain("    at ");
    expect(calls[2]!.error?.message).toBe("warehouse offline");
    // The rejected calls sit in their tools node like any other call, in start order.
    for (const call of calls) expect(events.find((e) => e.id === call.parentId)).toMatchObject({ kind: "node", name: "tools" });
    const ids = events.map((e) => e.id);
    expect(ids.indexOf(calls[0]!.id)).toBeLessThan(ids.indexOf(calls[1]!.id));
  });
});

describe("TrajectoryRecorder on a graph with two sub-agents", () => {
  it("attributes each call to its agent and records handoffs in both directions", async () => {
    const events = await record(supervisorGraph(), "supervisor");
    const calls = toolCalls(events);
    expect(calls.map((c) => [c.agent, c.name, c.status])).toEqual([
      ["billing", "refund", "ok"],
      ["shipping", "track", "ok"],
    ]);
    const handoffs = events.filter((e): e is HandoffEvent => e.kind === "handoff");
    expect(handoffs.map((h) => [h.from, h.to, h.via])).toEqual([
      ["supervisor", "billing", "tool"],
      ["billing", "supervisor", "return"],
      ["supervisor", "shipping", "tool"],
      ["shipping", "supervisor", "return"],
    ]);
    expect(handoffs[0]!.toolName).toBe("transfer_to_billing");
    const llmAgents = events.filter((e): e is LlmCallEvent => e.kind === "llm_call").map((e) => e.agent);
    expect(llmAgents).toEqual(["supervisor", "billing", "billing", "supervisor", "shipping", "shipping", "supervisor"]);
    // Sub-agent calls nest under the sub-agent's node in the parent graph.
    const refundCall = calls[0]!;
    const chain: string[] = [];
    for (let id: string | null = refundCall.parentId; id; id = events.find((e) => e.id === id)!.parentId) {
      const node = events.find((e) => e.id === id)!;
      if (node.kind === "node") chain.push(node.name);
    }
    expect(chain).toEqual(["tools", "billing"]);
    // ParentCommand control flow is not recorded as an error.
    expect(events.some((e) => e.kind === "error")).toBe(false);
  });
});
