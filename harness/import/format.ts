import * as z from "zod";
import { TrajlabError } from "../../errors/index.js";
import type { Outcome, Termination, Trajectory, TrajectoryEvent } from "../trajectory/schema.js";
import { usageTotals } from "../trajectory/usage.js";
import type { GroupBy } from "./conversations.js";
import type { EffectResolver } from "./effects.js";

/** A file as read: one JSON document, or JSON Lines. */
export type ParsedFile =
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "jsonl"; readonly lines: ReadonlyArray<{ readonly line: number; readonly value: unknown }> };

/** One record of a source file: what becomes one trajectory. */
export interface SourceRecord {
  readonly value: unknown;
  /** Position among the file's records, from 0. */
  readonly index: number;
  /** 1-based line in a JSONL file; null in a JSON document. */
  readonly line: number | null;
  /** JSON Pointer to the record inside its document ("" for the whole document or a JSONL line). Pointers in events and errors are relative to the record. */
  readonly pointer: string;
}

/** What the user told the import (each overrides what the source says). */
export interface ImportOptions {
  readonly domain?: string;
  readonly model?: string;
  readonly agent?: string;
  /** For formats of traces (otel, langsmith): one trajectory per conversation (default) or per trace. */
  readonly groupBy?: GroupBy;
}

/** What a format's converter may use. */
export interface ImportContext {
  readonly effects: EffectResolver;
  readonly options: ImportOptions;
}

/** A converted record: a trajectory but for what the importer adds (id, run, provenance's file and place). */
export type ConvertedRecord = Omit<Trajectory, "schemaVersion" | "id" | "runId" | "provenance"> & {
  /** The record's own id in the source, if it has one. */
  readonly originalId: string | null;
  /** The source's own fields about the record (task id, trial, reward, ...), kept in the provenance. */
  readonly metadata: Record<string, unknown>;
};

/**
 * An import format: how to find the records in a file, and how to turn one
 * into a trajectory. Formats are looked up by id in the table in
 * `import-files.ts`; a converter reports bad input with {@link invalidInput}.
 */
export interface ImportFormat {
  readonly id: string;
  /**
   * True when the source's own id (`originalId`: a trace id, a root run id)
   * names one record wherever it is read: a record whose id a run already
   * holds is that record read again (perhaps with spans that came later),
   * and is not added a second time.
   */
  readonly uniqueOriginalIds?: boolean;
  /** The records of a parsed file; throws with {@link invalidInput} when the file is not of this format. */
  records(file: ParsedFile, options: ImportOptions): SourceRecord[];
  /** Converts one record; throws with {@link invalidInput}, naming the field and the fix. */
  convert(record: SourceRecord, context: ImportContext): ConvertedRecord | ConvertedRecord[];
}

/**
 * Bad input a format's code found, before the importer knows which file and
 * record it is in: the JSON Pointer into the record and what is wrong there.
 * The error itself reads whole (`at /traj/3/role: ...`); {@link locatedIssue}
 * puts the file and record in front.
 */
const unlocated = new WeakMap<TrajlabError, { readonly pointer: string; readonly detail: string }>();

/** Throws a `BAD_IMPORT` {@link TrajlabError}: where in the record (a JSON Pointer), what, and how to fix it. */
export function invalidInput(pointer: string, message: string, hint: string): never {
  const error = new TrajlabError("BAD_IMPORT", pointer === "" ? message : `at ${pointer}: ${message}`, { hint });
  unlocated.set(error, { pointer, detail: message });
  throw error;
}

/**
 * An error thrown by {@link invalidInput}, told where it happened (`file:
 * record 3`): `file: record 3, at /traj/3/role: ...` with the same hint; any
 * other error is returned as it is.
 */
export function locatedIssue(error: unknown, where: string): unknown {
  const issue = error instanceof TrajlabError ? unlocated.get(error) : undefined;
  if (!issue) return error;
  const field = issue.pointer === "" ? "" : `, at ${issue.pointer}`;
  return new TrajlabError("BAD_IMPORT", `${where}${field}: ${issue.detail}`, { hint: (error as TrajlabError).hint });
}

/** Appends path segments to a JSON Pointer, escaping `~` and `/` as RFC 6901 says. */
export function pointerTo(base: string, ...segments: ReadonlyArray<string | number>): string {
  return base + segments.map((segment) => `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/**
 * Validates a record (or part of one) against a format's zod schema, so a
 * bad field is reported as `<pointer>: <what was expected>` with the fix.
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, pointer: string, hint: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = pointerTo(pointer, ...issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment)));
  const got = valueAt(value, issue.path);
  const shown = got === undefined ? "it is missing" : `got ${preview(got)}`;
  return invalidInput(at, `${issue.message} (${shown})`, hint);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const segment of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[segment];
  }
  return at;
}

/** A value shown in an error message, short. */
export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Text content of a chat message: a string, or the text of its content parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      if (typeof part === "string") return part;
      if (typeof part !== "object" || part === null) return "";
      const text = (part as { text?: unknown }).text;
      return typeof text === "string" ? text : "";
    })
    .join("");
}

/** What follows from a trajectory's events alone: its usage, its task (the first user message) and its final answer. */
export function fromEvents(events: TrajectoryEvent[]): Pick<ConvertedRecord, "usage" | "task" | "events" | "finalAnswer"> {
  return { usage: usageTotals(events), task: taskOf(events), events, finalAnswer: finalAnswerOf(events) };
}

/** The last model turn that asked for nothing more: what the agent answered. */
export function finalAnswerOf(events: readonly TrajectoryEvent[]): string | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.kind === "llm_call" && event.output.toolCalls.length === 0 && event.output.content !== "") return event.output.content;
  }
  return null;
}

/** The first user message: the request the log starts from. */
export function taskOf(events: readonly TrajectoryEvent[]): string | null {
  const first = events.find((event) => event.kind === "message" && event.role === "user");
  return first?.kind === "message" ? first.content : null;
}

/** Ended as the source says, or `completed` when it says nothing. */
export const COMPLETED: Termination = Object.freeze({ reason: "completed", message: null });

/**
 * An outcome from the pass/score a source recorded: a score alone passes at
 * 1 (τ-bench's rule), a pass flag alone scores 1 or 0; null when it recorded
 * neither.
 */
export function recordedOutcome(pass: boolean | undefined, score: number | undefined, what: string): Outcome | null {
  if (pass === undefined && score === undefined) return null;
  const passed = pass ?? score === 1;
  const value = score ?? (passed ? 1 : 0);
  return {
    pass: passed,
    score: Math.min(1, Math.max(0, value)),
    checks: [{ name: what, pass: passed, message: `recorded by the source: ${what} ${score ?? pass}` }],
  };
}
