import type { GradableTrajectory, ToolCallEvent } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { isTransientError } from "./call-behaviour.js";
import { defineGrader } from "./define.js";
import type { Grader, StepLabel } from "./grade.js";
import { oneLineClip } from "../util/one-line.js";

/** How many identical calls in a row make a loop rather than a repeat. */
const LOOP_LENGTH = 3;

/** A call that repeats an earlier one whose answer could not have changed. */
export interface RepeatedCall {
  readonly call: ToolCallEvent;
  readonly earlier: ToolCallEvent;
  /** True when the arguments are the same only once written alike (case, spacing, number formats). */
  readonly equivalent: boolean;
}

/**
 * Arguments in a form where values written differently but meaning the same
 * compare equal: strings trimmed, spaces collapsed and lower-cased, numeric
 * strings as numbers, null and missing keys alike.
 */
export function normalisedArgs(args: Record<string, unknown>): string {
  const normal = (value: unknown): unknown => {
    if (typeof value === "string") {
      const text = value.trim().replace(/\s+/g, " ").toLowerCase();
      return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
    }
    if (Array.isArray(value)) return value.map(normal);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => [k, normal(v)]),
      );
    return value;
  };
  return canonicalJson(normal(args));
}

/** A successful call that may have changed what later calls see: a write, or a call whose effect is unknown. */
function mayChangeState(call: ToolCallEvent): boolean {
  return call.status === "ok" && call.effect !== "read";
}

/**
 * Calls with the same agent, tool and arguments (or arguments equivalent once
 * written alike) as an earlier successful call, with no successful write (or
 * call of unknown effect) in between, that returned the same result: the
 * answer was already known and did not change. A repeat whose result differs
 * shows that something did change, and is not one.
 */
export function repeatedCalls(trajectory: GradableTrajectory): RepeatedCall[] {
  const seen = new Map<string, ToolCallEvent>();
  const repeats: RepeatedCall[] = [];
  for (const call of trajectory.events) {
    if (call.kind !== "tool_call") continue;
    if (mayChangeState(call)) {
      // Writes themselves stay seen: repeating a write with the same arguments is never needed.
      for (const [key, earlier] of seen) if (earlier.effect === "read") seen.delete(key);
    }
    const key = `${call.agent}\u0000${call.name}\u0000${normalisedArgs(call.args)}`;
    const earlier = seen.get(key);
    if (earlier && call.status === "ok" && canonicalJson(earlier.result) === canonicalJson(call.result)) {
      repeats.push({ call, earlier, equivalent: canonicalJson(earlier.args) !== canonicalJson(call.args) });
      continue;
    }
    if (call.status === "ok") seen.set(key, call);
  }
  return repeats;
}

/** A failed call that an earlier failed call of the same kind foretold. */
export interface FailedRetry {
  readonly call: ToolCallEvent;
  readonly earlier: ToolCallEvent;
  /** The values the error named that the retry still carried; empty when the arguments were the same. */
  readonly kept: readonly string[];
  /**
   * Set when the retry failed with the same error about other values, which
   * the earlier call carried too: the values its own error names.
   */
  readonly carried?: readonly string[];
}

/**
 * Retries bound to fail: a failed call after an earlier failed call by the
 * same agent to the same tool, with nothing written in between that could
 * make it succeed, that failed with the same error, and either had the same
 * arguments or still carried the values the error named (`flight X not
 * available on date D`, retried with X on D). A retry that dropped what the
 * error named but kept another value of the failed call, and failed with the
 * same error about that one (`flight Y not available on date E`, Y and E
 * both in the failed call), is one too: it carried the same flaw over.
 * Momentary errors (timeouts, rate limits) are left alone: retrying those is
 * reasonable.
 */
export function failedRetries(trajectory: GradableTrajectory): FailedRetry[] {
  let failures: ToolCallEvent[] = [];
  const retries: FailedRetry[] = [];
  for (const call of trajectory.events) {
    if (call.kind !== "tool_call") continue;
    if (mayChangeState(call)) failures = [];
    if (call.status !== "error" || isTransientError(call)) continue;
    const error = errorText(call);
    for (const earlier of failures) {
      if (earlier.agent !== call.agent || earlier.name !== call.name) continue;
      if (errorText(earlier) !== error) {
        // The same error about other values, which the failed call carried too.
        const carried = maskValues(errorText(earlier)) === maskValues(error) ? namedValuesKept(error, earlier, call) : [];
        if (carried.length > 0) {
          retries.push({ call, earlier, kept: [], carried });
          break;
        }
        continue;
      }
      const same = normalisedArgs(earlier.args) === normalisedArgs(call.args);
      const kept = same ? [] : namedValuesKept(error, earlier, call);
      if (same || kept.length > 0) {
        retries.push({ call, earlier, kept });
        break;
      }
    }
    failures.push(call);
  }
  return retries;
}

