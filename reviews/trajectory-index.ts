import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import {
  TrajectorySchema,
  TrajlabError,
  describeIssues,
  errorMessage,
  stripGroundTruth,
  type GradableTrajectory,
  type RunDirectory,
} from "../harness/core.js";
import { fieldKeys, readLeadingValues, readTrailingFieldOf } from "./json-head.js";
import type { ReviewWarning } from "./review-file.js";

/**
 * What the review queue knows about one trajectory before it is opened:
 * labels for filtering and sorting, and where its line is in the file.
 */
export interface TrajectoryEntry {
  readonly run: RunDirectory;
  readonly id: string;
  readonly runId: string;
  readonly scenarioId: string;
  readonly domain: string;
  readonly agent: string;
  /** Null when the trajectory does not name its model (imported logs). */
  readonly model: string | null;
  readonly trial: number;
  /** The user's request, when it was cheap to read (empty otherwise). */
  readonly task: string;
  /** The recorded outcome; null when none was recorded. */
  readonly pass: boolean | null;
  readonly termination: string;
  readonly toolCalls: number;
  /** 1-based line in `trajectories.jsonl`, for messages. */
  readonly line: number;
  readonly offset: number;
  readonly length: number;
}

/** The labels the queue needs, checked by hand: this runs once per line of a large file. */
interface TrajectoryHead {
  id: string;
  runId: string;
  scenarioId: string;
  domain: string;
  agent: string;
  model: string | null;
  trial: number;
  task: string;
  termination: string;
  toolCalls: number;
  pass: boolean | null;
}

function headOf(value: unknown): TrajectoryHead | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof fields[key] === "string" ? (fields[key] as string) : undefined);
  const inner = (key: string, field: string): unknown => {
    const object = fields[key];
    return typeof object === "object" && object !== null ? (object as Record<string, unknown>)[field] : undefined;
  };
  const id = text("id");
  const runId = text("runId");
  const scenarioId = text("scenarioId");
  const domain = text("domain");
  const agent = text("agent");
  const model = fields.model === null ? null : text("model");
  const trial = fields.trial;
  const termination = inner("termination", "reason");
  const toolCalls = inner("usage", "toolCalls");
  const pass = fields.outcome === null ? null : inner("outcome", "pass");
  if (
    id === undefined ||
    runId === undefined ||
    scenarioId === undefined ||
    domain === undefined ||
    agent === undefined ||
    model === undefined
  )
    return undefined;
  if (
    typeof trial !== "number" ||
    typeof termination !== "string" ||
    typeof toolCalls !== "number" ||
    (pass !== null && typeof pass !== "boolean")
  )
    return undefined;
  return { id, runId, scenarioId, domain, agent, model, trial, task: text("task") ?? "", termination, toolCalls, pass };
}

const LEADING_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "runId",
  "scenarioId",
  "domain",
  "agent",
  "model",
  "trial",
  "task",
  "termination",
  "usage",
]);

const LEADING_KEYS = fieldKeys(LEADING_FIELDS);
/** The values read from one line's head, reused from line to line. */
const LEADING_VALUES: unknown[] = [];

/** Bytes read from each end of a line to find its labels. */
const HEAD_BYTES = 8 * 1024;
const TAIL_BYTES = 16 * 1024;
const CHUNK_BYTES = 4 * 1024 * 1024;
/** The first read is smaller: a screenful of recorded lines is a fraction of it, and the review waits for it. */
const FIRST_CHUNK_BYTES = 1024 * 1024;
/** Most lines have all their leading labels in this many bytes. */
const SHORT_HEAD_BYTES = 1024;
const OUTCOME_KEY = Buffer.from('"outcome":');

/** Options for {@link indexTrajectories}. */
export interface IndexOptions {
  readonly onWarning?: (warning: ReviewWarning) => void;
  /** Called between chunks with bytes read so far and the file size. */
  readonly onProgress?: (read: number, total: number) => void;
}

/**
 * Indexes a run's `trajectories.jsonl` without parsing whole trajectories:
 * one pass over the bytes finds line boundaries, and each line's labels are
 * read from its first and last few kilobytes (lines written by other tools,
 * with fields in another order, are parsed whole). A torn last line is skipped
 * with a warning. Memory stays at two chunks plus the index (the next chunk
 * is read while one is indexed): lines are read from views into the chunk,
 * and only the ends of a line that crosses into the next chunk are copied.
 */
export async function indexTrajectories(run: RunDirectory, options: IndexOptions = {}): Promise<TrajectoryEntry[]> {
  const entries: TrajectoryEntry[] = [];
  for await (const batch of trajectoryBatches(run, options)) for (const entry of batch) entries.push(entry);
  return entries;
}

