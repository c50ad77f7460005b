/**
 * Agents: builders that turn a model and tools into a LangGraph graph, and
 * model resolution (offline policy models, or providers via initChatModel).
 */
export type { AgentBuildContext, AgentDefinition, AgentGraph } from "./agent.js";
export { reactAgent } from "./react.js";
export { builtinAgents } from "./builtin.js";
export { ModelSpecError, parseModelSpec, resolveModel } from "./models.js";
export type { ModelSpec, ResolveModelOptions, ResolvedModel } from "./models.js";
export { PolicyChatModel, historyFromMessages, policyToolCallId } from "./policy-model.js";
export type { PolicyChatModelFields } from "./policy-model.js";
