import { z } from "zod";
import { createAgent } from "langchain";
import { tool } from "@langchain/core/tools";
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { Command, END, MessagesAnnotation, START, StateGraph, getCurrentTaskInput } from "@langchain/langgraph";
import { PolicyChatModel } from "../../agents/index.js";
import type { ScriptStep } from "../../scenarios/index.js";

/** A chat model that makes the scripted tool calls in order, then gives `answer`. */
export function scripted(steps: ScriptStep[], answer: string, agent?: string): PolicyChatModel {
  return new PolicyChatModel({ script: { policy: "test", steps, answer: () => answer }, modelName: "policy:test", agent });
}

type Member = { invoke: (input: { messages: BaseMessage[] }, config?: RunnableConfig) => Promise<{ messages: BaseMessage[] }> };

/**
 * A supervisor that hands "refund A1 and tell me when it arrives" to two
 * specialists, billing (`refund`) and shipping (`track`), each a createAgent
 * subgraph. Handoff tools return a Command to the parent graph. With
 * `handBack`, it is built the way langgraph-supervisor builds one: when a
 * member finishes, its node writes a "transferring back" pair into the state
 * (tool call id `back-<member>`), with no callback.
 */
export function supervisorGraph(options: { handBack?: boolean } = {}) {
  const handoff = (to: string) =>
    tool(
      async (_args: Record<string, never>, config: { toolCall?: { id?: string } }) => {
        const state = getCurrentTaskInput<{ messages: BaseMessage[] }>();
        const ack = new ToolMessage({
          content: `Transferred to ${to}`,
          tool_call_id: config.toolCall?.id ?? "",
          name: `transfer_to_${to}`,
        });
        return new Command({ goto: to, graph: Command.PARENT, update: { messages: [...state.messages, ack] } });
      },
      { name: `transfer_to_${to}`, description: `hand the conversation to ${to}`, schema: z.object({}) },
    );
  const refund = tool(async ({ id }: { id: string }) => JSON.stringify({ id, refunded: 12.5 }), {
    name: "refund",
    description: "refund",
    schema: z.object({ id: z.string() }),
  });
  const track = tool(async ({ id }: { id: string }) => JSON.stringify({ id, eta: "2026-11-24" }), {
    name: "track",
    description: "track",
    schema: z.object({ id: z.string() }),
  });
  const supervisor = createAgent({
    model: scripted(
      [
        { tool: "transfer_to_billing", args: {} },
        { tool: "transfer_to_shipping", args: {} },
      ],
      "Refunded 12.5; arrives 2026-11-24.",
      "supervisor",
    ),
    tools: [handoff("billing"), handoff("shipping")],
    name: "supervisor",
  });
  const billing = createAgent({
    model: scripted([{ tool: "refund", args: { id: "A1" } }], "refund done", "billing"),
    tools: [refund],
    name: "billing",
  });
  const shipping = createAgent({
    model: scripted([{ tool: "track", args: { id: "A1" } }], "tracking done", "shipping"),
    tools: [track],
    name: "shipping",
  });
  const handingBack = (name: string, agent: Member) => async (state: { messages: BaseMessage[] }, config: RunnableConfig) => {
    const result = await agent.invoke({ messages: state.messages }, config);
    const id = `back-${name}`;
    return {
      messages: [
        ...result.messages,
        new AIMessage({
          content: "Transferring back to supervisor",
          name,
          tool_calls: [{ id, name: "transfer_back_to_supervisor", args: {}, type: "tool_call" }],
        }),
        new ToolMessage({ content: "Successfully transferred back to supervisor", tool_call_id: id, name: "transfer_back_to_supervisor" }),
      ],
    };
  };
  return new StateGraph(MessagesAnnotation)
    .addNode("supervisor", supervisor.graph as never, { ends: ["billing", "shipping", END] })
    .addNode("billing", options.handBack ? handingBack("billing", billing as never) : (billing.graph as never))
    .addNode("shipping", options.handBack ? handingBack("shipping", shipping as never) : (shipping.graph as never))
    .addEdge(START, "supervisor")
    .addEdge("billing", "supervisor")
    .addEdge("shipping", "supervisor")
    .compile();
}
