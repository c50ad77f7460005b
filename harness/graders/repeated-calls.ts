import type { ToolCallEvent } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { Grader, StepLabel } from "./grade.js";

/**
 * Repeated identical calls: a tool call with the same name and arguments as an
 * earlier successful call by the same agent, with no write in between that
 * could have changed its answer, could have been skipped.
 */
export const repeatedCallsGrader: Grader = {
  id: "repeated-calls",
  description: "tool calls identical to an earlier call whose answer was still valid",
  grade(trajectory) {
    const calls = trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
    const seen = new Map<string, ToolCallEvent>();
    const steps: StepLabel[] = [];
    for (const call of calls) {
      if (call.effect === "write" && call.status === "ok") {
        // A successful write may change what earlier reads would return now.
        for (const [key, earlier] of seen) if (earlier.effect !== "write") seen.delete(key);
      }
      const key = `${call.agent}\u0000${call.name}\u0000${canonicalJson(call.args)}`;
      const earlier = seen.get(key);
      if (earlier) {
        steps.push({
          eventId: call.id,
          label: "skippable",
          reason: `repeats ${earlier.id} (${call.name} with the same arguments) and nothing changed in between; its result was already known`,
        });
        continue;
      }
      if (call.status === "ok") seen.set(key, call);
    }
    return {
      score: calls.length === 0 ? 1 : 1 - steps.length / calls.length,
      pass: steps.length === 0,
      comment: steps.length === 0 ? "no repeated calls" : `${steps.length} repeated call(s): ${steps.map((s) => s.eventId).join(", ")}`,
      steps,
    };
  },
};
