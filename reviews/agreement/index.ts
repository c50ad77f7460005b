/**
 * Agreement: how far reviewers agree with each other (Cohen's κ, Krippendorff's
 * α, raw agreement, confusion, bootstrap intervals) and graders with the
 * reviews (precision, recall and κ per label). Re-exported by `reviews/index.ts`.
 */
export { BOOTSTRAP_SAMPLES, bootstrapInterval, quantile } from "./bootstrap.js";
export type { BootstrapOptions, Interval } from "./bootstrap.js";
export {
  binaryScores,
  coincidenceMatrix,
  cohenKappa,
  confusionMatrix,
  krippendorffAlpha,
  pairwiseAgreement,
  rawAgreement,
} from "./statistics.js";
export type { BinaryCounts, KappaWeights, Level, RatedPair } from "./statistics.js";
export { MEASURES, MEASURES_BY_TARGET, categoriesOf, consensusOf, measureById } from "./measures.js";
export type { Consensus, ConsensusStatus, Measure } from "./measures.js";
export { reviewerAgreement } from "./reviewers.js";
export type { MeasureAgreement, PairAgreement, ReviewerAgreementOptions } from "./reviewers.js";
export { graderAgreement } from "./graders.js";
export type {
  BinaryAgreement,
  GraderAgreement,
  GraderAgreementOptions,
  GraderDisagreement,
  LabelAgreement,
  LabelMeanings,
  VerdictAgreement,
} from "./graders.js";
export { agreementReport } from "./report.js";
export type { AgreementReport, AgreementReportOptions } from "./report.js";
export { humanReport } from "./human-report.js";
export type { HumanReport, LabelReviewVerdicts, VerdictGroup } from "./human-report.js";
