import type { GradableTrajectory, ToolCallEvent } from "../trajectory/schema.js";
import type { Grader, StepLabel } from "./grade.js";

/**
 * Results never used: a successful read whose result contributed nothing new
 * that flows anywhere later (into a later call's arguments, a handoff, a
 * later model message or the final answer) is a candidate skip.
 *
 * Values are traced by exact occurrence: ids, names and other short strings,
 * three-word phrases of long text, and numbers that are not small integers. Values
 * already known before the call (from the task or earlier calls) do not
 * count as its contribution. Derived values (a percentage of a total) are not
 * traced, which is why the label is a candidate and carries its evidence.
 */
export const unusedResultsGrader: Grader = {
  id: "unused-results",
  description: "reads whose results flow into nothing later (arguments, handoffs, messages, final answer)",
  grade(trajectory) {
    const calls = trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
    const steps: StepLabel[] = [];
    const known = new Set(valuesIn(trajectory.task, true));
    for (const call of calls) {
      for (const value of valuesIn(call.args, false)) known.add(value);
      if (call.status !== "ok") continue;
      const produced = valuesIn(call.result, false);
      const fresh = produced.filter((value) => !known.has(value));
      for (const value of produced) known.add(value);
      if (call.effect !== "read") continue;
      if (fresh.length === 0) {
        steps.push({ eventId: call.id, label: "unused_result", reason: `${call.name} returned nothing that was not already known` });
        continue;
      }
      const later = laterText(trajectory, call);
      const used = fresh.filter((value) => later.includes(value));
      if (used.length === 0) {
        steps.push({
          eventId: call.id,
          label: "unused_result",
          reason: `none of what ${call.name} returned (${fresh.slice(0, 3).map((v) => JSON.stringify(v)).join(", ")}${fresh.length > 3 ? ", ..." : ""}) appears in any later call, message or the final answer`,
        });
      }
    }
    const reads = calls.filter((call) => call.effect === "read" && call.status === "ok").length;
    return {
      score: reads === 0 ? 1 : 1 - steps.length / reads,
      pass: steps.length === 0,
      comment: steps.length === 0 ? "every read's result was used" : `${steps.length} read(s) with unused results: ${steps.map((s) => s.eventId).join(", ")}`,
      steps,
    };
  },
};

/** Lower-cased text of everything that happened after `call` and could use its result. */
function laterText(trajectory: GradableTrajectory, call: ToolCallEvent): string {
  const parts: string[] = [];
  let after = false;
  for (const event of trajectory.events) {
    if (event.id === call.id) {
      after = true;
      continue;
    }
    if (!after) continue;
    if (event.kind === "tool_call" || event.kind === "handoff") parts.push(JSON.stringify(event.args));
    else if (event.kind === "llm_call") parts.push(event.output.content);
    else if (event.kind === "message" && event.role !== "tool") parts.push(event.content);
  }
  parts.push(trajectory.finalAnswer ?? "");
  return parts.join("\n").toLowerCase();
}

/**
 * Traceable values inside a JSON value, lower-cased: short strings whole,
 * long text as three-word shingles plus any word with a digit (single common
 * words are too weak as evidence), numbers that are not small integers.
 */
function valuesIn(value: unknown, freeText: boolean): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      const text = v.trim().toLowerCase();
      if (freeText || text.length > 40) {
        const words = text.split(/[^\p{L}\p{N}@._-]+/u).map((word) => word.replace(/[.]+$/, "")).filter(Boolean);
        for (const word of words) if (/\d/.test(word)) out.push(word);
        for (let i = 0; i + 2 < words.length; i++) out.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
      } else if (text.length >= 3) {
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
