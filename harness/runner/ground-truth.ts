import { faultsOf, isScriptAsk, type PolicyScript } from "../../scenarios/index.js";
import { policyToolCallId } from "../../agents/index.js";
import type { GroundTruth, Termination, TrajectoryEvent } from "../trajectory/schema.js";

/**
 * The faults a policy put into a run on purpose, each with the events it
 * produced. Steps are found by the tool_call_id the policy model gave them
 * (`call_<step>`, `call_<step>_<repetition>` for a loop); handoff faults by
 * their handoff events; a premature answer by the model call that gave it.
 * A missing step produces no event: it is listed with the call it left out.
 * Faults the run never reached (it stopped earlier, or a single agent
 * skipped a handoff) are not listed.
 */
export function groundTruthOf(script: PolicyScript, events: readonly TrajectoryEvent[], termination: Termination): GroundTruth {
  const byCallId = new Map<string, string>();
  for (const event of events) {
    if ((event.kind === "tool_call" || event.kind === "handoff") && event.toolCallId) byCallId.set(event.toolCallId, event.id);
  }
  const completed = termination.reason === "completed";
  const faults: GroundTruth["faults"] = [];
  for (const fault of faultsOf(script)) {
    let eventIds: string[] = [];
    if (fault.answer) {
      const answer = events.findLast((event) => event.kind === "llm_call");
      eventIds = completed && answer ? [answer.id] : [];
    } else {
      for (const step of fault.steps) {
        const index = script.steps.indexOf(step);
        if (index === -1) continue;
        if (!isScriptAsk(step) && step.loop) {
          // The first call is the plan's own; every repetition is the loop.
          for (let repetition = 1; byCallId.has(policyToolCallId(undefined, index, repetition)); repetition++) {
            eventIds.push(byCallId.get(policyToolCallId(undefined, index, repetition))!);
          }
        } else {
          const id = byCallId.get(policyToolCallId(undefined, index));
          if (id) eventIds.push(id);
        }
      }
    }
    const reached = eventIds.length > 0 || (fault.steps.length === 0 && !fault.answer && completed);
    if (!reached) continue;
    faults.push({
      kind: fault.kind,
      eventIds,
      detail: fault.detail,
      ...(fault.expected
        ? {
            expected: {
              name: fault.expected.tool,
              args: fault.expected.args,
              ...(fault.expected.agent ? { agent: fault.expected.agent } : {}),
            },
          }
        : {}),
    });
  }
  return { faults };
}
