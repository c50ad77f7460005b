import { closeSync, existsSync, openSync } from "node:fs";
import { open } from "node:fs/promises";
import { GradeSchema, TrajlabError, describeIssues, errorMessage, type Grade, type RunDirectory } from "../harness/core.js";
import { fieldKeys, readLeadingValues } from "./json-head.js";
import type { ReviewWarning } from "./review-file.js";
import { intern, readLine } from "./trajectory-index.js";

/** What the queue reads of a grade before its trajectory is opened: whose it is, pass (null when the grader did not apply), and the labelled steps. */
export type GradeHead = Pick<Grade, "grader" | "trajectoryId" | "pass" | "steps" | "labels">;

/** A grade in the index: its head, and where its line is, to read it whole when its trajectory is opened (one object: a large run has hundreds of thousands). */
export interface IndexedGrade extends GradeHead {
  /** The `grades.jsonl` it is in. */
  readonly file: string;
  /** 1-based line in the file, for messages. */
  readonly line: number;
  readonly offset: number;
  readonly length: number;
}

const HEAD_KEYS = fieldKeys(new Set(["grader", "trajectoryId", "pass", "steps"]));
/** The values read from one line's head, in the order of HEAD_KEYS, reused from line to line. */
const HEAD_VALUES: unknown[] = [];

/**
 * A run's grades by trajectory, as the review queue needs them before any
 * trajectory is opened. A large run has hundreds of thousands of grades, so
 * each is a slot in a few typed arrays (where its line is, its grader, pass)
 * rather than an object of its own; only grades that label steps keep their
 * steps and labels. {@link GradeIndex.get} gives a trajectory's grades as
 * objects, to read them whole when it is opened.
 */
export class GradeIndex {
  private count = 0;
  private offsets = new Float64Array(1024);
  private lengths = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private graders = new Uint16Array(1024);
  /** 1 passed, 0 failed, -1 the grader did not apply (null). */
  private passes = new Int8Array(1024);
  /** The next grade of the same trajectory, -1 at its last. */
  private nexts = new Int32Array(1024);
  private readonly graderNames: string[] = [];
  private readonly graderCodes = new Map<string, number>();
  /** Per trajectory: its id, and its first and last grade. */
  private readonly slots = new Map<string, TrajectoryGrades>();
  /** Steps and labels of the grades that label steps, by grade. */
  private readonly labelled = new Map<number, Pick<GradeHead, "steps" | "labels">>();

  constructor(
    /** The `grades.jsonl` indexed. */
    readonly file: string,
  ) {}

  /** How many trajectories have grades. */
  get size(): number {
    return this.slots.size;
  }

  /** Ids of the trajectories with grades, in the order their first grade comes in the file. */
  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** A trajectory's grades in file order, or undefined when it has none. */
  get(trajectoryId: string): IndexedGrade[] | undefined {
    const slot = this.slots.get(trajectoryId);
    if (!slot) return undefined;
    const grades: IndexedGrade[] = [];
    for (let at = slot.first; at >= 0; at = this.nexts[at]!) {
      const marks = this.labelled.get(at);
      grades.push({
        grader: this.graderNames[this.graders[at]!]!,
        trajectoryId: slot.trajectoryId,
        pass: passOf(this.passes[at]!),
        steps: marks?.steps ?? NO_STEPS,
        labels: marks?.labels,
        file: this.file,
        line: this.lines[at]!,
        offset: this.offsets[at]!,
        length: this.lengths[at]!,
      });
    }
    return grades;
  }

  /** The pass of a trajectory's first outcome grade that applied (pass not null); undefined if none did. */
  outcomeOf(trajectoryId: string): boolean | undefined {
    const outcome = this.slots.get(trajectoryId)?.outcome ?? -1;
    return outcome === -1 ? undefined : outcome === 1;
  }

  /** A trajectory's grades that label steps (the others flag nothing), without their places. */
  labelling(trajectoryId: string): GradeHead[] {
    const slot = this.slots.get(trajectoryId);
    const heads: GradeHead[] = [];
    if (!slot?.labelling) return heads;
    for (let at = slot.first; at >= 0; at = this.nexts[at]!) {
      const marks = this.labelled.get(at);
      if (marks) {
        heads.push({
          grader: this.graderNames[this.graders[at]!]!,
          trajectoryId: slot.trajectoryId,
          pass: passOf(this.passes[at]!),
          ...marks,
        });
      }
    }
    return heads;
  }

