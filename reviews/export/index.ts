import picomatch from "picomatch";
import type { GradableTrajectory, Grade, RunDirectory } from "../../harness/core.js";
import { readRoles } from "../assignment.js";
import { readJudgements } from "../judgements.js";
import type { ReviewWarning } from "../review-file.js";
import { indexTrajectories, loadTrajectory, type TrajectoryEntry } from "../trajectory-index.js";
import { ExportLabels, type ExportFilters, type LeftOut } from "./labels.js";
import { dpoRecords, openAiDpoRecords } from "./preference.js";
import type { ExportContext } from "./records.js";
import { ktoRecords, prmRatingsRecords, prmRecords } from "./stepwise.js";
import { openAiSftRecords, sftRecords } from "./supervised.js";
import { REVIEW_EXPORT_LINES } from "./kind-lines.js";

/** The id of a kind of training data made from reviews: a key of {@link REVIEW_EXPORT_LINES}. */
export type ReviewExportKindId = keyof typeof REVIEW_EXPORT_LINES;

/** One kind of training data made from reviews. */
export interface ReviewExportKind {
  readonly id: ReviewExportKindId;
  records(context: ExportContext): Iterable<unknown>;
}

/** The kinds of training data reviews become, in the order `--help` lists them. */
export const REVIEW_EXPORT_KINDS: readonly ReviewExportKind[] = [
  { id: "sft", records: sftRecords },
  { id: "openai-sft", records: openAiSftRecords },
  { id: "dpo", records: dpoRecords },
  { id: "openai-dpo", records: openAiDpoRecords },
  { id: "kto", records: ktoRecords },
  { id: "prm", records: prmRecords },
  { id: "prm-ratings", records: prmRatingsRecords },
];

/** Options of {@link openReviewExport}. */
export interface ReviewExportOptions extends ExportFilters {
  /** Glob over scenario ids. */
  readonly scenario?: string | null;
  readonly domain?: string | null;
  readonly onWarning?: (warning: ReviewWarning) => void;
}

/** What an export left out, by reason, and what it wrote. */
export interface ExportSummary {
  readonly records: number;
  /** Judged targets the filters left out. */
  readonly leftOut: Readonly<Partial<Record<LeftOut, number>>>;
  /** Records not built, by reason (plan failed, no correction given...). */
  readonly skipped: Readonly<Record<string, number>>;
}

/** An export in progress: the records of a kind, and the summary once they are read. */
export interface ReviewExport {
  records(kind: ReviewExportKind): Generator<unknown>;
  summary(): ExportSummary;
}

/**
 * Reads the runs' reviews (adjudicators from each run's assignment), grades
 * and trajectory index, and returns the export to draw records from.
 * Trajectories are loaded one at a time, only those with judgements.
 */
export async function openReviewExport(runs: readonly RunDirectory[], options: ReviewExportOptions = {}): Promise<ReviewExport> {
  const adjudicators = new Set((await Promise.all(runs.map(readRoles))).flatMap((roles) => roles.adjudicators));
  const judgements = await readJudgements(runs, { reviewers: options.reviewers, adjudicators, onWarning: options.onWarning });
  const grades: Grade[] = [];
  const entries: TrajectoryEntry[] = [];
  const warn = (problem: { file: string; line: number; message: string }) => options.onWarning?.(problem);
  for (const run of runs) {
    grades.push(...(await run.readGrades(warn)));
    entries.push(...(await indexTrajectories(run, { onWarning: options.onWarning })));
  }
  const labels = new ExportLabels(judgements, grades, options);
  const matches = options.scenario ? picomatch(options.scenario) : null;
  const kept = entries.filter((entry) => (!matches || matches(entry.scenarioId)) && (!options.domain || entry.domain === options.domain));
  const byId = new Map(kept.map((entry) => [entry.id, entry]));
  const skipped = new Map<string, number>();
  let records = 0;
  const context: ExportContext = {
    labels,
    *trajectories() {
      const judged = labels.trajectoryIds();
      for (const entry of kept) if (judged.has(entry.id)) yield loadTrajectory(entry);
    },
    trajectory(id: string): GradableTrajectory | undefined {
      const entry = byId.get(id);
      return entry ? loadTrajectory(entry) : undefined;
    },
    skip(reason: string) {
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    },
  };
  return {
    *records(kind: ReviewExportKind) {
      for (const record of kind.records(context)) {
        records += 1;
        yield record;
      }
    },
    summary: () => ({ records, leftOut: Object.fromEntries(labels.leftOut), skipped: Object.fromEntries(skipped) }),
  };
}
