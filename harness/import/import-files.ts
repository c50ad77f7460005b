import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { TrajlabError, errorMessage } from "../../errors/index.js";
import { describeIssues } from "../store/jsonl.js";
import { TRAJECTORY_SCHEMA_VERSION, TrajectorySchema, type Trajectory } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";
import { effectResolver } from "./effects.js";
import { locatedIssue, type ConvertedRecord, type ImportFormat, type ImportOptions, type ParsedFile, type SourceRecord } from "./format.js";
import { langsmithFormat } from "./langsmith.js";
import { openaiFormat } from "./openai.js";
import { otelFormat } from "./otel.js";
import { tauBenchFormat } from "./tau-bench.js";
import type { IMPORT_FORMAT_LINES } from "./format-lines.js";

/** The import formats, by id. */
export const IMPORT_FORMATS: Readonly<Record<string, ImportFormat>> = Object.freeze({
  "tau-bench": tauBenchFormat,
  openai: openaiFormat,
  otel: otelFormat,
  langsmith: langsmithFormat,
} satisfies Record<keyof typeof IMPORT_FORMAT_LINES, ImportFormat>);

/** A format by id, or an error listing the formats. */
export function importFormat(id: string): ImportFormat {
  const format = IMPORT_FORMATS[id];
  if (!format) {
    throw new TrajlabError("UNKNOWN_FORMAT", `no import format "${id}"`, {
      hint: `formats: ${Object.keys(IMPORT_FORMATS).join(", ")}`,
    });
  }
  return format;
}

/** Options of {@link importFiles}. */
export interface ImportFilesOptions extends ImportOptions {
  /** The run the trajectories go to (it names them in `runId`). */
  readonly runId: string;
  /** Tool name → effect, from `--effects`. */
  readonly effects?: Readonly<Record<string, "read" | "write">>;
}

/** One file read, with a digest of its bytes. */
export interface ImportedFile {
  readonly path: string;
  readonly sha256: string;
  readonly records: number;
}

/** What an import read: trajectories in input order, and records that repeated one already read. */
export interface ImportResult {
  readonly trajectories: Trajectory[];
  readonly files: ImportedFile[];
  /** Records whose content repeats an earlier record's exactly (same id): kept once. */
  readonly duplicates: Array<{ file: string; index: number; id: string }>;
}

/**
 * Reads source files of one format into trajectories, all in memory and all
 * checked before anything is written: bad input is a {@link TrajlabError}
 * naming the file, the record (index, or line in JSONL), the field (a JSON
 * Pointer) and the fix. A trajectory's id is a digest of its format and its
 * record's content, so the same input always gives the same ids.
 */
export async function importFiles(format: ImportFormat, paths: readonly string[], options: ImportFilesOptions): Promise<ImportResult> {
  const effects = effectResolver(options.effects);
  const trajectories: Trajectory[] = [];
  const files: ImportedFile[] = [];
  const duplicates: ImportResult["duplicates"] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const bytes = await readSource(path);
    const parsed = parseSource(path, bytes.toString("utf8"));
    const records = withIssues(path, null, () => format.records(parsed, options));
    for (const record of records) {
      const converted = withIssues(path, record, () => format.convert(record, { effects, options }));
      const list = Array.isArray(converted) ? converted : [converted];
      list.forEach((one, part) => {
        const trajectory = importedTrajectory(format.id, record, one, {
          file: path,
          runId: options.runId,
          part: list.length > 1 ? part : null,
        });
        if (seen.has(trajectory.id)) {
          duplicates.push({ file: path, index: record.index, id: trajectory.id });
          return;
        }
        seen.add(trajectory.id);
        trajectories.push(trajectory);
      });
    }
    files.push({ path, sha256: createHash("sha256").update(bytes).digest("hex"), records: records.length });
  }
  return { trajectories, files, duplicates };
}

/**
 * A converted record as a trajectory of run `runId`: its id (see
 * {@link trajectoryIdOf}) and its provenance (format, file, place, the
 * source's id and metadata), checked against the schema.
 */
export function importedTrajectory(
  format: string,
  record: SourceRecord,
  converted: ConvertedRecord,
  where: { readonly file: string; readonly runId: string; readonly part: number | null },
): Trajectory {
  const { originalId, metadata, ...rest } = converted;
  const trajectory = {
    schemaVersion: TRAJECTORY_SCHEMA_VERSION,
    id: trajectoryIdOf(format, record, where.part),
    runId: where.runId,
    ...rest,
    provenance: { format, file: where.file, index: record.index, line: record.line, originalId, metadata },
  };
  const checked = TrajectorySchema.safeParse(trajectory);
  if (!checked.success) {
    throw new TrajlabError(
      "IMPORT_INVALID",
      `${whereIn(where.file, record)}: the ${format} importer made a trajectory that does not match the schema: ${describeIssues(checked.error)}`,
      { hint: "this is a bug in trajlab's importer; please report it with the record" },
    );
  }
  return checked.data;
}

/** `tr-` and a digest of the format and the record's content (and its part, for records holding several). */
export function trajectoryIdOf(format: string, record: SourceRecord, part: number | null): string {
  const digest = createHash("sha256")
    .update([format, canonicalJson(record.value), part ?? ""].join("\u0000"))
    .digest("hex");
  return `tr-${digest.slice(0, 12)}`;
}

async function readSource(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new TrajlabError("FILE_MISSING", `${path}: cannot be read (${errorMessage(error)})`, {
      hint: "give the path of an existing file",
    });
  }
}

/** One JSON document, or JSON Lines (blank lines skipped); errors name the line. */
export function parseSource(path: string, text: string): ParsedFile {
  try {
    return { kind: "json", value: JSON.parse(text) };
  } catch (documentError) {
    const lines: Array<{ line: number; value: unknown }> = [];
    const raw = text.split("\n");
    if (raw.filter((line) => line.trim() !== "").length < 2) {
      throw new TrajlabError("BAD_JSON", `${path}: not valid JSON (${errorMessage(documentError)})`, {
        hint: "the file must be one JSON document, or JSON Lines (one JSON value per line)",
      });
    }
    raw.forEach((line, index) => {
      if (line.trim() === "") return;
      try {
        lines.push({ line: index + 1, value: JSON.parse(line) });
      } catch (error) {
        throw new TrajlabError("BAD_JSON", `${path}:${index + 1}: not valid JSON (${errorMessage(error)})`, {
          hint: "as JSON Lines, every line must be one complete JSON value; fix or remove that line",
        });
      }
    });
    return { kind: "jsonl", lines };
  }
}

/** `file`, `file: record 3`, `file: record 3 (/simulations/3)` or `file:12 (record 3)`. */
function whereIn(path: string, record: SourceRecord | null): string {
  if (record === null) return path;
  if (record.line !== null) return `${path}:${record.line} (record ${record.index})`;
  const inside = record.pointer === "" || record.pointer === `/${record.index}` ? "" : ` (${record.pointer})`;
  return `${path}: record ${record.index}${inside}`;
}

/** Runs a format's code; bad input it reports is told the file and record. */
function withIssues<T>(path: string, record: SourceRecord | null, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw locatedIssue(error, whereIn(path, record));
  }
}
