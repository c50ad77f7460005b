import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { TrajlabError } from "../errors/index.js";
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

/** A handoff tool an agent builder gives its agents, described for the trajectory. */
export interface HandoffToolSpec {
  readonly name: string;
  readonly description: string;
  /** Agent that holds the tool. */
  readonly from: string;
  /** Agent it transfers to. */
  readonly to: string;
}

/** A named way of turning a model and tools into a LangGraph agent. */
export interface AgentDefinition {
  readonly id: string;
  readonly description: string;
  /** Name of the agent that acts first; events outside named sub-agents belong to it. */
  readonly rootAgent: string;
  /** True for builders that run a team of agents (scenario.team, or one specialist per scenario). */
  readonly multiAgent?: boolean;
  build(context: AgentBuildContext): AgentGraph | Promise<AgentGraph>;
  /** The handoff tools the built graph holds for a scenario, so trajectories list them. */
  handoffTools?(scenario: Scenario): readonly HandoffToolSpec[];
  /** Where the agent is defined (e.g. `trajlab.config.ts`), for errors its builder causes; absent for built-ins. */
  readonly source?: string;
}

/** What {@link defineAgent} accepts: an id and a builder; the rest has defaults. */
export interface AgentInput {
  id: string;
  description?: string;
  /** Default: the id. Name your createAgent the same so events are attributed to it. */
  rootAgent?: string;
  multiAgent?: boolean;
  build: AgentDefinition["build"];
  handoffTools?: AgentDefinition["handoffTools"];
  /** Where the agent is defined; set by the config loader. */
  source?: string;
}

/**
 * Defines an agent builder: any function from the model, the scenario's tools
 * and the scenario to a compiled LangGraph graph (or anything with the same
 * `invoke`). Register it in `trajlab.config.ts` to run it with `--agent <id>`.
 */
export function defineAgent(input: AgentInput): AgentDefinition {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(input.id)) {
    throw new TrajlabError("BAD_AGENT", `defineAgent: id ${JSON.stringify(input.id)} must be letters, digits, ".", "_" or "-"`);
  }
  if (typeof input.build !== "function") {
    throw new TrajlabError("BAD_AGENT", `defineAgent "${input.id}": build must be a function (context) => graph`, {
      hint: "build receives { model, tools, scenario } and returns a compiled LangGraph graph (createAgent works)",
    });
  }
  return Object.freeze({
    id: input.id,
    description: input.description ?? `agent ${input.id}`,
    rootAgent: input.rootAgent ?? input.id,
    ...(input.multiAgent !== undefined ? { multiAgent: input.multiAgent } : {}),
    build: input.build,
    ...(input.handoffTools ? { handoffTools: input.handoffTools } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
  });
}
