/**
 * Agents: builders that turn a model and tools into a LangGraph graph, and
 * model resolution (offline policy models, or providers via initChatModel).
 */
export { defineAgent } from "./agent.js";
export type { AgentBuildContext, AgentDefinition, AgentGraph, AgentInput, HandoffToolSpec } from "./agent.js";
export { reactAgent } from "./react.js";
export { planExecuteAgent } from "./plan-execute.js";
export { supervisorAgent, teamHandoffs } from "./supervisor.js";
export { builtinAgents, defaultAgentId } from "./builtin.js";
export { modelFor } from "./roles.js";
export { checkModels, parseModelSpec, resolveModel } from "./models.js";
export type { CheckModelsOptions } from "./models.js";
export { PROVIDER_KEYS } from "./providers.js";
export { TRANSPORT_KEY } from "./model-calls/managed-model.js";
export { sharedCallSlots } from "./model-calls/call-limit.js";
export type { SharedCallSlots } from "./model-calls/call-limit.js";
export type { CallTransport } from "./model-calls/managed-model.js";
export { DEFAULT_MODEL_CALL_SETTINGS, configureModelCalls, modelCallSettings } from "./model-calls/settings.js";
export type { ModelCallSettings } from "./model-calls/settings.js";
export { BUILTIN_PRICES, costOf, priceOf } from "./model-calls/prices.js";
export type { ModelPrice, PriceTable } from "./model-calls/prices.js";
export type { ModelSpec, ResolveModelOptions, ResolvedModel } from "./models.js";
export { PLAN_TOOL, PolicyChatModel, RESPOND_TOOL, historyFromConversation, policyToolCallId } from "./policy-model.js";
export type { PolicyChatModelFields, PolicyRole } from "./policy-model.js";
