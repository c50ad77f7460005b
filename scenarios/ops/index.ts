export { opsEnvironment } from "./environment.js";
export type { CiRun, Commit, Issue, OpsState } from "./environment.js";
export { opsScenarios } from "./scenarios.js";