  /** Adds a grade, found at `line` (1-based), `offset` and `length` bytes in the file. */
  add(head: GradeHead, line: number, offset: number, length: number): void {
    if (this.count === this.offsets.length) this.grow();
    const at = this.count;
    this.count += 1;
    let code = this.graderCodes.get(head.grader);
    if (code === undefined) {
      code = this.graderNames.length;
      this.graderNames.push(head.grader);
      this.graderCodes.set(head.grader, code);
    }
    this.offsets[at] = offset;
    this.lengths[at] = length;
    this.lines[at] = line;
    this.graders[at] = code;
    this.passes[at] = head.pass === null ? -1 : head.pass ? 1 : 0;
    this.nexts[at] = -1;
    const labelling = head.steps.length > 0;
    if (labelling || head.labels !== undefined) this.labelled.set(at, { steps: head.steps, labels: head.labels });
    const outcome = head.grader === OUTCOME_GRADER && head.pass !== null ? (head.pass ? 1 : 0) : -1;
    const slot = this.slots.get(head.trajectoryId);
    if (slot) {
      this.nexts[slot.last] = at;
      slot.last = at;
      if (slot.outcome === -1) slot.outcome = outcome;
      slot.labelling ||= labelling;
    } else this.slots.set(head.trajectoryId, { trajectoryId: head.trajectoryId, first: at, last: at, outcome, labelling });
  }

  private grow(): void {
    const size = this.offsets.length * 2;
    const grown = <T extends Float64Array | Int32Array | Uint16Array | Int8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.offsets = grown(this.offsets, new Float64Array(size));
    this.lengths = grown(this.lengths, new Int32Array(size));
    this.lines = grown(this.lines, new Int32Array(size));
    this.graders = grown(this.graders, new Uint16Array(size));
    this.passes = grown(this.passes, new Int8Array(size));
    this.nexts = grown(this.nexts, new Int32Array(size));
  }
}

/** The grader whose pass stands for the trajectory's outcome in the queue. */
const OUTCOME_GRADER = "outcome";

/** One trajectory's grades in a {@link GradeIndex}. */
interface TrajectoryGrades {
  readonly trajectoryId: string;
  readonly first: number;
  last: number;
  /** The pass of its first outcome grade that applied: 1, 0, or -1 while none has. */
  outcome: number;
  /** True when one of its grades labels steps. */
  labelling: boolean;
}

function passOf(code: number): boolean | null {
  return code === -1 ? null : code === 1;
}

/**
 * Indexes a run's `grades.jsonl` for the review queue, by trajectory. A run
 * has a grade per grader per trajectory, so a large one has hundreds of
 * thousands of lines: a line that labels no step (most of them) is read only
 * up to its empty `steps`, the others are parsed, and none is checked against
 * the grade format here: {@link loadGrades} does that for one trajectory's
 * grades when it is opened, naming the line at fault. A torn last line is
 * skipped with a warning.
 */
export async function indexGrades(
  run: RunDirectory,
  options: {
    onWarning?: (warning: ReviewWarning) => void;
    /** Checked between chunks: true stops the reading, leaving the index with the grades read so far. */
    stopped?: () => boolean;
  } = {},
): Promise<GradeIndex> {
  const file = run.file("grades");
  const index = new GradeIndex(file);
  if (!existsSync(file)) return index;
  let line = 0;
  await eachLine(file, options.stopped ?? (() => false), (bytes, start, end, offset, last) => {
    line += 1;
    if (isBlank(bytes, start, end)) return;
    const head = headOf(bytes, start, end);
    if (head) {
      index.add(head, line, offset, end - start);
      return;
    }
    if (last) {
      options.onWarning?.({ file, line, message: `skipped a torn last line (${line}), left by an interrupted write` });
      return;
    }
    throw new TrajlabError("BAD_JSONL_LINE", `${file}:${line}: not a grade (it needs grader, trajectoryId, pass and steps)`, {
      hint: "the line is damaged or from another tool; if the file was edited by hand, fix or delete that line (trajlab grade rewrites grades.jsonl)",
    });
  });
  return index;
}

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Calls `visit` with each line of a file: its bytes are `bytes[start, end)`,
 * at `offset` in the file, and `last` when no newline ended it. The file is
 * read a chunk at a time into one reused buffer (a line longer than the buffer
 * grows it), so indexing a large grades.jsonl holds a few megabytes, not the
 * file; `bytes` is valid only during the call. `stopped` is checked between
 * chunks, and ends the reading when true.
 */
