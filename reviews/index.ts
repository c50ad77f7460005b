/**
 * Reviews: people's judgements of trajectories, stored as append-only JSONL
 * per reviewer, and what reads them. The TUI lives in `reviews/tui/` and is
 * not exported here, so importing reviews never loads Ink.
 */
export {
  REVIEW_SCHEMA_VERSION,
  ReviewRecordSchema,
  ReviewTargetSchema,
  StepVerdictSchema,
  PlanVerdictSchema,
  PairVerdictSchema,
  SuggestionDecisionSchema,
  StepRangeSchema,
  STEP_VERDICTS,
  STEP_VERDICTS_BY_KIND,
  STEP_VERDICT_TITLES,
  rightVerdict,
  verdictForStepKind,
  targetKey,
  ratingScore,
  verdictForLabel,
} from "./record.js";
export type {
  ReviewRecord,
  ReviewTarget,
  ReviewJudgement,
  StepVerdict,
  StepKind,
  PlanVerdict,
  PairVerdict,
  SuggestionDecision,
  StepRange,
} from "./record.js";
export { ReviewFile, REVIEWER_NAME, readRunReviews } from "./review-file.js";
export type { OpenReviewFileOptions, ReviewWarning } from "./review-file.js";
export { ReviewLedger, resolveLatest, suggestionKey } from "./ledger.js";
export type { TrajectoryReview } from "./ledger.js";
export { ReviewSession } from "./session.js";
export type { ReviewSessionOptions, SaveState, StartSessionOptions, UndoOutcome } from "./session.js";
export type { IndexProgress } from "./run-index.js";
export { indexTrajectories, loadTrajectory } from "./trajectory-index.js";
export type { IndexOptions, TrajectoryEntry } from "./trajectory-index.js";
export { readLeadingFields, readTrailingField } from "./json-head.js";
export { timelineOf, isGradable, stepKindOf, toolCallsOf, agentDepths, FLAGGED_WORK } from "./timeline.js";
export type { TimelineStep } from "./timeline.js";
export { mergeSuggestions, suggestionState, labelsOf, reasonsOf } from "./suggestions.js";
export type { GraderSuggestion, StepSuggestion } from "./suggestions.js";
export { labelMeaning, flaggedSteps } from "./label-meaning.js";
export type { ReviewLabelMeaning } from "./label-meaning.js";
export { alignPlan, planDiffCounts } from "./plan-diff.js";
export type { PlanRow, ReferenceCall } from "./plan-diff.js";
export {
  OPEN_FILTER,
  QUEUE_SORTS,
  QUEUE_SORT_TITLES,
  distinctValues,
  hasVerdict,
  nextUngradedStep,
  nextUnreviewed,
  queueOf,
  reviewProgress,
  reviewStatus,
} from "./queue.js";
export type { EntryFacts, QueueFilter, QueueSort, ReviewProgress, ReviewStatus } from "./queue.js";
export { pairsAcrossRuns, pairsOf } from "./pairs.js";
export type { TrajectoryPair } from "./pairs.js";
export {
  missingOf,
  openSuggestion,
  pairJudgement,
  pairVerdictFor,
  planJudgement,
  planValues,
  rangesOf,
  selectedOf,
  settleStep,
  stepJudgement,
} from "./grading.js";
export type { PlanChange, PlanValues, Settlement, StepChange } from "./grading.js";
export { collectJudgements, inSortedOrder, readJudgements } from "./judgements.js";
export type { CollectOptions, TargetJudgements } from "./judgements.js";
export {
  ASSIGNMENT_SCHEMA_VERSION,
  AssignmentSchema,
  assignTrajectories,
  assignedAcross,
  assignedDone,
  assignedFirst,
  assignedTo,
  assignmentPath,
  assignmentProgress,
  readAssignment,
  readRoles,
  withAdjudicators,
  writeAssignment,
} from "./assignment.js";
export type { AssignOptions, AssignedProgress, Assignment } from "./assignment.js";
export {
  BOOTSTRAP_SAMPLES,
  MEASURES,
  MEASURES_BY_TARGET,
  agreementReport,
  binaryScores,
  bootstrapInterval,
  categoriesOf,
  coincidenceMatrix,
  cohenKappa,
  confusionMatrix,
  consensusOf,
  graderAgreement,
  humanReport,
  krippendorffAlpha,
  measureById,
  pairwiseAgreement,
  rawAgreement,
  reviewerAgreement,
} from "./agreement/index.js";
export type {
  AgreementReport,
  AgreementReportOptions,
  BinaryAgreement,
  BinaryCounts,
  BootstrapOptions,
  Consensus,
  ConsensusStatus,
  GraderAgreement,
  GraderAgreementOptions,
  GraderDisagreement,
  HumanReport,
  Interval,
  KappaWeights,
  LabelAgreement,
  LabelMeanings,
  Level,
  Measure,
  MeasureAgreement,
  PairAgreement,
  RatedPair,
  ReviewerAgreementOptions,
  VerdictAgreement,
} from "./agreement/index.js";
export { REVIEW_EXPORT_KINDS, openReviewExport } from "./export/index.js";
export type { ExportSummary, ReviewExport, ReviewExportKind, ReviewExportOptions } from "./export/index.js";
export { ExportLabels } from "./export/labels.js";
export type { ExportFilters, ExportLabel, LabelSource, LeftOut } from "./export/labels.js";
export type { ExportContext, Provenance, TargetProvenance } from "./export/records.js";
export { TrajectoryConversation } from "./export/conversation.js";
export type { AssistantTurn, ChatMessage, ChatToolCall } from "./export/conversation.js";
export { functionTools, openAiMessages, trlMessages } from "./export/chat-format.js";
export type { FunctionTool, OpenAiMessage, TrlMessage } from "./export/chat-format.js";
export { parseCorrection } from "./export/corrections.js";
export type { Correction } from "./export/corrections.js";
export { adjudicatorsOf, disagreementsOf, openAdjudication } from "./adjudication.js";
export type { Disagreement, ReviewerSide } from "./adjudication.js";
export { describePace, describeProgress, progressOf, unfinishedRuns } from "./progress.js";
export type { ReviewerProgress } from "./progress.js";
