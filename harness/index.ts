/**
 * The harness: trajectory schema, recorder, runner, run store, graders,
 * metrics and the CLI.
 */
export { ERROR_CODES, TrajlabError, describeThrown, describeValue, errorMessage, isTrajlabError } from "../errors/index.js";
export type { ErrorCode, TrajlabErrorOptions } from "../errors/index.js";
export { installedVersions, trajlabVersion } from "./versions.js";
export { CONFIG_FILES, defineConfig, findConfigFile, loadConfig } from "./config.js";
export type { LoadedConfig, TrajlabConfig } from "./config.js";
export {
  TRAJECTORY_SCHEMA_VERSION,
  TrajectorySchema,
  TrajectoryV2Schema,
  TrajectoryEventSchema,
  ProvenanceSchema,
  TokenUsageSchema,
  UNKNOWN_USAGE,
  GroundTruthSchema,
  ReferencePlanSchema,
  RuleReferenceSchema,
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
  GroundTruth,
  HandoffEvent,
  LlmCallEvent,
  MessageEvent,
  NodeEvent,
  Outcome,
  Provenance,
  RecordedTrajectory,
  ReferencePlan,
  RuleReference,
  StateChange,
  Termination,
  ToolCallEvent,
  ToolSpec,
  TokenSource,
  TokenUsage,
  Trajectory,
  TrajectoryEvent,
} from "./trajectory/schema.js";
export { TrajectoryRecorder, transferToolTarget } from "./recorder/recorder.js";
export type { RecorderOptions } from "./recorder/recorder.js";
export { finishTrial, prepareTrial, runTrial, trajectoryId } from "./runner/run-trial.js";
export { driveConversation, driveSingleTurn, driveTrial, finalAnswerOf } from "./runner/drive.js";
export type { DriveResult } from "./runner/drive.js";
export { groundTruthOf } from "./runner/ground-truth.js";
export { checkScenarios } from "./runner/check-scenarios.js";
export type { CheckInput } from "./runner/check-scenarios.js";
export type { PrepareOptions, TrialSession, TrialSpec } from "./runner/run-trial.js";
export { planTrials, runSuite } from "./runner/run-suite.js";
export { TrialPool, runInThisThread, serveTrials } from "./runner/trial-pool.js";
export type { TrialExecutor, TrialOutcome, TrialPoolOptions, WorkerCatalog } from "./runner/trial-pool.js";
export { readRunForResume, scenarioDigest, type RecordedRunVisitor } from "./runner/resume.js";
export type { ResumeCatalog, ResumeState } from "./runner/resume.js";
export type { Shard, SuitePlan, SuiteProgress, SuiteResult } from "./runner/run-suite.js";
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
export {
  CertaintySchema,
  GradeSchema,
  LabelMeaningSchema,
  StepLabelSchema,
  applies,
  isNotApplicable,
  notApplicable,
} from "./graders/grade.js";
export type {
  Certainty,
  Grade,
  GradedResult,
  Grader,
  GraderResult,
  LabelDeclaration,
  LabelMeaning,
  NotApplicable,
  StepLabel,
} from "./graders/grade.js";
export { defineGrader } from "./graders/define.js";
export type { GraderDefinition } from "./graders/define.js";
export { BUILTIN_LABELS } from "./graders/builtin-labels.js";
export { builtinGrader, builtinGraders, checkGraders, declaredLabels, gradeTrajectory, gradeTrajectoryAsync } from "./graders/registry.js";
export { trajectoryMatchGrader } from "./graders/trajectory-match.js";
export type { TrajectoryMatchGraderOptions } from "./graders/trajectory-match.js";
export { undoneWritesGrader } from "./graders/undone-writes.js";
export { detoursGrader } from "./graders/detours.js";
export { defineRule } from "./graders/rules/rule.js";
export type { PolicyRule, RuleViolation } from "./graders/rules/rule.js";
export { BUILTIN_RULES, unconfirmedWrite } from "./graders/rules/unconfirmed-write.js";
export { policyRulesGrader } from "./graders/rules/rules-grader.js";
export type { PolicyRulesGraderOptions } from "./graders/rules/rules-grader.js";
export { llmJudgeGrader, loadJudgePrompts, DEFAULT_PROMPTS_DIR } from "./graders/judge/llm-judge.js";
export type { JudgeOptions } from "./graders/judge/llm-judge.js";
export { replayGrader } from "./experiments/replay/replay-grader.js";
export type { ReplayGraderOptions, ReplayOutcome } from "./experiments/replay/replay-grader.js";
export { replayWithout, SKIPPED_RESULT } from "./experiments/replay/counterfactual.js";
export type { ReplayContext } from "./experiments/replay/counterfactual.js";
export { RecordedPrefixModel } from "./experiments/replay/recorded-prefix-model.js";
export { REPLAYS_FILE, ReplayRecordSchema, readReplays, writeReplays } from "./experiments/replay/replay-store.js";
export type { ReplayRecord } from "./experiments/replay/replay-store.js";
export { runValidation, validationPolicies } from "./experiments/validation/validate.js";
export { VALIDATION_TARGETS, faultLabelRules, scoreLabels } from "./experiments/validation/score-labels.js";
export type { FaultLabelRule, GradedRun, KindScore } from "./experiments/validation/score-labels.js";
export type { ValidationReport } from "./experiments/validation/validate.js";
export { outcomeGrader } from "./graders/outcome.js";
export { repeatedCallsGrader } from "./graders/repeated-calls.js";
export { unusedResultsGrader } from "./graders/unused-results.js";
export { futileCallsGrader } from "./graders/futile-calls.js";
export { matchTrajectory, matchTrajectoryAsync } from "./graders/match/match-trajectory.js";
export type {
  MatchOptions,
  MatchedCall,
  MismatchedCall,
  TrajectoryMatch,
  TrajectoryMatchMode,
  UnmatchedCall,
} from "./graders/match/match-trajectory.js";
export type { ChatMessage, ChatToolCall, MatchInput, PlainToolCall } from "./graders/match/normalize.js";
export type {
  ArgDifference,
  ToolArgs,
  ToolArgsMatcher,
  ToolArgsMode,
  ToolArgsOverride,
  ToolArgsOverrides,
} from "./graders/match/tool-args.js";
export { SummaryBuilder, SummarySchema, summarise } from "./metrics/summary.js";
export { CostTally, costTotals } from "./metrics/cost.js";
export type { CostTotals } from "./metrics/cost.js";
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
export { ReportBuilder, buildReport, compareReports, metricsOfFacts, passedOf } from "./metrics/report.js";
export { GradeIndex, trajectoryFacts } from "./metrics/facts.js";
export type { GradeFacts, TrajectoryFacts } from "./metrics/facts.js";
export type { GroupComparison, GroupMetrics, Metrics, RunReport } from "./metrics/report.js";
export { choose, passAtK } from "./metrics/pass-at-k.js";
export type { PassAtK, TaskTally } from "./metrics/pass-at-k.js";
export type { Summary, SummaryRow } from "./metrics/summary.js";
export { canonicalJson } from "./util/canonical-json.js";
export { jsonSchemaOf } from "./util/json-schema.js";
export { displayJson, jsonForTerminal, parseJsonText, sanitizeForDisplay } from "./util/sanitize.js";
export type { SanitizeOptions } from "./util/sanitize.js";
export { IMPORT_FORMATS, importFiles, importFormat, parseSource, trajectoryIdOf } from "./import/import-files.js";
export type { ImportFilesOptions, ImportResult, ImportedFile } from "./import/import-files.js";
export { findEarlierImport, writeImport } from "./import/imported-run.js";
export type { ImportTarget, ImportWritten } from "./import/imported-run.js";
export { effectResolver, inferEffect, readEffectsFile } from "./import/effects.js";
export type { EffectResolver, ToolEffect } from "./import/effects.js";
export type { ConvertedRecord, ImportFormat, ImportOptions, ParsedFile, SourceRecord } from "./import/format.js";
export type { GroupBy } from "./import/conversations.js";
export { ImportedSourceSchema } from "./store/run-store.js";
export type { ImportedSource } from "./store/run-store.js";
export { toOpenAIConversation } from "./export/openai.js";
export { toOtlpTrace } from "./export/otel.js";
export type { OpenAIConversation, OpenAIMessage } from "./export/openai.js";
export { startCollecting } from "./import/collect.js";
export type { Collection, CollectionClosed, CollectEvents } from "./import/collect.js";
export { RECEIVED_FILE } from "./import/live-run.js";
export type { LiveRunTarget, TraceOutcome } from "./import/live-run.js";
export { decodeTraceRequest } from "./import/otlp-protobuf.js";
export type { ReceiverAddress } from "./import/otlp-receiver.js";
export type { AssemblyTimes, FinishedTrace } from "./import/trace-assembler.js";
