import { closeSync, existsSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { GradeSchema, TrajlabError, describeIssues, errorMessage, type Grade, type RunDirectory } from "../harness/core.js";
import { readLeadingFields } from "./json-head.js";
import type { ReviewWarning } from "./review-file.js";
import { readLine } from "./trajectory-index.js";

/** What the queue reads of a grade before its trajectory is opened: whose it is, pass (null when the grader did not apply), and the labelled steps. */
export type GradeHead = Pick<Grade, "grader" | "trajectoryId" | "pass" | "steps" | "labels">;

/** A grade in the index: its head, and where its line is, to read it whole when its trajectory is opened. */
export interface IndexedGrade {
  readonly head: GradeHead;
  /** The `grades.jsonl` it is in. */
  readonly file: string;
  /** 1-based line in the file, for messages. */
  readonly line: number;
  readonly offset: number;
  readonly length: number;
}

const HEAD_FIELDS: ReadonlySet<string> = new Set(["grader", "trajectoryId", "pass", "steps"]);

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
  options: { onWarning?: (warning: ReviewWarning) => void } = {},
): Promise<Map<string, IndexedGrade[]>> {
  const file = run.file("grades");
  const byTrajectory = new Map<string, IndexedGrade[]>();
  if (!existsSync(file)) return byTrajectory;
  const bytes = await readFile(file);
  let line = 0;
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    line += 1;
    const text = bytes.toString("utf8", start, end);
    const place = { file, line, offset: start, length: end - start };
    start = end + 1;
    if (text.trim() === "") continue;
    const head = headOf(text);
    if (head) {
      const known = byTrajectory.get(head.trajectoryId);
      if (known) known.push({ head, ...place });
      else byTrajectory.set(head.trajectoryId, [{ head, ...place }]);
      continue;
    }
    if (newline < 0) {
      options.onWarning?.({ file, line, message: `skipped a torn last line (${line}), left by an interrupted write` });
      continue;
    }
    throw new TrajlabError("BAD_JSONL_LINE", `${file}:${line}: not a grade (it needs grader, trajectoryId, pass and steps)`, {
      hint: "the line is damaged or from another tool; if the file was edited by hand, fix or delete that line (trajlab grade rewrites grades.jsonl)",
    });
  }
  return byTrajectory;
}

/** The head of a grade line: read up to its steps when there are none, else parsed whole; undefined if it is not a grade. */
function headOf(text: string): GradeHead | undefined {
  const leading = readLeadingFields(text, HEAD_FIELDS);
  let value: Record<string, unknown> | undefined;
  if (leading?.size === HEAD_FIELDS.size && Array.isArray(leading.get("steps")) && (leading.get("steps") as unknown[]).length === 0) {
    value = Object.fromEntries(leading);
  } else {
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const { grader, trajectoryId, pass, steps, labels } = value ?? {};
  if (
    typeof grader !== "string" ||
    typeof trajectoryId !== "string" ||
    !(typeof pass === "boolean" || pass === null) ||
    !Array.isArray(steps)
  )
    return undefined;
  return { grader, trajectoryId, pass, steps, labels: labels as GradeHead["labels"] };
}

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
