import type { GradableTrajectory, LlmCallEvent, ReferencePlan, ToolCallEvent } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";
import { eventOrder, notApplicable, type Grader, type StepLabel } from "./grade.js";
import { BUILTIN_LABELS } from "./builtin-labels.js";
import { defineGrader } from "./define.js";
import { matchTrajectory, type MatchOptions, type TrajectoryMatch, type UnmatchedCall } from "./match/match-trajectory.js";
import { argDifferences, argsContained, describeArgDifferences } from "./match/tool-args.js";
import { inferEffect } from "../import/effects.js";

/** Options of {@link trajectoryMatchGrader}: the match options plus the grader's id. */
export interface TrajectoryMatchGraderOptions extends MatchOptions {
  /** Default `trajectory-match`; give another id to register several configurations. */
  readonly id?: string;
}

/**
 * A grader comparing the trajectory's tool calls with the scenario's
 * reference plan (with the arguments the plan resolved to), by
 * {@link matchTrajectory}. The score is the F1 of tool calls; `pass` is the
 * match verdict in the chosen mode (default `superset` with `exact`
 * arguments: every reference call made as planned, extra calls allowed but
 * labelled).
 *
 * Step labels: `wrong_args` (right tool, other arguments than the reference
 * call it stands for or stood next to), `wrong_tool` (a tool the reference
 * never uses, called with the arguments of the reference call that follows
 * or in place of a missing one), `extra_call` (not in the reference),
 * `missing_call` on the model call that should have made a reference call,
 * and `premature_answer` on the model call that answered while the
 * reference's last calls were still missing.
 */
export function trajectoryMatchGrader(options: TrajectoryMatchGraderOptions = {}): Grader {
  const match: MatchOptions = { mode: options.mode ?? "superset", toolArgs: options.toolArgs ?? "exact", overrides: options.overrides };
  return defineGrader({
    id: options.id ?? "trajectory-match",
    description: `tool calls against the reference plan (${match.mode} mode, ${match.toolArgs} arguments): precision, recall, order, and a diff`,
    labels: BUILTIN_LABELS["trajectory-match"],
    grade(trajectory) {
      if (!trajectory.reference) {
        return notApplicable("no reference plan to compare with");
      }
      const result = matchTrajectory(trajectory, trajectory.reference, match);
      return { score: result.score, pass: result.pass, comment: describeMatch(result), steps: labelSteps(trajectory, result) };
    },
  });
}

/** The built-in configuration: superset mode, exact arguments. */
export const trajectoryMatchDefault: Grader = trajectoryMatchGrader();

function labelSteps(trajectory: GradableTrajectory, result: TrajectoryMatch): StepLabel[] {
  const reference = trajectory.reference!.calls;
  const actual = trajectory.events.filter((event): event is ToolCallEvent => event.kind === "tool_call");
  const steps: StepLabel[] = [];
  for (const mismatch of result.mismatchedArgs) {
    if (!mismatch.eventId) continue;
    steps.push({
      eventId: mismatch.eventId,
      label: "wrong_args",
      reason: `${mismatch.name} stands for reference call ${mismatch.reference + 1} but with other arguments: ${describeArgDifferences(mismatch.differences)}`,
    });
  }
  // Reference calls stood for, by actual call index, to find what an extra call preceded.
  const standsFor = new Map<number, number>([...result.matched, ...result.mismatchedArgs].map((m) => [m.actual, m.reference]));
  const missing = [...result.missing];
  const effects = effectsOf(trajectory, actual);
  for (const extra of result.extra) {
    if (!extra.eventId) continue;
    const label = labelExtra(extra, actual, reference, standsFor, missing, result, effects);
    if (label.replaced) missing.splice(missing.indexOf(label.replaced), 1);
    steps.push({ eventId: extra.eventId, label: label.label, reason: label.reason });
  }
  steps.push(...missingCalls(trajectory, actual, result, missing));
  return steps.sort((a, b) => eventOrder(a.eventId) - eventOrder(b.eventId));
}

interface ExtraLabel {
  readonly label: "wrong_tool" | "wrong_args" | "extra_call";
  readonly reason: string;
  /** The missing reference call this extra call stood in for. */
  readonly replaced?: UnmatchedCall;
}

