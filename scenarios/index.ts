/**
 * Scenarios: environments (state + tools), scenarios over them, offline
 * policies, and the built-in domains.
 */
export {
  defineEnvironment,
  defineScenario,
  defineTool,
  initialStateOf,
  planContext,
  resolveArgs,
  toolsOf,
  ToolFailure,
  DEFAULT_MAX_STEPS,
} from "./define.js";
export type {
  CustomCheckResult,
  Environment,
  OutcomeCheckInput,
  PlanContext,
  PlanStep,
  Scenario,
  ScenarioInput,
  StepResult,
  ToolDefinition,
  ToolEffect,
} from "./define.js";
export {
  callTool,
  describeDifferences,
  diffStates,
  evaluateOutcome,
  executePlan,
  normaliseResult,
  referenceExecution,
} from "./execute.js";
export type {
  OutcomeCheckResult,
  OutcomeResult,
  PlanExecution,
  StateDifference,
  ToolOutcome,
} from "./execute.js";
export { toLangChainTools } from "./langchain-tools.js";
export { nextAction } from "./policies/policy.js";
export type { FaultKind, Policy, PolicyAction, PolicyOptions, PolicyScript, ScriptStep } from "./policies/policy.js";
export { builtinPolicies, referencePolicy, wastefulPolicy } from "./policies/builtin.js";
export { builtinScenarios } from "./builtin.js";
