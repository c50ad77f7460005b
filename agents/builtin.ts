import type { AgentDefinition } from "./agent.js";
import { reactAgent } from "./react.js";

/** The agent builders that ship with trajlab. */
export const builtinAgents: readonly AgentDefinition[] = [reactAgent];
