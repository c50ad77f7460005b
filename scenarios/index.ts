/**
 * Scenarios: environments (state + tools), scenarios over them, teams of
 * agents, simulated users, offline policies, and the built-in domains.
 */
export {
  defineEnvironment,
  defineScenario,
  defineTool,
  initialStateOf,
  isAskStep,
  isScenario,
  planContext,
  resolveArgs,
  resolveAsk,
  toolsOf,
  ToolFailure,
  DEFAULT_MAX_STEPS,
} from "./define.js";
export type {
  AskStep,
  CustomCheckResult,
  Environment,
  OutcomeCheckInput,
  PlanAction,
  PlanContext,
  PlanStep,
  Scenario,
  RuleReference,
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
  isHandoffStep,
  normaliseResult,
  referenceExecution,
} from "./execute.js";
export type { OutcomeCheckResult, OutcomeInput, OutcomeResult, PlanExecution, StateDifference, ToolOutcome } from "./execute.js";
export { defineTeam, handoffTarget, handoffToolName, handoffsOf, membersWithTool, SUPERVISOR, teamOf } from "./team.js";
export type { Team, TeamInput, TeamMember } from "./team.js";
export { answerTo, defineUser, UserSimulator } from "./users.js";
export type { SimulatedUser, SimulatedUserInput, UserKnowledge, UserTurn } from "./users.js";
export { validateScenarios } from "./validate.js";
export type { ScenarioProblem } from "./validate.js";
export { toLangChainTools } from "./langchain-tools.js";
export { FAULT_KINDS, faultsOf, isScriptAsk, nextAction } from "./policies/policy.js";
export type {
  AskRecord,
  ExpectedCall,
  FaultKind,
  HistoryEntry,
  InjectedFault,
  Policy,
  PolicyAction,
  PolicyOptions,
  PolicyScript,
  ScriptAction,
  ScriptAsk,
  ScriptStep,
} from "./policies/policy.js";
export { routeScript, withoutHandoffs } from "./policies/routing.js";
export { DEFAULT_FAULT_RATES, faultyPolicy, perturb, UNFOUNDED_ANSWER } from "./policies/faulty.js";
export type { FaultRates, FaultyPolicyOptions } from "./policies/faulty.js";
export { builtinPolicies, defaultFaultyPolicy, referencePolicy, wastefulPolicy } from "./policies/builtin.js";
export { seededRandom } from "./policies/random.js";
export { builtinScenarios } from "./builtin.js";
