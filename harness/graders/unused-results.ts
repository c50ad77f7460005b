import type { GradableTrajectory, ToolCallEvent, TrajectoryEvent } from "../trajectory/schema.js";
import type { Grader, StepLabel } from "./grade.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";
import { canonicalJson } from "../util/canonical-json.js";
import { repeatedCalls } from "./repeated-calls.js";

/**
 * Results never used: a successful read whose result contributed nothing
 * that flows anywhere later is a candidate skip.
 *
 * Value flow: each read's new values (what it returned that was not known
 * from what the user said or from earlier calls) are looked for in what came after it: later
 * calls' arguments, handoffs, text the agents wrote, the final answer. A read
 * is used when one of its values reaches a write, a handoff, agent text or
 * the answer, or reaches the arguments of a later read that is itself used
 * (so a chain of idle lookups is idle as a whole).
 *
 * Only distinctive values count as evidence: ids, names, e-mail addresses,
 * dates, amounts, three-word phrases of long text; bare status words
 * ("pending") and small counts appear in answers by chance. A number derived
 * from a result by a round ratio (a 10% refund of a total) counts as a use.
 * Calls that repeat an identical earlier call are left to the repeated-calls
 * grader, and reads the reference plan makes are needed by construction
 * (see {@link traceValueFlow}).
 */
export const unusedResultsGrader: Grader = defineGrader({
  id: "unused-results",
  description: "reads whose results flow into nothing later (arguments, handoffs, agent text, final answer)",
  labels: BUILTIN_LABELS["unused-results"],
  grade(trajectory) {
    const flow = traceValueFlow(trajectory);
    const steps: StepLabel[] = flow.unused.map(({ call, fresh }) => ({
      eventId: call.id,
      label: "unused_result",
      reason:
        fresh.length === 0
          ? `${call.name} returned nothing that was not already known`
          : `none of what ${call.name} returned (${fresh
              .slice(0, 3)
              .map((v) => JSON.stringify(v))
              .join(", ")}${fresh.length > 3 ? ", ..." : ""}) reaches a later write, handoff, message or the final answer`,
    }));
    return {
      score: flow.reads === 0 ? 1 : 1 - steps.length / flow.reads,
      pass: steps.length === 0,
      comment:
        flow.note ??
        (steps.length === 0
          ? "every read's result was used"
          : `${steps.length} read(s) with unused results: ${steps.map((s) => s.eventId).join(", ")}`),
      steps,
    };
  },
});

/** A read and the new values it brought. */
interface ReadFlow {
  readonly call: ToolCallEvent;
  readonly fresh: string[];
}

/**
 * Reads whose results flow nowhere, and how many reads were considered.
 *
 * A read the reference plan makes (same tool, same arguments) is needed by
 * construction, even when this run did not go on to use it (it stopped
 * early, or the read informs a decision no value shows): it is not singled
 * out. Without a reference, runs that did not complete and runs in which no
 * read reaches anything single out no read either: their fault is the cut or
 * an answer that rests on nothing.
 */
