import { callTool, diffStates, initialStateOf, type Scenario, type StateDifference } from "../../scenarios/index.js";
import type { GradableTrajectory, ToolCallEvent } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";

/** What one recorded tool call did to the environment when applied again. */
export interface CallEffect {
  readonly call: ToolCallEvent;
  /** State just before the call (a snapshot shared with other effects: do not mutate). */
  readonly before: unknown;
  /** State just after the call (a snapshot shared with other effects: do not mutate). */
  readonly after: unknown;
  /** The state paths the call changed. */
  readonly changes: StateDifference[];
  /** False when applying the call again gave another result than the recorded one. */
  readonly reproduced: boolean;
}

/** The environment's history, call by call. */
export interface StateTrace {
  readonly effects: CallEffect[];
  /** True when every call reproduced its recorded result. */
  readonly faithful: boolean;
}

const traces = new WeakMap<GradableTrajectory, StateTrace>();

/**
 * Replays a trajectory's tool calls against a fresh copy of the scenario's
 * initial state (tools are deterministic), recording what each call changed.
 * This is how graders see the environment between steps, although the
 * trajectory only stores the state before and after the run. Memoised per
 * trajectory object, since several graders read it.
 */
export function traceState(trajectory: GradableTrajectory, scenario: Scenario): StateTrace {
  const cached = traces.get(trajectory);
  if (cached) return cached;
  const state = initialStateOf(scenario);
  const effects: CallEffect[] = [];
  let faithful = true;
  // Snapshots are shared between calls until a write changes the state: reads copy nothing.
  let snapshot: unknown = structuredClone(state);
  for (const call of toolCalls(trajectory)) {
    const before = snapshot;
    const reproduced = applyAgain(scenario, call, state);
    faithful &&= reproduced;
    const changes = call.effect === "read" ? [] : diffStates(before, state);
    if (changes.length > 0) snapshot = structuredClone(state);
    effects.push({ call, before, after: snapshot, changes, reproduced });
  }
  const trace = { effects, faithful };
  traces.set(trajectory, trace);
  return trace;
}

/**
 * Rebuilds the environment at a point of the run by applying the recorded
 * calls that `include` selects (those before the point), in order, to
 * `state` (mutated in place: it is the object the agent's tools are bound
 * to). Returns the calls that gave another result than recorded.
 */
export function rebuildState(
  trajectory: GradableTrajectory,
  scenario: Scenario,
  state: unknown,
  include: (call: ToolCallEvent) => boolean,
): ToolCallEvent[] {
  const mismatches: ToolCallEvent[] = [];
  for (const call of toolCalls(trajectory)) {
    if (include(call) && !applyAgain(scenario, call, state)) mismatches.push(call);
  }
  return mismatches;
}

/**
 * Applies a recorded call to `state` (mutated) with the scenario's tools;
 * true when it gives the recorded result again (or fails again, as recorded).
 */
function applyAgain(scenario: Scenario, call: ToolCallEvent, state: unknown): boolean {
  const outcome = callTool(scenario.environment.tools, call.name, call.args, state);
  return outcome.ok ? call.status === "ok" && canonicalJson(outcome.result) === canonicalJson(call.result) : call.status === "error";
}

/** The tool-call events of a trajectory, in order. */
export function toolCalls(trajectory: GradableTrajectory): ToolCallEvent[] {
  return trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
}

/** True when two dotted state paths name the same value or one contains the other. */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a === "" || b === "" || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}
