import { withCandidatesApart, type Grade, type RunDirectory } from "../../harness/core.js";
import { readJudgements } from "../judgements.js";
import type { ReviewWarning } from "../review-file.js";
import { BOOTSTRAP_SAMPLES, type BootstrapOptions } from "./bootstrap.js";
import { graderAgreement, type GraderAgreement, type LabelMeanings } from "./graders.js";
import { reviewerAgreement, type MeasureAgreement } from "./reviewers.js";

/** What `trajlab agreement` computes. */
export interface AgreementReport {
  readonly runs: readonly string[];
  /** Reviewers whose records count as opinions, and adjudicators whose records settle targets. */
  readonly reviewers: readonly string[];
  readonly adjudicators: readonly string[];
  readonly bootstrap: { readonly samples: number; readonly seed: number; readonly level: number };
  /** Reviewer against reviewer, per measure. */
  readonly measures: readonly MeasureAgreement[];
  /** Each grader (LLM judges included) against the reviews. */
  readonly graders: readonly GraderAgreement[];
  /** Steps reviewers disagree on that nobody settled: left out of the grader comparison. */
  readonly disputedSteps: number;
}

/** Options of {@link agreementReport}. */
export interface AgreementReportOptions {
  readonly reviewers?: ReadonlySet<string>;
  readonly adjudicators?: ReadonlySet<string>;
  readonly bootstrap?: BootstrapOptions;
  readonly labelMeanings?: LabelMeanings;
  readonly onWarning?: (warning: ReviewWarning) => void;
}

/** Reads the runs' reviews and grades and measures agreement among reviewers and between graders and reviews. */
export async function agreementReport(runs: readonly RunDirectory[], options: AgreementReportOptions = {}): Promise<AgreementReport> {
  const judgements = await readJudgements(runs, options);
  const grades: Grade[] = [];
  for (const run of runs) {
    // A grader's candidates are scored apart from its definite labels, as rates count them.
    const read = await run.readGrades((problem) =>
      options.onWarning?.({ file: problem.file, line: problem.line, message: problem.message }),
    );
    grades.push(...read.map(withCandidatesApart));
  }
  const measures = reviewerAgreement(judgements, { bootstrap: options.bootstrap });
  const { graders, disputedSteps } = graderAgreement(judgements, grades, {
    bootstrap: options.bootstrap,
    labelMeanings: options.labelMeanings,
  });
  const reviewers = new Set<string>();
  const adjudicators = new Set<string>();
  for (const judgement of judgements) {
    for (const reviewer of judgement.byReviewer.keys()) reviewers.add(reviewer);
    if (judgement.settlement) adjudicators.add(judgement.settlement.reviewer);
  }
  return {
    runs: runs.map((run) => run.id),
    reviewers: [...reviewers].sort(),
    adjudicators: [...adjudicators].sort(),
    bootstrap: {
      samples: options.bootstrap?.samples ?? BOOTSTRAP_SAMPLES,
      seed: options.bootstrap?.seed ?? 0,
      level: options.bootstrap?.level ?? 0.95,
    },
    measures,
    graders: graders.filter((grader) => grader.steps > 0 || grader.plan.units > 0 || grader.score.units > 0),
    disputedSteps,
  };
}
