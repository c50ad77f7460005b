import { createReadStream } from "node:fs";
import { appendFile, open, readFile, truncate } from "node:fs/promises";
import { createInterface } from "node:readline";
import { z } from "zod";
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
    throw new TrajlabError("BAD_JSONL_LINE", `${file}:${problem.line}: ${problem.message}`, {
      hint: result.torn
        ? "the line is not valid JSON; if the file was edited by hand, fix or delete that line"
        : "the line does not match the expected format; see `trajlab schema`",
    });
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
 * lines are errors, as in {@link readJsonl}.
 */
export async function readJsonlForAppend<T>(file: string, schema: z.ZodType<T>, onRepair?: (tail: TornTail) => void): Promise<T[]> {
  const torn: JsonlProblem[] = [];
  const bytes = await readFile(file);
  const values = parseJsonl(bytes.toString("utf8"), file, schema, { onSkip: (problem) => torn.push(problem) });
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) {
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (torn.length > 0) {
      const aside = `${file}.torn`;
      await appendFile(aside, Buffer.concat([bytes.subarray(lastNewline + 1), Buffer.from("\n")]));
      await truncate(file, lastNewline + 1);
      for (const problem of torn) onRepair?.({ ...problem, aside });
    } else {
      await appendFile(file, "\n");
    }
  }
  return values;
}

/** Streams a JSONL file line by line without loading it whole (for large runs). */
export async function* streamJsonl<T>(file: string, schema: z.ZodType<T>, options: ReadJsonlOptions = {}): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let pending: { raw: string; number: number } | null = null;
  let number = 0;
  for await (const raw of lines) {
    number += 1;
    if (pending) yield parseOrThrow(pending.raw, pending.number, file, schema);
    pending = raw.trim() === "" ? null : { raw, number };
  }
  if (!pending) return;
  const result = parseLine(pending.raw, schema);
  if (result.ok) {
    yield result.value;
  } else if (result.torn && (options.mode ?? "tolerate-torn-tail") === "tolerate-torn-tail" && !(await endsWithNewline(file))) {
    options.onSkip?.({ file, line: pending.number, message: result.message });
  } else {
    throw new TrajlabError("BAD_JSONL_LINE", `${file}:${pending.number}: ${result.message}`);
  }
}

function parseOrThrow<T>(raw: string, line: number, file: string, schema: z.ZodType<T>): T {
  const result = parseLine(raw, schema);
  if (!result.ok) throw new TrajlabError("BAD_JSONL_LINE", `${file}:${line}: ${result.message}`);
  return result.value;
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

async function endsWithNewline(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/**
 * Appends one JSON value per line and flushes it to disk before resolving,
 * so a crash loses at most the line being written. Writes through one
 * appender are serialised.
 */
export class JsonlAppender {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  append(value: unknown): Promise<void> {
    return this.appendMany([value]);
  }

  appendMany(values: readonly unknown[]): Promise<void> {
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join("");
    const write = this.queue.then(async () => {
      if (text === "") return;
      const handle = await open(this.file, "a");
      try {
        await handle.appendFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    this.queue = write.catch(() => undefined);
    return write;
  }
}