function errorText(call: ToolCallEvent): string {
  return (call.error?.message ?? call.resultText).trim().replace(/\s+/g, " ").toLowerCase();
}

/** An error message with its distinctive values (words with a digit) masked: what kind of error it is. */
function maskValues(error: string): string {
  return error.replace(/[^\s:,;()'"]*\d[^\s:,;()'"]*/g, "#");
}

/** Distinctive words of an error message (ids, dates, amounts: words with a digit) present in both calls' arguments. */
function namedValuesKept(error: string, earlier: ToolCallEvent, call: ToolCallEvent): string[] {
  const named = [...new Set(error.split(/[^\p{L}\p{N}@._-]+/u).filter((word) => /\d/.test(word) && word.length >= 3))];
  const before = JSON.stringify(earlier.args).toLowerCase();
  const after = JSON.stringify(call.args).toLowerCase();
  return named.length > 0 && named.every((word) => before.includes(word) && after.includes(word)) ? named : [];
}

/**
 * Repeated calls: a call that repeats an earlier one (same agent, tool and
 * arguments, or arguments equivalent once written alike; nothing written in
 * between; the same result) could have been skipped: its result was already
 * known. Labelled `skippable`, with the earlier call in `related`. When the
 * same call comes {@link LOOP_LENGTH} or more times in a row, the repetitions
 * are labelled `loop` instead: the agent is stuck. A failed call retried with
 * nothing changed that could make it succeed, failing the same way, is a
 * `failed_retry`.
 */
export const repeatedCallsGrader: Grader = defineGrader({
  id: "repeated-calls",
  description: "tool calls identical to an earlier call whose answer could not have changed; loops; retries of failed calls bound to fail",
  labels: BUILTIN_LABELS["repeated-calls"],
  grade(trajectory) {
    const calls = trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
    const looping = loopingCalls(calls);
    const steps: StepLabel[] = repeatedCalls(trajectory).map(({ call, earlier, equivalent }) => {
      const run = looping.get(call.id);
      const same = equivalent ? "equivalent arguments (the same once written alike)" : "the same arguments";
      return run
        ? {
            eventId: call.id,
            label: "loop",
            reason: `${call.name} with the same arguments ${run} times in a row${trajectory.termination.reason === "max_steps" ? " until the step limit ended the run" : ""}; nothing changed between the calls`,
            related: [earlier.id],
          }
        : {
            eventId: call.id,
            label: "skippable",
            reason: `repeats ${earlier.id} (${call.name} with ${same}) with nothing written in between, and got the same result; it was already known`,
            related: [earlier.id],
          };
    });
    for (const { call, earlier, kept, carried } of failedRetries(trajectory)) {
      const quoted = (values: readonly string[]): string => values.map((value) => JSON.stringify(value)).join(", ");
      const why = carried
        ? `still with ${quoted(carried)}, which ${earlier.id} carried too, with nothing written in between that could change the answer; it failed with the same error about them`
        : `${kept.length === 0 ? "with the same arguments" : `still with ${quoted(kept)}, which the error named`}, with nothing written in between that could change the answer; it failed the same way`;
      steps.push({
        eventId: call.id,
        label: "failed_retry",
        reason: `retries ${earlier.id} (${call.name}), which had failed, ${why}: ${oneLineClip(call.error?.message ?? call.resultText)}`,
        related: [earlier.id],
      });
    }
    steps.sort((a, b) => Number(a.eventId.slice(1)) - Number(b.eventId.slice(1)));
    const count = (label: string): number => steps.filter((step) => step.label === label).length;
    const parts = [
      count("skippable") > 0 ? `${count("skippable")} repeated call(s)` : "",
      count("loop") > 0 ? `${count("loop")} looping call(s)` : "",
      count("failed_retry") > 0 ? `${count("failed_retry")} retried failure(s)` : "",
    ].filter(Boolean);
    return {
      score: calls.length === 0 ? 1 : 1 - steps.length / calls.length,
      pass: steps.length === 0,
      comment: steps.length === 0 ? "no repeated calls" : `${parts.join(", ")}: ${steps.map((s) => s.eventId).join(", ")}`,
      steps,
    };
  },
});

/** Calls inside a run of identical consecutive calls at least {@link LOOP_LENGTH} long, with the run's length. */
function loopingCalls(calls: readonly ToolCallEvent[]): Map<string, number> {
  const looping = new Map<string, number>();
  let start = 0;
  for (let i = 1; i <= calls.length; i++) {
    const same = i < calls.length && sameCall(calls[i]!, calls[start]!);
    if (same) continue;
    const length = i - start;
    if (length >= LOOP_LENGTH) for (let j = start; j < i; j++) looping.set(calls[j]!.id, length);
    start = i;
  }
  return looping;
}

function sameCall(a: ToolCallEvent, b: ToolCallEvent): boolean {
  return a.agent === b.agent && a.name === b.name && canonicalJson(a.args) === canonicalJson(b.args);
}
