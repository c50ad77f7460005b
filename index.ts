/**
 * trajlab's public entry: what scenario authors, agent builders and scripts
 * import from "trajlab".
 */
export {
  defineEnvironment,
  defineScenario,
  defineTeam,
  defineTool,
  defineUser,
  faultyPolicy,
  ToolFailure,
  builtinPolicies,
  builtinScenarios,
} from "./scenarios/index.js";
export type {
  AskStep,
  Environment,
  FaultKind,
  PlanAction,
  PlanContext,
  PlanStep,
  Policy,
  PolicyScript,
  Scenario,
  SimulatedUser,
  Team,
  ToolDefinition,
} from "./scenarios/index.js";
export { builtinAgents, defineAgent, modelFor, planExecuteAgent, reactAgent, supervisorAgent, PolicyChatModel } from "./agents/index.js";
export type { AgentBuildContext, AgentDefinition, AgentGraph, ModelPrice, PriceTable } from "./agents/index.js";
export { defineConfig } from "./harness/index.js";
export type { TrajlabConfig } from "./harness/index.js";
export {
  TrajectorySchema,
  TrajectoryRecorder,
  GradeSchema,
  defineGrader,
  defineRule,
  notApplicable,
  unconfirmedWrite,
  builtinGraders,
  gradeTrajectory,
  matchTrajectory,
  matchTrajectoryAsync,
  runTrial,
  trajectoryJsonSchema,
  trajectoryMatchGrader,
} from "./harness/index.js";
export type {
  Grade,
  GradedResult,
  Grader,
  GraderDefinition,
  GraderResult,
  NotApplicable,
  PolicyRule,
  LabelDeclaration,
  LabelMeaning,
  StepLabel,
  Trajectory,
  TrajectoryEvent,
} from "./harness/index.js";
export type {
  MatchInput,
  MatchOptions,
  ToolArgsMode,
  ToolArgsOverrides,
  TrajectoryMatch,
  TrajectoryMatchGraderOptions,
  TrajectoryMatchMode,
} from "./harness/index.js";
export { agreementReport, collectJudgements, graderAgreement, readJudgements, reviewerAgreement } from "./reviews/index.js";
export type { AgreementReport, GraderAgreement, LabelMeanings, MeasureAgreement, ReviewRecord, TargetJudgements } from "./reviews/index.js";
export { ERROR_CODES, TrajlabError, isTrajlabError } from "./errors/index.js";
export type { ErrorCode } from "./errors/index.js";
