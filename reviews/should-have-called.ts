import type { GradableTrajectory } from "../harness/core.js";
import { alignPlan } from "./plan-diff.js";
import type { StepVerdict } from "./record.js";
import type { TimelineStep } from "./timeline.js";
import { toolCallsOf } from "./timeline.js";

/**
 * What a reviewer writes in "should have called": the form starts from the
 * step or the reference plan, and completes the tool names (and agents) of
 * the trajectory, so the correction names real calls.
 */

/** A call as a reviewer writes it: `name(key="value", n=2)`, values as JSON. */
export function callText(name: string, args: Readonly<Record<string, unknown>>): string {
  return `${name}(${Object.entries(args)
    .map(([key, value]) => `${key}=${JSON.stringify(value) ?? String(value)}`)
    .join(", ")})`;
}

/**
 * The starting text of "should have called" for a step given `verdict`:
 * for wrong arguments, the reference call to the same tool at that place
 * (else the call as made, to edit); for a wrong tool, the reference call the
 * agent never made nearest to the step; for a wrong agent, the agents it
 * could have handed to; otherwise nothing.
 */
export function shouldHaveCalledFor(trajectory: GradableTrajectory, step: TimelineStep, verdict: StepVerdict | null): string {
  const { event } = step;
  if (event.kind === "handoff") {
    if (verdict !== "wrong_agent") return "";
    const others = agentsOf(trajectory).filter((agent) => agent !== event.to && agent !== event.from);
    return others.length === 1 ? others[0]! : "";
  }
  if (event.kind !== "tool_call" || (verdict !== "wrong_args" && verdict !== "wrong_tool")) return "";
  const rows = trajectory.reference ? alignPlan(trajectory.reference.calls, toolCallsOf(trajectory)) : [];
  const at = rows.findIndex((row) => "actual" in row && row.actual.id === event.id);
  const row = rows[at];
  if (verdict === "wrong_args") {
    if (row?.kind === "args") return callText(row.reference.name, row.reference.args);
    return callText(event.name, event.args);
  }
  // The missing reference call nearest to this step, looking forward first (where the agent should have gone next).
  let text = "";
  let nearest = Infinity;
  for (const [index, candidate] of rows.entries()) {
    if (candidate.kind !== "missing") continue;
    const distance = Math.abs(index - at) + (index < at ? 0.5 : 0);
    if (distance < nearest) {
      nearest = distance;
      text = callText(candidate.reference.name, candidate.reference.args);
    }
  }
  return text;
}

/** Names a "should have called" can complete: the trajectory's tools, the reference's calls, and its agents. */
export function completionNames(trajectory: GradableTrajectory): string[] {
  const names = new Set<string>();
  for (const tool of trajectory.tools ?? []) names.add(tool.name);
  for (const call of toolCallsOf(trajectory)) names.add(call.name);
  for (const call of trajectory.reference?.calls ?? []) names.add(call.name);
  for (const agent of agentsOf(trajectory)) names.add(agent);
  return [...names].sort();
}

/** The agents that act in a trajectory, in order of appearance. */
function agentsOf(trajectory: GradableTrajectory): string[] {
  return [...new Set(trajectory.events.map((event) => event.agent))];
}

/** A name being typed and the names it could become. */
export interface Completion {
  /** Where the name being typed starts (UTF-16 index). */
  readonly start: number;
  readonly prefix: string;
  /** Names that start with the prefix and are longer than it, in order. */
  readonly names: readonly string[];
}

/**
 * The completions for the word ending at the caret of `text`: a name made
 * of letters, digits, `_`, `-` and `.`, typed outside any parentheses.
 * Nothing is offered for an empty word or inside a call's arguments.
 */
export function completionAt(text: string, caret: number, names: readonly string[]): Completion | null {
  const before = text.slice(0, caret);
  if ((before.match(/\(/g)?.length ?? 0) > (before.match(/\)/g)?.length ?? 0)) return null;
  const word = /[\w.-]+$/.exec(before);
  if (!word) return null;
  const prefix = word[0];
  const matching = names.filter((name) => name.startsWith(prefix) && name !== prefix);
  return matching.length > 0 ? { start: word.index, prefix, names: matching } : null;
}