/**
 * {@link indexTrajectories} a chunk at a time: yields the entries of each
 * chunk of the file as it is read (a few hundred recorded lines), so a caller
 * can show the first ones, and let other work run, before the file is read
 * to its end.
 */
export async function* trajectoryBatches(run: RunDirectory, options: IndexOptions = {}): AsyncGenerator<TrajectoryEntry[]> {
  const file = run.file("trajectories");
  if (!existsSync(file)) return;
  const handle = await open(file, "r");
  const fd = handle.fd;
  let entries: TrajectoryEntry[] = [];
  const add = (head: Buffer, tail: Buffer, place: LinePlace, complete: boolean): void => {
    const entry = entryOf(run, file, fd, head, tail, place, complete, options.onWarning);
    if (entry) entries.push(entry);
  };
  // The next chunk is read while this one is indexed: two buffers, each reused every other chunk.
  let reading: Promise<{ bytesRead: number }> | null = null;
  try {
    const { size } = await handle.stat();
    const chunks = [0, 1].map(() => Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, size))));
    const readAt = (at: number, chunk: Buffer): Promise<{ bytesRead: number }> | null =>
      at < size ? handle.read(chunk, 0, Math.min(at === 0 ? FIRST_CHUNK_BYTES : chunk.length, size - at), at) : null;
    let position = 0;
    let lineNumber = 1;
    // A line begun in an earlier chunk: where it starts, and copies of its first and last bytes so far.
    let carried: { start: number; head: Buffer; tail: Buffer } | null = null;
    reading = readAt(0, chunks[0]!);
    for (let turn = 0; reading && position < size; turn += 1) {
      const chunk = chunks[turn % 2]!;
      const { bytesRead } = await reading;
      reading = null;
      if (bytesRead === 0) break;
      reading = readAt(position + bytesRead, chunks[(turn + 1) % 2]!);
      let from = 0;
      for (let newline = chunk.indexOf(0x0a, 0); newline >= 0 && newline < bytesRead; newline = chunk.indexOf(0x0a, from)) {
        if (carried) {
          const head =
            carried.head.length < HEAD_BYTES
              ? Buffer.concat([carried.head, chunk.subarray(0, Math.min(newline, HEAD_BYTES - carried.head.length))])
              : carried.head;
          const tail =
            newline >= TAIL_BYTES
              ? chunk.subarray(newline - TAIL_BYTES, newline)
              : Buffer.concat([carried.tail, chunk.subarray(0, newline)]).subarray(-TAIL_BYTES);
          add(head, tail, { line: lineNumber, offset: carried.start, length: position + newline - carried.start }, true);
          carried = null;
        } else if (newline > from) {
          add(
            chunk.subarray(from, Math.min(newline, from + HEAD_BYTES)),
            chunk.subarray(Math.max(from, newline - TAIL_BYTES), newline),
            { line: lineNumber, offset: position + from, length: newline - from },
            true,
          );
        }
        lineNumber += 1;
        from = newline + 1;
      }
      if (from < bytesRead) {
        const rest = chunk.subarray(from, bytesRead);
        carried = carried
          ? {
              start: carried.start,
              head:
                carried.head.length < HEAD_BYTES
                  ? Buffer.concat([carried.head, rest.subarray(0, HEAD_BYTES - carried.head.length)])
                  : carried.head,
              tail: Buffer.concat([carried.tail, rest]).subarray(-TAIL_BYTES),
            }
          : { start: position + from, head: Buffer.from(rest.subarray(0, HEAD_BYTES)), tail: Buffer.from(rest.subarray(-TAIL_BYTES)) };
        // The chunk is reused: what is carried must not be a view into it.
        if (carried.tail.buffer === chunk.buffer) carried.tail = Buffer.from(carried.tail);
      }
      position += bytesRead;
      options.onProgress?.(position, size);
      if (entries.length > 0) {
        yield entries;
        entries = [];
      }
    }
    if (carried) add(carried.head, carried.tail, { line: lineNumber, offset: carried.start, length: position - carried.start }, false);
    if (entries.length > 0) yield entries;
  } finally {
    // A read still in flight (the caller stopped early, or a line was bad) ends before the file is closed.
    await reading?.catch(() => undefined);
    await handle.close();
  }
}

/** Where a line is in its file. */
export interface LinePlace {
  readonly line: number;
  readonly offset: number;
  readonly length: number;
}

