import type { Scenario } from "../define.js";
import { faultyPolicy } from "./faulty.js";
import type { Policy, ScriptAction } from "./policy.js";

/** Follows the scenario's reference plan exactly, taking ids from tool results and answers from the user. */
export const referencePolicy: Policy = {
  id: "reference",
  description: "follows the scenario's reference plan, reading ids out of earlier tool results",
  script(scenario) {
    return { policy: "reference", steps: [...scenario.reference.calls], answer: scenario.reference.answer };
  },
};

/**
 * Reaches the same outcome as the reference plan with calls that could have
 * been skipped: the first read is repeated at once with identical arguments,
 * and one tempting read (the scenario's first distractor) is made just before
 * the plan's last call and never used. Both extra calls are marked as faults.
 */
export const wastefulPolicy: Policy = {
  id: "wasteful",
  description: "the reference plan plus skippable calls: a repeated identical lookup and a read whose result is never used",
  script(scenario) {
    return { policy: "wasteful", steps: wastefulSteps(scenario), answer: scenario.reference.answer };
  },
};

function wastefulSteps(scenario: Scenario): ScriptAction[] {
  const calls = scenario.reference.calls;
  const readTools = new Set(scenario.environment.tools.filter((t) => t.effect === "read").map((t) => t.name));
  const distractor = scenario.distractors[0];
  const steps: ScriptAction[] = [];
  const firstRead = calls.findIndex((call) => call.tool !== undefined && readTools.has(call.tool));
  for (const [i, call] of calls.entries()) {
    if (i === calls.length - 1 && distractor) steps.push({ ...distractor, fault: "unused_read" });
    steps.push(call);
    if (i === firstRead && call.tool !== undefined) steps.push({ ...call, fault: "repeated_call" });
  }
  if (calls.length === 0 && distractor) steps.push({ ...distractor, fault: "unused_read" });
  if (firstRead === -1 && distractor) steps.push({ ...distractor, fault: "repeated_call" });
  return steps;
}

/** The faulty policy with its default rates (see {@link faultyPolicy}). */
export const defaultFaultyPolicy: Policy = faultyPolicy();

/** The policies built into trajlab, by id. */
export const builtinPolicies: readonly Policy[] = [referencePolicy, wastefulPolicy, defaultFaultyPolicy];
