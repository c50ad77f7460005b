import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { Scenario } from "../scenarios/index.js";

/** What an agent builder receives for one trial. */
export interface AgentBuildContext {
  readonly model: BaseChatModel;
  /** The scenario's tools, bound to this trial's fresh state. */
  readonly tools: StructuredToolInterface[];
  readonly scenario: Scenario;
  /** Present when the harness needs time travel (counterfactual replay). */
  readonly checkpointer?: BaseCheckpointSaver;
}

/** Anything invocable like a compiled LangGraph graph over `{ messages }`. */
export interface AgentGraph {
  invoke(input: { messages: BaseMessage[] }, config?: RunnableConfig): Promise<unknown>;
}

/** A named way of turning a model and tools into a LangGraph agent. */
export interface AgentDefinition {
  readonly id: string;
  readonly description: string;
  /** Name of the agent that acts first; events outside named sub-agents belong to it. */
  readonly rootAgent: string;
  build(context: AgentBuildContext): AgentGraph | Promise<AgentGraph>;
}
