/**
 * What `trajlab export` does once its arguments are read. Kept apart from the
 * command's registration (export.ts) so that `trajlab export --help` loads none of it.
 */
import type { EXPORT_KIND_LINES } from "./export.js";
import type { REVIEW_EXPORT_LINES } from "../../reviews/help.js";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  jsonForTerminal,
  runsDirectory,
  toOpenAIConversation,
  toOtlpTrace,
  TrajlabError,
  type RunDirectory,
  type Trajectory,
} from "../../harness/core.js";
import { REVIEW_EXPORT_KINDS, openReviewExport, type ExportSummary, type ReviewExportKind } from "../../reviews/index.js";
import { printNote } from "../output.js";
import { openRuns } from "./review-args.js";

/** What `trajlab export` was asked for, beside the kind and runs. */
export interface ExportOptions {
  readonly out?: string;
  readonly runsDir?: string;
  readonly reviewers?: string[];
  readonly minAgreement?: number;
  readonly settledOnly?: boolean;
  readonly includeGraders?: boolean;
  readonly scenario?: string;
  readonly domain?: string;
}

/** What one kind gives: its records, one JSON value per line, and a line saying what was left out. */
export interface ExportOutput {
  readonly records: Iterable<unknown> | AsyncIterable<unknown>;
  /** Read after the records are written. */
  summary(): string;
}

/** One kind of `trajlab export`. */
export interface ExportKind {
  open(runs: readonly RunDirectory[], options: ExportOptions, warn: (message: string) => void): Promise<ExportOutput>;
}

function reviewKind(kind: ReviewExportKind): ExportKind {
  return {
    async open(runs, options, warn) {
      const source = await openReviewExport(runs, {
        reviewers: options.reviewers ? new Set(options.reviewers) : undefined,
        minAgreement: options.minAgreement,
        settledOnly: options.settledOnly,
        includeGraders: options.includeGraders,
        scenario: options.scenario ?? null,
        domain: options.domain ?? null,
        onWarning: (warning) => warn(`${warning.file}${warning.line ? `:${warning.line}` : ""}: ${warning.message}`),
      });
      return { records: source.records(kind), summary: () => describeSummary(source.summary()) };
    },
  };
}

/** How each kind of {@link EXPORT_KIND_LINES} is written. */
export const EXPORT_KINDS: Readonly<Record<string, ExportKind>> = {
  // The review kinds, one for each key of REVIEW_EXPORT_LINES (their ids are typed as its keys).
  ...(Object.fromEntries(REVIEW_EXPORT_KINDS.map((kind) => [kind.id, reviewKind(kind)])) as Record<
    keyof typeof REVIEW_EXPORT_LINES,
    ExportKind
  >),
  openai: trajectoryKind(toOpenAIConversation),
  otel: trajectoryKind(toOtlpTrace),
} satisfies Record<keyof typeof EXPORT_KIND_LINES, ExportKind>;

/** A kind that writes each trajectory of the runs, converted (harness/export/). */
function trajectoryKind(convert: (trajectory: Trajectory) => unknown): ExportKind {
  return {
    async open(runs) {
      async function* records(): AsyncIterable<unknown> {
        for (const run of runs) for (const trajectory of await run.readTrajectories()) yield convert(trajectory);
      }
      // One record per trajectory: the count is already said; where they came from is not.
      return { records: records(), summary: () => ` (one per trajectory, from ${runs.map((run) => run.id).join(", ")})` };
    },
  };
}

/** Runs `trajlab export` with its arguments and options. */
export async function exportCommand(kindName: string, runArgs: string[], options: ExportOptions): Promise<void> {
  const kind = EXPORT_KINDS[kindName];
  if (!kind) {
    throw new TrajlabError("UNKNOWN_EXPORT_KIND", `trajlab export ${JSON.stringify(kindName)}: no such kind`, {
      hint: `kinds: ${Object.keys(EXPORT_KINDS).join(", ")}`,
    });
  }
  const runs = await openRuns(runsDirectory(options.runsDir), runArgs);
  const warn = (message: string) => printNote(`warning: ${message}`);
  const output = await kind.open(runs, options, warn);
  const count = options.out ? await writeFile(resolve(options.out), output.records) : await writeStdout(output.records);
  printNote(`wrote ${count} ${kindName} record(s)${options.out ? ` to ${options.out}` : ""}${output.summary()}`);
}

/** Writes the records to a file beside the target, then renames it: a failed export leaves no half-written file. */
async function writeFile(path: string, records: Iterable<unknown> | AsyncIterable<unknown>): Promise<number> {
  const temporary = resolve(dirname(path), `.${path.split(/[\\/]/).at(-1)}.${process.pid}.tmp`);
  const stream = createWriteStream(temporary);
  let count = 0;
  try {
    for await (const record of records) {
      if (!stream.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((done) => stream.once("drain", () => done()));
      count += 1;
    }
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  return count;
}

/** Writes the records to standard output, with the characters a terminal could act on escaped (the JSON means the same). */
async function writeStdout(records: Iterable<unknown> | AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const record of records) {
    if (!process.stdout.write(`${jsonForTerminal(record, 0)}\n`))
      await new Promise<void>((done) => process.stdout.once("drain", () => done()));
    count += 1;
  }
  return count;
}

function describeSummary(summary: ExportSummary): string {
  const parts = [
    ...Object.entries(summary.leftOut).map(([reason, n]) => `${n} target(s) ${reason.replace(/-/g, " ")}`),
    ...Object.entries(summary.skipped).map(([reason, n]) => `${n} × ${reason}`),
  ];
  return parts.length > 0 ? `; left out: ${parts.join(", ")}` : "";
}
