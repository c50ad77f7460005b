import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { Annotation, Command, END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createAgent } from "langchain";
import * as z from "zod";
import { TrajlabError } from "../errors/index.js";
import type { AgentDefinition } from "./agent.js";
import { PLAN_TOOL, RESPOND_TOOL } from "./policy-model.js";
import { modelFor } from "./roles.js";

/** Name under which every call of the plan-and-execute agent is recorded (its parts show as nodes). */
const AGENT_NAME = "assistant";

const PlanExecuteState = Annotation.Root({
  ...MessagesAnnotation.spec,
  /** Steps still to do, as the planner or replanner wrote them. */
  plan: Annotation<string[]>({ reducer: (_previous, next) => next, default: () => [] }),
});
type State = typeof PlanExecuteState.State;

const planTool = tool(async () => "", {
  name: PLAN_TOOL,
  description: "Set the plan: the remaining steps, in order, each one short instruction.",
  schema: z.object({ steps: z.array(z.string()).describe("Remaining steps, in order") }),
});
const respondTool = tool(async () => "", {
  name: RESPOND_TOOL,
  description: "Reply to the user: the final answer once the work is done, or a question when information is missing.",
  schema: z.object({ message: z.string() }),
});

/** What a planner or replanner decided: a plan to carry on with, or a reply to the user. */
type Decision = { kind: "plan"; steps: string[] } | { kind: "respond"; message: string };

/**
 * Plan-and-execute: a planner writes the steps, an executor (a ReAct
 * sub-agent with the scenario's tools) carries out the first one, and a
 * replanner looks at what happened and either revises the remaining plan or
 * replies to the user, with a final answer or a question. Planner and
 * replanner decide with two tools (`submit_plan`, `respond_to_user`), which
 * any tool-calling model supports. All calls are recorded under one agent;
 * the graph node (planner, executor, replanner) tells the parts apart.
 */
export const planExecuteAgent: AgentDefinition = {
  id: "plan-execute",
  description: "plan-and-execute: a planner, a ReAct executor doing one step at a time, and a replanner",
  rootAgent: AGENT_NAME,
  build({ model, tools, scenario, checkpointer }) {
    const planner = modelFor(model, { role: "planner" });
    const replanner = modelFor(model, { role: "replanner" });
    const executorModel = modelFor(model, { role: "executor" });
    const instructions = scenario.environment.instructions;
    const toolList = tools.map((t) => `- ${t.name}: ${t.description}`).join("\n");

    const reply = (message: string) => new Command({ goto: END, update: { messages: [new AIMessage(message)] } });
    const carryOn = (steps: string[]) => new Command({ goto: "executor", update: { plan: steps } });

    const plannerNode = async (state: State, config: RunnableConfig) => {
      const prompt = `${instructions}\n\nMake a step-by-step plan for the user's request using these tools:\n${toolList}\nIf information is missing, ask the user instead (${RESPOND_TOOL}).`;
      const decision = await decide(planner, prompt, state.messages, config);
      return decision.kind === "respond" ? reply(decision.message) : carryOn(decision.steps);
    };

    const executorNode = async (state: State, config: RunnableConfig) => {
      const [current = "Finish the task.", ...rest] = state.plan;
      const executor = createAgent({
        model: executorModel,
        tools,
        systemPrompt: `${instructions}\n\nThe plan:\n${state.plan.map((s, i) => `${i + 1}. ${s}`).join("\n")}\n\nDo step 1 only: ${current}\nThen reply with a one-line report.`,
      });
      const result = (await executor.invoke({ messages: state.messages }, config)) as { messages: BaseMessage[] };
      return { messages: result.messages, plan: rest };
    };

    const replannerNode = async (state: State, config: RunnableConfig) => {
      const remaining = state.plan.length > 0 ? state.plan.map((s, i) => `${i + 1}. ${s}`).join("\n") : "(nothing left)";
      const prompt = `${instructions}\n\nRemaining plan:\n${remaining}\nLook at what has been done. If the request is fulfilled or the user must be asked something, reply (${RESPOND_TOOL}); otherwise submit the updated remaining steps (${PLAN_TOOL}).`;
      const decision = await decide(replanner, prompt, state.messages, config);
      return decision.kind === "respond" ? reply(decision.message) : carryOn(decision.steps);
    };

    return new StateGraph(PlanExecuteState)
      .addNode("planner", plannerNode, { ends: ["executor", END] })
      .addNode("executor", executorNode)
      .addNode("replanner", replannerNode, { ends: ["executor", END] })
      .addEdge(START, "planner")
      .addEdge("executor", "replanner")
      .compile(checkpointer ? { checkpointer } : {});
  },
};

/** Asks a planner or replanner model for its decision; plain text counts as a reply to the user. */
async function decide(model: BaseChatModel, prompt: string, messages: BaseMessage[], config: RunnableConfig): Promise<Decision> {
  if (!model.bindTools) {
    throw new TrajlabError("MODEL_WITHOUT_TOOLS", "plan-execute needs a model that supports tool calling", {
      hint: "use a chat model with tool calling (bindTools), or another agent",
    });
  }
  const bound = model.bindTools([planTool, respondTool]);
  const output = (await bound.invoke([new SystemMessage(prompt), ...messages], config)) as AIMessage;
  for (const call of output.tool_calls ?? []) {
    if (call.name === RESPOND_TOOL && typeof call.args.message === "string") return { kind: "respond", message: call.args.message };
    if (call.name === PLAN_TOOL && Array.isArray(call.args.steps) && call.args.steps.length > 0) {
      return { kind: "plan", steps: call.args.steps.map(String) };
    }
  }
  const text = typeof output.content === "string" ? output.content : "";
  return { kind: "respond", message: text };
}
