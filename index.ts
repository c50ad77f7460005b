/**
 * trajlab's public entry: what scenario authors, agent builders and scripts
 * import from "trajlab".
 */
export {
  defineEnvironment,
  defineScenario,
  defineTool,
  ToolFailure,
  builtinPolicies,
  builtinScenarios,
} from "./scenarios/index.js";
export type { Environment, PlanContext, PlanStep, Policy, Scenario, ToolDefinition } from "./scenarios/index.js";
export { builtinAgents, reactAgent, PolicyChatModel } from "./agents/index.js";
export type { AgentBuildContext, AgentDefinition, AgentGraph } from "./agents/index.js";
export {
  TrajectorySchema,
  TrajectoryRecorder,
  GradeSchema,
  builtinGraders,
  gradeTrajectory,
  matchTrajectory,
  matchTrajectoryAsync,
  runTrial,
  trajectoryJsonSchema,
} from "./harness/index.js";
export type { Grade, Grader, GraderResult, StepLabel, Trajectory, TrajectoryEvent } from "./harness/index.js";
export type { MatchInput, MatchOptions, ToolArgsMode, ToolArgsOverrides, TrajectoryMatch, TrajectoryMatchMode } from "./harness/index.js";
