import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
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
import { collect } from "../options.js";
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
  /** One line for `--help`. */
  readonly description: string;
  open(runs: readonly RunDirectory[], options: ExportOptions, warn: (message: string) => void): Promise<ExportOutput>;
}

function reviewKind(kind: ReviewExportKind): ExportKind {
  return {
    description: kind.description,
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

/**
 * Every kind `trajlab export` writes, by name: training data from reviews
 * (`reviews/export/`), and trajectories in other formats. Add a kind with one
 * entry here.
 */
export const EXPORT_KINDS: Readonly<Record<string, ExportKind>> = {
  ...Object.fromEntries(REVIEW_EXPORT_KINDS.map((kind) => [kind.id, reviewKind(kind)])),
  openai: trajectoryKind(
    "each trajectory as an OpenAI chat-completions conversation ({ id, model, tools, metadata, messages })",
    toOpenAIConversation,
  ),
  otel: trajectoryKind(
    "each trajectory as one OTLP/JSON trace request (GenAI semantic conventions; the Collector's file format, which trajlab import otel reads)",
    toOtlpTrace,
  ),
};

/** A kind that writes each trajectory of the runs, converted (harness/export/). */
function trajectoryKind(description: string, convert: (trajectory: Trajectory) => unknown): ExportKind {
  return {
    description,
    async open(runs) {
      async function* records(): AsyncIterable<unknown> {
        for (const run of runs) for (const trajectory of await run.readTrajectories()) yield convert(trajectory);
      }
      // One record per trajectory: the count is already said; where they came from is not.
      return { records: records(), summary: () => ` (one per trajectory, from ${runs.map((run) => run.id).join(", ")})` };
    },
  };
}

function share(value: string): number {
  const number = value.endsWith("%") ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) {
    throw new InvalidArgumentError(`--min-agreement expects a share between 0 and 1 (or a percentage), got ${JSON.stringify(value)}`);
  }
  return number;
}

/** `trajlab export <kind> [runs...]`. */
export function registerExport(program: Command): void {
  const kinds = Object.entries(EXPORT_KINDS);
  const width = Math.max(...kinds.map(([id]) => id.length));
  program
    .command("export <kind> [runs...]")
    .description("write reviews as training data (SFT, DPO, KTO, step rewards) or trajectories in other formats, one JSON object per line")
    .option("-o, --out <file>", "write to this file (default: standard output)")
    .option("--reviewers <names>", "only these reviewers' judgements (comma-separated or repeated)", collect)
    .option(
      "--min-agreement <share>",
      "only targets at least this share of whose reviewers (two or more) agree, e.g. 0.8; adjudicated targets pass",
      share,
    )
    .option("--settled-only", "only targets an adjudicator settled or two or more reviewers agree on")
    .option("--include-graders", "where no review gives a value, use grader labels as weak labels (marked weak in the provenance)")
    .option("--scenario <glob>", "only these scenarios, e.g. 'retail.*'")
    .option("--domain <domain>", "only this domain")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .addHelpText(
      "after",
      `
Kinds:
${kinds.map(([id, kind]) => `  ${id.padEnd(width)}  ${kind.description}`).join("\n")}

Every record carries "provenance": run, trajectory, event ids, reviewers, adjudicators, agreement
and each judged target. A target's value is its adjudicated value, else the reviewers' when they
agree; disputed targets are left out. docs/export.md shows a record of each kind.

Examples:
  trajlab export sft --out sft.jsonl
  trajlab export dpo run-a run-b --settled-only
  trajlab export prm --include-graders --domain retail`,
    )
    .action(async (kindName: string, runArgs: string[], options: ExportOptions) => {
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
    });
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
