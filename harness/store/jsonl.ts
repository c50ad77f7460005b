import { appendFile, type FileHandle, open, readFile, truncate } from "node:fs/promises";
import * as z from "zod";
import { TrajlabError, errorMessage } from "../../errors/index.js";

/** A line that could not be used, with where it was. */
export interface JsonlProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** How to treat bad lines when reading a JSONL file. */
export interface ReadJsonlOptions {
  /**
   * `strict`: any bad line is an error. `tolerate-torn-tail` (default): a
   * last line without its newline that does not parse is what a crash
   * mid-write leaves; it is skipped with a warning. Bad lines elsewhere are
   * errors either way.
   */
  readonly mode?: "strict" | "tolerate-torn-tail";
  /** Receives skipped lines. */
  readonly onSkip?: (problem: JsonlProblem) => void;
}

/**
 * Reads a JSONL file, validating each line with `schema`. Errors name the
 * file, the line and the field, e.g.
 * `runs/x/trajectories.jsonl:3: events[2].kind: expected one of ...`.
 */
export async function readJsonl<T>(file: string, schema: z.ZodType<T>, options: ReadJsonlOptions = {}): Promise<T[]> {
  const text = await readFile(file, "utf8");
  return parseJsonl(text, file, schema, options);
}

/** {@link readJsonl} over text already in memory. */
export function parseJsonl<T>(text: string, file: string, schema: z.ZodType<T>, options: ReadJsonlOptions = {}): T[] {
  const lines = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  const values: T[] = [];
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === "") continue;
    const isTail = index === lines.length - 1 && !endsWithNewline;
    const result = parseLine(raw, schema);
    if (result.ok) {
      values.push(result.value);
      continue;
    }
    const problem = { file, line: index + 1, message: result.message };
    if (isTail && result.torn && (options.mode ?? "tolerate-torn-tail") === "tolerate-torn-tail") {
      options.onSkip?.(problem);
      continue;
    }
    throw badLine(file, problem.line, result);
  }
  return values;
}

/** A torn last line that {@link readJsonlForAppend} cut from a file, and where its bytes went. */
export interface TornTail extends JsonlProblem {
  /** `<file>.torn`, which keeps the cut bytes for inspection. */
  readonly aside: string;
}

/**
 * Reads a JSONL file that is about to be appended to, and makes its end clean
 * first: a torn last line (what a crash in the middle of a write leaves) is
 * moved to `<file>.torn` and cut, so the next append starts a line of its
 * own; a complete last line missing only its newline gets one. Other bad
 * lines are errors, as in {@link readJsonl}. Holds every value: for large
 * files, iterate {@link streamJsonlForAppend} instead.
 */
export async function readJsonlForAppend<T>(file: string, schema: z.ZodType<T>, onRepair?: (tail: TornTail) => void): Promise<T[]> {
  const values: T[] = [];
  for await (const { value } of streamJsonlForAppend(file, schema, onRepair)) values.push(value);
  return values;
}

/**
 * {@link readJsonlForAppend} one value at a time, with its line: the file is
 * read line by line, and its end is made clean once the last value has been read (only
 * the bytes after its last newline are read for that), so a loop that stops
 * early leaves the file as it was.
 */
export async function* streamJsonlForAppend<T>(
  file: string,
  schema: z.ZodType<T>,
  onRepair?: (tail: TornTail) => void,
): AsyncGenerator<JsonlRecord<T>> {
  const torn: JsonlProblem[] = [];
  yield* streamJsonlRecords(file, schema, { onSkip: (problem) => torn.push(problem) });
  await cleanTail(file, torn, onRepair);
}

/** Cuts a torn last line into `<file>.torn`, or ends a complete last line with its newline, reading only the file's last line. */
async function cleanTail(file: string, torn: readonly JsonlProblem[], onRepair?: (tail: TornTail) => void): Promise<void> {
  const handle = await open(file, "r");
  let tail: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    tail = await lastLine(handle, size);
  } finally {
    await handle.close();
  }
  // The file ends with a newline (or is empty): nothing to do.
  if (size === 0 || tail.length === 0) return;
  if (torn.length > 0) {
    const aside = `${file}.torn`;
    await appendFile(aside, Buffer.concat([tail, Buffer.from("\n")]));
    await truncate(file, size - tail.length);
    for (const problem of torn) onRepair?.({ ...problem, aside });
  } else {
    await appendFile(file, "\n");
  }
}

/** The bytes after the last newline of a file of `size` bytes, read backwards a block at a time. */
async function lastLine(handle: FileHandle, size: number): Promise<Buffer> {
  const blocks: Buffer[] = [];
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_BLOCK);
    const block = Buffer.alloc(end - start);
    await handle.read(block, 0, block.length, start);
    const newline = block.lastIndexOf(0x0a);
    if (newline >= 0) {
      blocks.unshift(block.subarray(newline + 1));
      break;
    }
    blocks.unshift(block);
    end = start;
  }
  return Buffer.concat(blocks);
}

const TAIL_BLOCK = 64 * 1024;

/** A value read from a JSONL file, with the line it was on (counting blank lines, from 1). */
export interface JsonlRecord<T> {
  readonly value: T;
  readonly line: number;
}

/** Streams a JSONL file line by line without loading it whole (for large runs). */
export async function* streamJsonl<T>(file: string, schema: z.ZodType<T>, options: ReadJsonlOptions = {}): AsyncGenerator<T> {
  for await (const { value } of streamJsonlRecords(file, schema, options)) yield value;
}

