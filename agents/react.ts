import { createAgent } from "langchain";
import type { AgentDefinition } from "./agent.js";

/**
 * The ReAct agent: one model that calls tools until it answers, built with
 * langchain's `createAgent` (a LangGraph graph with `model_request` and
 * `tools` nodes). The environment's instructions are its system prompt.
 */
export const reactAgent: AgentDefinition = {
  id: "react",
  description: "ReAct loop: the model calls tools until it gives a final answer",
  rootAgent: "assistant",
  build({ model, tools, scenario, checkpointer }) {
    return createAgent({
      model,
      tools,
      systemPrompt: scenario.environment.instructions,
      name: "assistant",
      ...(checkpointer ? { checkpointer } : {}),
    });
  },
};