async function eachLine(
  file: string,
  stopped: () => boolean,
  visit: (bytes: Buffer, start: number, end: number, offset: number, last: boolean) => void,
): Promise<void> {
  const handle = await open(file, "r");
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let kept = 0; // bytes of an unfinished line at the start of `buffer`
    let offset = 0; // file offset of buffer[0]
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, offset + kept);
      const filled = kept + bytesRead;
      let start = 0;
      for (let newline = buffer.indexOf(0x0a, kept); newline >= 0 && newline < filled; newline = buffer.indexOf(0x0a, start)) {
        visit(buffer, start, newline, offset + start, false);
        start = newline + 1;
      }
      if (bytesRead === 0) {
        if (start < filled) visit(buffer, start, filled, offset + start, true);
        return;
      }
      if (stopped()) return;
      buffer.copy(buffer, 0, start, filled);
      kept = filled - start;
      offset += start;
    }
  } finally {
    await handle.close();
  }
}

/** The head of the grade line `bytes[start, end)`: read up to its steps when there are none, else parsed whole; undefined if it is not a grade. */
function headOf(bytes: Buffer, start: number, end: number): GradeHead | undefined {
  const values = HEAD_VALUES;
  const found = readLeadingValues(bytes, start, end, HEAD_KEYS, values);
  let grader: unknown, trajectoryId: unknown, pass: unknown, steps: unknown, labels: unknown;
  if (found === HEAD_KEYS.names.length && Array.isArray(values[3]) && values[3].length === 0) {
    [grader, trajectoryId, pass, steps] = values;
  } else {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8", start, end));
    } catch {
      return undefined;
    }
    if (typeof value !== "object" || value === null) return undefined;
    ({ grader, trajectoryId, pass, steps, labels } = value as Record<string, unknown>);
  }
  if (
    typeof grader !== "string" ||
    typeof trajectoryId !== "string" ||
    !(typeof pass === "boolean" || pass === null) ||
    !Array.isArray(steps)
  )
    return undefined;
  // Most grades label no step: they share one empty list; grader names repeat on every trajectory.
  return {
    grader: intern(grader),
    trajectoryId,
    pass,
    steps: steps.length === 0 ? NO_STEPS : (steps as GradeHead["steps"]),
    labels: labels as GradeHead["labels"],
  };
}

/** True when `bytes[start, end)` holds only JSON whitespace. */
function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const code = bytes[i];
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d && code !== 0x0a) return false;
  }
  return true;
}

const NO_STEPS: GradeHead["steps"] = Object.freeze([]) as unknown as GradeHead["steps"];

/** Reads one trajectory's grades whole from their lines and checks each against the grade format. */
export function loadGrades(indexed: readonly IndexedGrade[]): Grade[] {
  return indexed.map((place) => {
    const { file } = place;
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch {
      throw new TrajlabError("FILE_MISSING", `${file} does not exist or cannot be read`);
    }
    try {
      let json: unknown;
      try {
        json = JSON.parse(readLine(fd, place).toString("utf8"));
      } catch (error) {
        throw new TrajlabError("BAD_JSONL_LINE", `${file}:${place.line}: not valid JSON (${errorMessage(error)})`, {
          hint: "the file changed since it was opened, or the line is damaged; reopen the review",
        });
      }
      const checked = GradeSchema.safeParse(json);
      if (!checked.success) {
        throw new TrajlabError("BAD_JSONL_LINE", `${file}:${place.line}: ${describeIssues(checked.error)}`, {
          hint: "the line does not match the grade format; re-grade the run with `trajlab grade`",
        });
      }
      return checked.data;
    } finally {
      closeSync(fd);
    }
  });
}