export function traceValueFlow(trajectory: GradableTrajectory): { unused: ReadFlow[]; reads: number; note: string | null } {
  const events = trajectory.events;
  const repeats = new Set(repeatedCalls(trajectory).map((repeat) => repeat.call.id));
  const planned = new Set((trajectory.reference?.calls ?? []).map((call) => `${call.name}\u0000${canonicalJson(call.args)}`));
  const isPlanned = (call: ToolCallEvent): boolean => planned.has(`${call.name}\u0000${canonicalJson(call.args)}`);
  // What the user said, and what earlier calls returned or were given, is known.
  const known = new Set(valuesIn(trajectory.task, true));
  const reads: ReadFlow[] = [];
  const index = new Map(events.map((event, i) => [event.id, i]));
  for (const event of events) {
    if (event.kind === "message" && event.role === "user") for (const value of valuesIn(event.content, true)) known.add(value);
    if (event.kind !== "tool_call") continue;
    for (const value of valuesIn(event.args, false)) known.add(value);
    if (event.status !== "ok") continue;
    const produced = valuesIn(event.result, false);
    const fresh = produced.filter((value) => !known.has(value));
    for (const value of produced) known.add(value);
    if (event.effect !== "read" || repeats.has(event.id) || isPlanned(event)) continue;
    reads.push({ call: event, fresh });
  }
  const withoutReference = trajectory.reference === null;
  if (withoutReference && trajectory.termination.reason !== "completed") {
    return {
      unused: [],
      reads: reads.length,
      note: `the run ended by ${trajectory.termination.reason}; its results may have been used later`,
    };
  }
  const sinks = events.map((event) => sinkOf(event));
  const finalAnswer = (trajectory.finalAnswer ?? "").toLowerCase();
  // A value an off-plan read shares with what the user said or with a planned
  // read's result may have come from there: only values the read alone
  // supplied count as its use.
  const elsewhere: Array<{ at: number; text: string }> = [{ at: -1, text: (trajectory.task ?? "").toLowerCase() }];
  events.forEach((event, at) => {
    if (event.kind === "message" && event.role === "user") elsewhere.push({ at, text: event.content.toLowerCase() });
    if (event.kind === "tool_call" && event.status === "ok" && isPlanned(event))
      elsewhere.push({ at, text: event.resultText.toLowerCase() });
  });
  const supplied = (value: string, before: number): boolean =>
    !elsewhere.some((source) => source.at < before && source.text.includes(value));
  // Latest reads first: whether a read is used may depend on reads after it.
  const used = new Set<string>();
  for (const read of [...reads].reverse()) {
    if (read.fresh.length === 0) continue;
    const from = index.get(read.call.id)! + 1;
    const numbers = read.fresh.map(Number).filter((n) => Number.isFinite(n) && n !== 0);
    const reaches = (text: string, at: number): boolean =>
      read.fresh.some((value) => text.includes(value) && supplied(value, at)) || (numbers.length > 0 && derivedNumberIn(text, numbers));
    let isUsed = reaches(finalAnswer, events.length);
    for (let i = from; !isUsed && i < events.length; i++) {
      const sink = sinks[i];
      if (!sink || !reaches(sink.text, i)) continue;
      const event = events[i]!;
      isUsed = sink.kind !== "read" || used.has(event.id) || (event.kind === "tool_call" && isPlanned(event));
    }
    if (isUsed) used.add(read.call.id);
  }
  if (withoutReference && used.size === 0 && reads.length > 0) {
    return {
      unused: [],
      reads: reads.length,
      note: "no tool result reaches a write, a message or the answer: the answer does not rest on any lookup",
    };
  }
  return { unused: reads.filter((read) => !used.has(read.call.id)), reads: reads.length, note: null };
}

/** Where a later event can carry values: its text, and whether it is a read (whose use depends on its own use). */
function sinkOf(event: TrajectoryEvent): { text: string; kind: "read" | "other" } | null {
  switch (event.kind) {
    case "tool_call":
      return { text: JSON.stringify(event.args).toLowerCase(), kind: event.effect === "read" ? "read" : "other" };
    case "handoff":
      return { text: JSON.stringify(event.args).toLowerCase(), kind: "other" };
    case "llm_call":
      return event.output.content ? { text: event.output.content.toLowerCase(), kind: "other" } : null;
    case "message":
      return event.role === "assistant" ? { text: event.content.toLowerCase(), kind: "other" } : null;
    default:
      return null;
  }
}

/** Round ratios a number in an answer or argument may be of a result's number (percentages, halves, doubles). */
const RATIOS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.75, 0.9, 2, 3];

/** True when `text` holds a number equal to a round ratio of one of `numbers` (to the cent). */
function derivedNumberIn(text: string, numbers: readonly number[]): boolean {
  // Free-standing numbers only: not parts of dates, ids or versions.
  const found = text.match(/(?<![\w.-])\d+(?:\.\d+)?(?![\w-]|\.\d)/g);
  if (!found) return false;
  const candidates = found.map(Number).filter((n) => n >= 1);
  return candidates.some((n) => numbers.some((v) => Math.abs(v) >= 10 && RATIOS.some((ratio) => Math.abs(v * ratio - n) < 0.005)));
}

/** Single lower-case words carry no evidence of flow: statuses, booleans, units. */
const PLAIN_WORD = /^[a-z]+$/;
/** Times of day recur across calendars and schedules by chance. */
const TIME_OF_DAY = /^\d{1,2}:\d{2}$/;

/**
 * Distinctive values inside a JSON value, lower-cased: short strings whole
 * (unless a plain word), long text as three-word shingles plus words with a
 * digit, numbers that are not small integers (as written and to two places).
 */
export function valuesIn(value: unknown, freeText: boolean): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      const text = v.trim().toLowerCase();
      if (freeText || text.length > 40) {
        const words = text
          .split(/[^\p{L}\p{N}@._-]+/u)
          .map((word) => word.replace(/[.]+$/, ""))
          .filter(Boolean);
        for (const word of words) if (/\d/.test(word) || word.includes("@")) out.push(word);
        for (let i = 0; i + 2 < words.length; i++) out.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
      } else if (text.length >= 3 && !PLAIN_WORD.test(text) && !TIME_OF_DAY.test(text)) {
        out.push(text);
      } else if (text.length >= 3 && /[A-Z]/.test(v)) {
        // A capitalised single word is a name ("Oslo"), not a status.
        out.push(text);
      }
    } else if (typeof v === "number") {
      if (!Number.isInteger(v) || Math.abs(v) >= 100) out.push(String(v), v.toFixed(2));
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === "object") {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return [...new Set(out.filter((word) => word.length >= 3))];
}