/**
 * {@link streamJsonl} with each value's line number. One line is in memory at
 * a time (the file is read in blocks of {@link READ_BLOCK} bytes), so a file
 * of any size reads in the same memory; errors and the torn-tail rule are
 * those of {@link readJsonl}.
 */
export async function* streamJsonlRecords<T>(
  file: string,
  schema: z.ZodType<T>,
  options: ReadJsonlOptions = {},
): AsyncGenerator<JsonlRecord<T>> {
  let pending: { raw: string; line: number } | null = null;
  let endsWithNewline = true;
  for await (const { raw, line, ended } of jsonlLines(file)) {
    if (pending) yield { value: parseOrThrow(pending.raw, pending.line, file, schema), line: pending.line };
    pending = raw.trim() === "" ? null : { raw, line };
    endsWithNewline = ended;
  }
  if (!pending) return;
  const result = parseLine(pending.raw, schema);
  if (result.ok) {
    yield { value: result.value, line: pending.line };
  } else if (!endsWithNewline && result.torn && (options.mode ?? "tolerate-torn-tail") === "tolerate-torn-tail") {
    options.onSkip?.({ file, line: pending.line, message: result.message });
  } else {
    throw badLine(file, pending.line, result);
  }
}

/** Bytes read from a file at a time by {@link streamJsonlRecords}. */
const READ_BLOCK = 1024 * 1024;

/**
 * The lines of a file split at `\n` only (as {@link parseJsonl} splits), each
 * with its number and whether a newline ended it. The file is read into one
 * block, reused from read to read: a new block a read would leave the heap
 * holding blocks read long ago until a full collection (their memory is
 * outside the heap, each kept by a small object that lives long enough to be
 * promoted), tens of megabytes on a large run.
 */
async function* jsonlLines(file: string): AsyncGenerator<{ raw: string; line: number; ended: boolean }> {
  const handle = await open(file, "r");
  try {
    const block = Buffer.allocUnsafe(READ_BLOCK);
    let line = 0;
    let carried: Buffer[] = [];
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, READ_BLOCK, null);
      if (bytesRead === 0) break;
      const chunk = block.subarray(0, bytesRead);
      let from = 0;
      for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, from)) {
        const piece = chunk.subarray(from, newline);
        const bytes = carried.length === 0 ? piece : Buffer.concat([...carried, piece]);
        carried = [];
        line += 1;
        yield { raw: bytes.toString("utf8"), line, ended: true };
        from = newline + 1;
      }
      // What follows the last newline is copied: the next read overwrites the block.
      if (from < chunk.length) carried.push(Buffer.from(chunk.subarray(from)));
    }
    if (carried.length > 0) yield { raw: Buffer.concat(carried).toString("utf8"), line: line + 1, ended: false };
  } finally {
    await handle.close();
  }
}

function parseOrThrow<T>(raw: string, line: number, file: string, schema: z.ZodType<T>): T {
  const result = parseLine(raw, schema);
  if (!result.ok) throw badLine(file, line, result);
  return result.value;
}

/** The error for a line that cannot be used, with the fix. */
function badLine(file: string, line: number, result: { torn: boolean; message: string }): TrajlabError {
  return new TrajlabError("BAD_JSONL_LINE", `${file}:${line}: ${result.message}`, {
    hint: result.torn
      ? "the line is not valid JSON; if the file was edited by hand, fix or delete that line"
      : "the line does not match the expected format; see `trajlab schema`",
  });
}

type LineResult<T> = { ok: true; value: T } | { ok: false; torn: boolean; message: string };

function parseLine<T>(raw: string, schema: z.ZodType<T>): LineResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { ok: false, torn: true, message: `not valid JSON (${errorMessage(error)})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, torn: false, message: describeIssues(parsed.error) };
}

/** zod issues as `path: message` pairs, the first few only. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const issues = error.issues.slice(0, limit).map((issue) => {
    const path =
      issue.path.length === 0
        ? "(root)"
        : issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length - issues.length;
  return issues.join("; ") + (more > 0 ? `; and ${more} more problem(s)` : "");
}

/** Lines waiting for the appender's next write, and who waits for them. */
interface PendingLines {
  readonly text: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends one JSON value per line and flushes it to disk before resolving,
 * so a crash loses at most the lines being written. Writes through one
 * appender are serialised, in the order they were asked for; lines asked
 * for while a write is under way go to disk together in the next one (one
 * write and one fsync for all of them: many trials finishing at once wait
 * for one flush, not for one each). A write that fails rejects every append
 * it held; later appends are written as usual.
 */
export class JsonlAppender {
  private pending: PendingLines[] = [];
  private writing = false;

  constructor(readonly file: string) {}

  append(value: unknown): Promise<void> {
    return this.appendMany([value]);
  }

  appendMany(values: readonly unknown[]): Promise<void> {
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join("");
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      if (!this.writing) void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.write(batch.map((lines) => lines.text).join(""));
        for (const lines of batch) lines.resolve();
      } catch (error) {
        for (const lines of batch) lines.reject(error);
      }
    }
    this.writing = false;
  }

  private async write(text: string): Promise<void> {
    if (text === "") return;
    const handle = await open(this.file, "a");
    try {
      await handle.appendFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