/**
 * What an extra call most likely was, judged from the call standing for a
 * reference call that the same agent makes next: the same tool with the
 * same argument names (a wrong attempt, then the right call: `wrong_args`),
 * or another tool given the same arguments (`wrong_tool`). Failing that, a
 * tool the reference never uses, given arguments of a missing reference
 * call, is a `wrong_tool`; a repeat of a matched call, or anything else, is
 * an `extra_call`. A read never stands in for a write: looking up what a
 * write will change, with the write's own arguments, is no wrong tool.
 */
function labelExtra(
  extra: UnmatchedCall,
  actual: readonly ToolCallEvent[],
  reference: ReferencePlan["calls"],
  standsFor: ReadonlyMap<number, number>,
  missing: readonly UnmatchedCall[],
  result: TrajectoryMatch,
  effects: (toolName: string) => string,
): ExtraLabel {
  const own = actual[extra.index]!;
  const readForWrite = (name: string): boolean => own.effect === "read" && effects(name) === "write";
  const key = canonicalJson(extra.args);
  const repeated = actual.find(
    (call, index) => index !== extra.index && standsFor.has(index) && call.name === extra.name && canonicalJson(call.args) === key,
  );
  if (repeated)
    return {
      label: "extra_call",
      reason: `${extra.name} again with the arguments of ${repeated.id}, which already stands for a reference call`,
    };
  const nextIndex = actual.findIndex((call, index) => index > extra.index && call.agent === own.agent && standsFor.has(index));
  if (nextIndex !== -1) {
    const next = actual[nextIndex]!;
    const planned = reference[standsFor.get(nextIndex)!]!;
    const sameKeys = canonicalJson(Object.keys(extra.args).sort()) === canonicalJson(Object.keys(planned.args).sort());
    if (next.name === extra.name && sameKeys && canonicalJson(extra.args) !== canonicalJson(planned.args)) {
      return {
        label: "wrong_args",
        reason: `${extra.name} with ${describeArgDifferences(argDifferences(extra.args, planned.args))}; then made with the reference's arguments (${next.id})`,
      };
    }
    if (
      next.name !== extra.name &&
      !readForWrite(planned.name) &&
      Object.keys(extra.args).length > 0 &&
      canonicalJson(extra.args) === canonicalJson(planned.args)
    ) {
      return {
        label: "wrong_tool",
        reason: `called ${extra.name} with the arguments of the ${next.name} call that follows (${next.id}); ${next.name} was the tool needed`,
      };
    }
  }
  const referenceNames = new Set(reference.map((call) => call.name));
  // A tool the reference never uses, given (some of) the arguments of a reference call that was never made, stood in for it.
  const candidates = missing.filter(
    (call) => !readForWrite(call.name) && Object.keys(extra.args).length > 0 && argsContained(extra.args, call.args),
  );
  const replaced = referenceNames.has(extra.name) ? undefined : nearest(candidates, extra, result);
  if (replaced) {
    return {
      label: "wrong_tool",
      reason: `called ${extra.name}, which the reference never uses, where the reference calls ${replaced.name} (reference call ${replaced.index + 1})`,
      replaced,
    };
  }
  return { label: "extra_call", reason: `${extra.name} ${JSON.stringify(extra.args)} is not in the reference plan` };
}

/**
 * The read/write effect of a tool by name: as the trajectory's tools list
 * gives it, else as its calls were recorded, else inferred from the name
 * (a reference can name a tool the run never called, and imported runs
 * often carry no tools list).
 */
function effectsOf(trajectory: GradableTrajectory, actual: readonly ToolCallEvent[]): (toolName: string) => string {
  const known = new Map<string, string>((trajectory.tools ?? []).map((tool) => [tool.name, tool.effect]));
  for (const call of actual) if (call.effect !== "unknown" && !known.has(call.name)) known.set(call.name, call.effect);
  return (toolName) => known.get(toolName) ?? inferEffect(toolName).effect;
}

function gap(extra: UnmatchedCall, referenceIndex: number, result: TrajectoryMatch): number {
  return Math.abs(extra.index / Math.max(1, result.counts.actual) - referenceIndex / Math.max(1, result.counts.reference));
}