function entryOf(
  run: RunDirectory,
  file: string,
  fd: number,
  head: Buffer,
  tail: Buffer,
  place: LinePlace,
  complete: boolean,
  onWarning: IndexOptions["onWarning"],
): TrajectoryEntry | undefined {
  // The labels sit in a line's first few hundred bytes and from `"outcome":` on: read only those bytes.
  let blank = 0;
  while (blank < head.length && isSpaceByte(head[blank]!)) blank += 1;
  if (blank === head.length && place.length <= head.length) return undefined;
  const values = LEADING_VALUES;
  const found = readLeadingValues(head, 0, Math.min(head.length, SHORT_HEAD_BYTES), LEADING_KEYS, values);
  if (head.length > SHORT_HEAD_BYTES && found < LEADING_KEYS.names.length) readLeadingValues(head, 0, head.length, LEADING_KEYS, values);
  // One shape for every line (the order of LEADING_FIELDS); a field not found is undefined.
  const fields: Record<string, unknown> = {
    id: values[0],
    runId: values[1],
    scenarioId: values[2],
    domain: values[3],
    agent: values[4],
    model: values[5],
    trial: values[6],
    task: values[7],
    termination: values[8],
    usage: values[9],
    outcome: undefined,
  };
  const outcomeAt = tail.lastIndexOf(OUTCOME_KEY);
  if (outcomeAt >= 0) {
    const trailing = readTrailingFieldOf(tail, outcomeAt, tail.length, "outcome");
    const found = trailing.found ? trailing : readTrailingFieldOf(tail, 0, tail.length, "outcome");
    if (found.found) fields.outcome = found.value;
  }
  let labels = headOf(fields);
  if (!labels) {
    // Fields in another order, or not a trajectory at all: read the whole line.
    const whole = readLine(fd, place).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(whole);
    } catch (error) {
      if (!complete) {
        onWarning?.({ file, line: place.line, message: `skipped a torn last line (${place.line}), left by an interrupted write` });
        return undefined;
      }
      throw new TrajlabError("BAD_JSONL_LINE", `${file}:${place.line}: not valid JSON (${errorMessage(error)})`, {
        hint: "the line is not valid JSON; if the file was edited by hand, fix or delete that line",
      });
    }
    labels = headOf(json);
    if (!labels) {
      const checked = TrajectorySchema.safeParse(json);
      throw new TrajlabError(
        "BAD_TRAJECTORY",
        `${file}:${place.line}: ${checked.success ? "missing trajectory fields" : describeIssues(checked.error)}`,
        {
          hint: "each line must be a trajlab trajectory; check it with `trajlab schema`",
        },
      );
    }
  }
  const { scenarioId, domain, agent, model, runId, termination } = labels;
  // A large run repeats a few labels on every line: keep one copy of each.
  return {
    run,
    ...labels,
    scenarioId: intern(scenarioId),
    domain: intern(domain),
    agent: intern(agent),
    model: model === null ? null : intern(model),
    runId: intern(runId),
    termination: intern(termination),
    // Tasks repeat too: one per scenario.
    task: intern(labels.task),
    line: place.line,
    offset: place.offset,
    length: place.length,
  };
}

function isSpaceByte(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

const interned = new Map<string, string>();

/**
 * One copy of each label string, however many lines repeat it (a run of
 * 100,000 trajectories has a few dozen scenario ids, models and agents).
 * Kept for the process: labels are few and small.
 */
export function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  interned.set(text, text);
  return text;
}

/** The bytes of one line of an open file, from its place in an index. */
export function readLine(fd: number, place: LinePlace): Buffer {
  const buffer = Buffer.allocUnsafe(place.length);
  let done = 0;
  while (done < place.length) {
    const count = readSync(fd, buffer, done, place.length - done, place.offset + done);
    if (count === 0) break;
    done += count;
  }
  return buffer.subarray(0, done);
}

/**
 * The JSON of one trajectory's line, parsed but not validated (for quick
 * facts such as how many calls failed). Errors name the file and the line.
 */
export function readTrajectoryJson(entry: TrajectoryEntry): unknown {
  const file = entry.run.file("trajectories");
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    throw new TrajlabError("FILE_MISSING", `${file} does not exist or cannot be read`);
  }
  let text: string;
  try {
    text = readLine(fd, entry).toString("utf8");
  } finally {
    closeSync(fd);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TrajlabError("BAD_JSONL_LINE", `${file}:${entry.line}: not valid JSON (${errorMessage(error)})`, {
      hint: "the file changed since it was opened, or the line is damaged; reopen the review",
    });
  }
}

/**
 * Reads and validates one trajectory from its line, without ground truth
 * (reviewers' labels must not be steered by it). Errors name the file, the
 * line and the field.
 */
export function loadTrajectory(entry: TrajectoryEntry): GradableTrajectory {
  const json = readTrajectoryJson(entry);
  const parsed = TrajectorySchema.safeParse(json);
  if (!parsed.success) {
    throw new TrajlabError("BAD_TRAJECTORY", `${entry.run.file("trajectories")}:${entry.line}: ${describeIssues(parsed.error)}`, {
      hint: "each line must be a trajlab trajectory; check it with `trajlab schema`",
    });
  }
  return stripGroundTruth(parsed.data);
}
