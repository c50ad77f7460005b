/**
 * The harness's light public face: the trajectory format, the run store, the
 * grade format and the labels, without the runner, recorder or CLI (and so
 * without LangChain). Consumers that only read run files (the review TUI,
 * exporters) import this and start in a fraction of the time; everything here
 * is also exported by `harness/index.ts`.
 */
export { ERROR_CODES, TrajlabError, describeThrown, describeValue, errorMessage, isTrajlabError } from "../errors/index.js";
export type { ErrorCode, TrajlabErrorOptions } from "../errors/index.js";
export { installedVersions, trajlabVersion } from "./versions.js";
export {
  TRAJECTORY_SCHEMA_VERSION,
  TrajectorySchema,
  TrajectoryV2Schema,
  TrajectoryEventSchema,
  ProvenanceSchema,
  TokenUsageSchema,
  UNKNOWN_USAGE,
  ReferencePlanSchema,
  stripGroundTruth,
  trajectoryJsonSchema,
  isHandoff,
  isLlmCall,
  isToolCall,
} from "./trajectory/schema.js";
export type {
  Conversation,
  EffectSource,
  EnvironmentState,
  ErrorEvent,
  EventOrigin,
  EventKind,
  GradableTrajectory,
  HandoffEvent,
  LlmCallEvent,
  MessageEvent,
  NodeEvent,
  Outcome,
  Provenance,
  RecordedTrajectory,
  ReferencePlan,
  StateChange,
  Termination,
  ToolCallEvent,
  ToolSpec,
  TokenSource,
  TokenUsage,
  Trajectory,
  TrajectoryEvent,
} from "./trajectory/schema.js";
export {
  RUN_FILES,
  SAFE_NAME,
  checkRunId,
  ManifestSchema,
  RunDirectory,
  createRun,
  listRuns,
  newRunId,
  openRun,
  readJsonFile,
  runsDirectory,
  writeFileAtomically,
  scanRuns,
  TrajectoryIds,
} from "./store/run-store.js";
export type { Manifest, RunFolder } from "./store/run-store.js";
export {
  JsonlAppender,
  describeIssues,
  parseJsonl,
  readJsonl,
  readJsonlForAppend,
  streamJsonl,
  streamJsonlForAppend,
  streamJsonlRecords,
} from "./store/jsonl.js";
export type { JsonlProblem, JsonlRecord, ReadJsonlOptions, TornTail } from "./store/jsonl.js";
export { LOCK_STALE_MS, describeHolder, liveHolder, takeLock } from "./store/lock.js";
export { asTrajlabError } from "./store/fs-errors.js";
export type { HeldLock, LockHolder } from "./store/lock.js";
export { GradeSchema, StepLabelSchema } from "./graders/grade.js";
export type { Grade, StepLabel } from "./graders/grade.js";
export {
  candidateLabelName,
  flaggedEventIds,
  labelMeaning,
  meantSteps,
  notApplicableGraders,
  skippableEventIds,
  withCandidatesApart,
} from "./metrics/labels.js";
export type { CertaintyFilter, MeantStep, NotApplicableGrader } from "./metrics/labels.js";
export { CertaintySchema, LabelMeaningSchema, applies, isNotApplicable, notApplicable } from "./graders/grade.js";
export type { Certainty, GradedResult, LabelDeclaration, LabelMeaning, NotApplicable } from "./graders/grade.js";
export { canonicalJson } from "./util/canonical-json.js";
export { jsonSchemaOf } from "./util/json-schema.js";
export { SummarySchema } from "./metrics/summary.js";
export { displayJson, jsonForTerminal, parseJsonText, sanitizeForDisplay } from "./util/sanitize.js";
export type { SanitizeOptions } from "./util/sanitize.js";
export { toOpenAIConversation } from "./export/openai.js";
export { toOtlpTrace } from "./export/otel.js";
export type { OpenAIConversation, OpenAIMessage } from "./export/openai.js";