/** The missing reference call nearest in relative position to an extra call. */
function nearest(missing: readonly UnmatchedCall[], extra: UnmatchedCall, result: TrajectoryMatch): UnmatchedCall | undefined {
  let best: UnmatchedCall | undefined;
  for (const candidate of missing) if (!best || gap(extra, candidate.index, result) < gap(extra, best.index, result)) best = candidate;
  return best;
}

/**
 * Reference calls never made, labelled on the model call that should have
 * made them: the first model call after the call standing for the reference
 * call before it. When the answer came while the plan's last calls (more
 * than one, or a read) were still missing, the answering model call is
 * labelled `premature_answer` instead.
 */
function missingCalls(
  trajectory: GradableTrajectory,
  actual: readonly ToolCallEvent[],
  result: TrajectoryMatch,
  missing: readonly UnmatchedCall[],
): StepLabel[] {
  // A run cut short (step limit, timeout) misses the rest of the plan because of the cut.
  if (missing.length === 0 || trajectory.termination.reason !== "completed") return [];
  const covered = new Map<number, number>([...result.matched, ...result.mismatchedArgs].map((m) => [m.reference, m.actual]));
  const lastCovered = Math.max(-1, ...covered.keys());
  const tail = missing.filter((call) => call.index > lastCovered);
  const effects = new Map((trajectory.tools ?? []).map((tool) => [tool.name, tool.effect]));
  const llmCalls = trajectory.events.filter((event): event is LlmCallEvent => event.kind === "llm_call");
  const answering = [...llmCalls].reverse().find((call) => call.output.toolCalls.length === 0 && call.output.content !== "");
  const prematureTail =
    trajectory.finalAnswer !== null &&
    answering !== undefined &&
    (tail.length > 1 || tail.some((call) => effects.get(call.name) === "read"));
  const steps: StepLabel[] = [];
  if (prematureTail) {
    steps.push({
      eventId: answering.id,
      label: "premature_answer",
      reason: `answered before making the reference's last ${tail.length} call(s): ${tail.map((call) => call.name).join(", ")}`,
    });
  }
  const order = new Map(trajectory.events.map((event, index) => [event.id, index]));
  const anchors = new Map<string, UnmatchedCall[]>();
  for (const call of missing) {
    if (prematureTail && tail.includes(call)) continue;
    const before = [...covered.keys()].filter((index) => index < call.index);
    const previous = before.length > 0 ? actual[covered.get(Math.max(...before))!] : undefined;
    const after = previous ? order.get(previous.id)! : -1;
    const anchor = llmCalls.find((llm) => order.get(llm.id)! > after) ?? llmCalls.at(-1);
    if (!anchor) continue;
    anchors.set(anchor.id, [...(anchors.get(anchor.id) ?? []), call]);
  }
  for (const [eventId, calls] of anchors) {
    steps.push({
      eventId,
      label: "missing_call",
      reason: `the reference makes ${calls.map((call) => `${call.name} ${briefArgs(call.args)} (reference call ${call.index + 1})`).join(" and ")} at this point; it was never made`,
    });
  }
  return steps;
}

function briefArgs(args: Record<string, unknown>): string {
  const text = JSON.stringify(args);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeMatch(result: TrajectoryMatch): string {
  const { counts } = result;
  const figures = `precision ${result.precision.toFixed(2)}, recall ${result.recall.toFixed(2)}, F1 ${result.f1.toFixed(2)}, order ${result.orderScore.toFixed(2)}`;
  const parts = [`${counts.matched}/${counts.reference} reference call(s) matched by ${counts.actual} call(s) (${figures})`];
  if (result.missing.length > 0)
    parts.push(`missing: ${result.missing.map((call) => `${call.name} (reference call ${call.index + 1})`).join(", ")}`);
  if (result.mismatchedArgs.length > 0)
    parts.push(`other arguments: ${result.mismatchedArgs.map((m) => `${m.eventId ?? `call ${m.actual + 1}`} ${m.name}`).join(", ")}`);
  if (result.extra.length > 0)
    parts.push(
      `not in the reference: ${result.extra.map((call) => `${call.eventId ?? `call ${call.index + 1}`} ${call.name}`).join(", ")}`,
    );
  if (result.reasons.length > 0) parts.push(`fails ${result.mode} mode: ${result.reasons.join("; ")}`);
  return parts.join("; ");
}
