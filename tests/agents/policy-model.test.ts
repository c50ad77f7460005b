import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { historyFromConversation, modelFor, PolicyChatModel, PLAN_TOOL, RESPOND_TOOL } from "../../agents/index.js";
import type { PolicyScript } from "../../scenarios/index.js";

const routed: PolicyScript = {
  policy: "test",
  routed: true,
  steps: [
    { ask: "What is your account?", agent: "supervisor" },
    { tool: "transfer_to_billing", args: {}, agent: "supervisor" },
    { tool: "refund", args: (c) => ({ account: c.fromUser(/ACC-\d+/) }), agent: "billing" },
  ],
  answer: (c) => `Refunded ${c.result("refund").amount} on ${c.fromUser(/ACC-\d+/)}.`,
};

async function reply(model: PolicyChatModel, messages: BaseMessage[]): Promise<AIMessage> {
  return (await model.invoke(messages)) as AIMessage;
}

const call = (id: string, name: string, args: Record<string, unknown>, agent?: string) =>
  new AIMessage({ content: "", name: agent, tool_calls: [{ id, name, args, type: "tool_call" }] });

describe("PolicyChatModel", () => {
  it("in a team, each agent plays only its own steps and hands back when the next step is not its own", async () => {
    const supervisor = new PolicyChatModel({ script: routed, modelName: "policy:test", agent: "supervisor" });
    const billing = supervisor.with({ agent: "billing" });
    const conversation: BaseMessage[] = [new HumanMessage("refund me")];

    const question = await reply(supervisor, conversation);
    expect(question.content).toBe("What is your account?");
    expect(question.name).toBe("supervisor");
    conversation.push(question, new HumanMessage("It is ACC-7."));

    const transfer = await reply(supervisor, conversation);
    expect(transfer.tool_calls).toEqual([expect.objectContaining({ id: "call_2", name: "transfer_to_billing" })]);
    conversation.push(transfer, new ToolMessage({ content: "Transferred to billing.", tool_call_id: "call_2" }));

    expect(await reply(supervisor, conversation)).toMatchObject({ content: expect.stringContaining("does not have control") });
    const refund = await reply(billing, conversation);
    expect(refund.tool_calls).toEqual([expect.objectContaining({ id: "call_3", name: "refund", args: { account: "ACC-7" } })]);
    conversation.push(refund, new ToolMessage({ content: '{"amount":12}', tool_call_id: "call_3" }));

    const report = await reply(billing, conversation);
    expect(report.content).toBe("billing is done and hands back to supervisor.");
    expect(report.tool_calls).toEqual([]);
    conversation.push(report);
    expect((await reply(supervisor, conversation)).content).toBe("Refunded 12 on ACC-7.");
  });

  it("as a single agent, skips handoffs and keeps the tool-call ids of the routed script", async () => {
    const single = new PolicyChatModel({ script: routed, modelName: "policy:test" });
    const conversation: BaseMessage[] = [new HumanMessage("refund me"), new AIMessage("What is your account?"), new HumanMessage("ACC-9")];
    const refund = await reply(single, conversation);
    expect(refund.tool_calls?.[0]).toMatchObject({ id: "call_3", name: "refund", args: { account: "ACC-9" } });
  });

  it("as planner, executor and replanner, plans the remaining calls, makes one call per activation, and replies", async () => {
    const script: PolicyScript = {
      policy: "t",
      routed: true,
      steps: [
        { tool: "a", args: {} },
        { tool: "b", args: {} },
      ],
      answer: () => "all done",
    };
    const base = new PolicyChatModel({ script, modelName: "policy:t" });
    const planner = modelFor(base, { role: "planner" }) as PolicyChatModel;
    const executor = modelFor(base, { role: "executor" }) as PolicyChatModel;
    const start = [new HumanMessage("go")];
    expect((await reply(planner, start)).tool_calls?.[0]).toMatchObject({ name: PLAN_TOOL, args: { steps: ["Call a", "Call b"] } });
    const first = await reply(executor, start);
    expect(first.tool_calls?.[0]).toMatchObject({ name: "a", id: "call_1" });
    const afterA = [...start, first, new ToolMessage({ content: "{}", tool_call_id: "call_1" })];
    expect((await reply(executor, afterA)).content).toBe("Step done.");
    const replanner = modelFor(base, { role: "replanner" }) as PolicyChatModel;
    expect((await reply(replanner, afterA)).tool_calls?.[0]).toMatchObject({ name: PLAN_TOOL, args: { steps: ["Call b"] } });
    const afterB = [
      ...afterA,
      new AIMessage("Step done."),
      call("call_2", "b", {}),
      new ToolMessage({ content: "{}", tool_call_id: "call_2" }),
    ];
    expect((await reply(replanner, afterB)).tool_calls?.[0]).toMatchObject({ name: RESPOND_TOOL, args: { message: "all done" } });
  });

  it("loops on a looping step with fresh call ids", async () => {
    const script: PolicyScript = { policy: "t", routed: true, steps: [{ tool: "a", args: {}, loop: true }], answer: () => "never" };
    const model = new PolicyChatModel({ script, modelName: "policy:t" });
    const conversation: BaseMessage[] = [new HumanMessage("go")];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await reply(model, conversation);
      ids.push(next.tool_calls![0]!.id!);
      conversation.push(next, new ToolMessage({ content: "{}", tool_call_id: next.tool_calls![0]!.id! }));
    }
    expect(ids).toEqual(["call_1", "call_1_2", "call_1_3"]);
  });
});

describe("historyFromConversation", () => {
  it("reads tool calls with their results, and questions answered by the user; ignores calls it did not make", () => {
    const messages: BaseMessage[] = [
      new HumanMessage("task"),
      call("call_1", "lookup", { id: 1 }),
      new ToolMessage({ content: '{"ok":true}', tool_call_id: "call_1" }),
      new AIMessage("Which one?"),
      new HumanMessage("The red one."),
      call("transfer-uuid", "transfer_back_to_supervisor", {}),
      new ToolMessage({ content: "back", tool_call_id: "transfer-uuid" }),
      new AIMessage("A report, not a question."),
      call("call_2", "lookup", { id: 2 }),
      new ToolMessage({ content: "boom", tool_call_id: "call_2", status: "error" }),
    ];
    const history = historyFromConversation(messages);
    expect(history.entries).toEqual([
      { tool: "lookup", args: { id: 1 }, result: { ok: true }, error: null },
      { ask: "Which one?", reply: "The red one." },
      { tool: "lookup", args: { id: 2 }, result: undefined, error: "boom" },
    ]);
    expect(history.userTexts).toEqual(["task", "The red one."]);
  });

  it("leaves models that are not policy models unchanged", () => {
    const model = new FakeListChatModel({ responses: ["hi"] });
    expect(modelFor(model, { agent: "billing" })).toBe(model);
  });
});
