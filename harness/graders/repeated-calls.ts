import type { GradableTrajectory, ToolCallEvent } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { Grader, StepLabel } from "./grade.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";

/** How many identical calls in a row make a loop rather than a repeat. */
const LOOP_LENGTH = 3;

/** A call that repeats an earlier one whose answer was still valid. */
export interface RepeatedCall {
  readonly call: ToolCallEvent;
  readonly earlier: ToolCallEvent;
}

/**
 * Calls with the same agent, name and arguments as an earlier successful
 * call, with no successful write in between that could have changed the
 * answer (writes themselves stay "seen": repeating a write is never needed).
 */
export function repeatedCalls(trajectory: GradableTrajectory): RepeatedCall[] {
  const seen = new Map<string, ToolCallEvent>();
  const repeats: RepeatedCall[] = [];
  for (const call of trajectory.events) {
    if (call.kind !== "tool_call") continue;
    if (call.effect === "write" && call.status === "ok") {
      for (const [key, earlier] of seen) if (earlier.effect !== "write") seen.delete(key);
    }
    const key = `${call.agent}\u0000${call.name}\u0000${canonicalJson(call.args)}`;
    const earlier = seen.get(key);
    if (earlier) {
      repeats.push({ call, earlier });
      continue;
    }
    if (call.status === "ok") seen.set(key, call);
  }
  return repeats;
}

/**
 * Repeated identical calls: a call that repeats an earlier one (same agent,
 * tool and arguments, nothing written in between) could have been skipped;
 * its result was already known. Labelled `skippable`, with the earlier call
 * in `related`. When the same call comes {@link LOOP_LENGTH} or more times in
 * a row, the repetitions are labelled `loop` instead: the agent is stuck.
 */
export const repeatedCallsGrader: Grader = defineGrader({
  id: "repeated-calls",
  description: "tool calls identical to an earlier call whose answer was still valid; loops of them",
  labels: BUILTIN_LABELS["repeated-calls"],
  grade(trajectory) {
    const calls = trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
    const looping = loopingCalls(calls);
    const steps: StepLabel[] = repeatedCalls(trajectory).map(({ call, earlier }) => {
      const run = looping.get(call.id);
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
            reason: `repeats ${earlier.id} (${call.name} with the same arguments) and nothing changed in between; its result was already known`,
            related: [earlier.id],
          };
    });
    const loops = steps.filter((step) => step.label === "loop").length;
    return {
      score: calls.length === 0 ? 1 : 1 - steps.length / calls.length,
      pass: steps.length === 0,
      comment:
        steps.length === 0
          ? "no repeated calls"
          : `${steps.length - loops} repeated call(s)${loops > 0 ? ` and ${loops} looping call(s)` : ""}: ${steps.map((s) => s.eventId).join(", ")}`,
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
