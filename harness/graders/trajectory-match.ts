import type { GradableTrajectory, LlmCallEvent } from "../trajectory/schema.js";
import type { Grader, StepLabel } from "./grade.js";
import { matchTrajectory, type MatchOptions, type TrajectoryMatch, type UnmatchedCall } from "./match/match-trajectory.js";
import { describeArgDifferences } from "./match/tool-args.js";

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
 * call it stands for), `wrong_tool` (a call to a tool the reference never
 * uses, where a reference call is missing), `extra_call` (not in the
 * reference), and `premature_answer` on the model call that answered while
 * the reference's last calls were still missing.
 */
export function trajectoryMatchGrader(options: TrajectoryMatchGraderOptions = {}): Grader {
  const match: MatchOptions = { mode: options.mode ?? "superset", toolArgs: options.toolArgs ?? "exact", overrides: options.overrides };
  return {
    id: options.id ?? "trajectory-match",
    description: `tool calls against the reference plan (${match.mode} mode, ${match.toolArgs} arguments): precision, recall, order, and a diff`,
    grade(trajectory) {
      if (!trajectory.reference) {
        return { score: 1, pass: true, comment: "no reference plan to compare with", steps: [] };
      }
      const result = matchTrajectory(trajectory, trajectory.reference, match);
      return { score: result.score, pass: result.pass, comment: describeMatch(result), steps: labelSteps(trajectory, result) };
    },
  };
}

/** The built-in configuration: superset mode, exact arguments. */
export const trajectoryMatchDefault: Grader = trajectoryMatchGrader();

function labelSteps(trajectory: GradableTrajectory, result: TrajectoryMatch): StepLabel[] {
  const steps: StepLabel[] = [];
  const referenceNames = new Set(trajectory.reference!.calls.map((call) => call.name));
  for (const mismatch of result.mismatchedArgs) {
    if (!mismatch.eventId) continue;
    steps.push({
      eventId: mismatch.eventId,
      label: "wrong_args",
      reason: `${mismatch.name} stands for reference call ${mismatch.reference + 1} but with other arguments: ${describeArgDifferences(mismatch.differences)}`,
    });
  }
  // An extra call to a tool the reference never uses, while a reference call
  // is missing, most likely replaced it: pair them by position.
  const missing = [...result.missing];
  for (const extra of result.extra) {
    if (!extra.eventId) continue;
    const replaced = referenceNames.has(extra.name) ? undefined : nearest(missing, extra, result);
    if (replaced) {
      missing.splice(missing.indexOf(replaced), 1);
      steps.push({ eventId: extra.eventId, label: "wrong_tool", reason: `called ${extra.name}, which the reference never uses, where the reference calls ${replaced.name} (reference call ${replaced.index + 1})` });
    } else {
      steps.push({ eventId: extra.eventId, label: "extra_call", reason: `${extra.name} is not in the reference plan${referenceNames.has(extra.name) ? ` (every reference ${extra.name} call is already matched)` : ""}` });
    }
  }
  const premature = prematureAnswer(trajectory, result);
  if (premature) steps.push(premature);
  return steps.sort((a, b) => eventOrder(a.eventId) - eventOrder(b.eventId));
}

/** The missing reference call nearest in relative position to an extra call. */
function nearest(missing: readonly UnmatchedCall[], extra: UnmatchedCall, result: TrajectoryMatch): UnmatchedCall | undefined {
  let best: UnmatchedCall | undefined;
  let bestGap = Infinity;
  for (const candidate of missing) {
    const gap = Math.abs(extra.index / Math.max(1, result.counts.actual) - candidate.index / Math.max(1, result.counts.reference));
    if (gap < bestGap) {
      best = candidate;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * The answer came while the reference's last calls were never made (and no
 * call stood in for them): the model call that gave the final answer.
 */
function prematureAnswer(trajectory: GradableTrajectory, result: TrajectoryMatch): StepLabel | null {
  if (trajectory.finalAnswer === null || result.missing.length === 0) return null;
  const covered = new Set([...result.matched.map((m) => m.reference), ...result.mismatchedArgs.map((m) => m.reference)]);
  const lastCovered = Math.max(-1, ...covered);
  const tail = result.missing.filter((call) => call.index > lastCovered);
  if (tail.length === 0) return null;
  const answering = [...trajectory.events].reverse().find((event): event is LlmCallEvent => event.kind === "llm_call" && event.output.toolCalls.length === 0 && event.output.content !== "");
  if (!answering) return null;
  return {
    eventId: answering.id,
    label: "premature_answer",
    reason: `answered before making the reference's last ${tail.length} call(s): ${tail.map((call) => call.name).join(", ")}`,
  };
}

function describeMatch(result: TrajectoryMatch): string {
  const { counts } = result;
  const figures = `precision ${result.precision.toFixed(2)}, recall ${result.recall.toFixed(2)}, F1 ${result.f1.toFixed(2)}, order ${result.orderScore.toFixed(2)}`;
  const parts = [`${counts.matched}/${counts.reference} reference call(s) matched by ${counts.actual} call(s) (${figures})`];
  if (result.missing.length > 0) parts.push(`missing: ${result.missing.map((call) => `${call.name} (reference call ${call.index + 1})`).join(", ")}`);
  if (result.mismatchedArgs.length > 0) parts.push(`other arguments: ${result.mismatchedArgs.map((m) => `${m.eventId ?? `call ${m.actual + 1}`} ${m.name}`).join(", ")}`);
  if (result.extra.length > 0) parts.push(`not in the reference: ${result.extra.map((call) => `${call.eventId ?? `call ${call.index + 1}`} ${call.name}`).join(", ")}`);
  if (result.reasons.length > 0) parts.push(`fails ${result.mode} mode: ${result.reasons.join("; ")}`);
  return parts.join("; ");
}

function eventOrder(eventId: string): number {
  return Number(eventId.slice(1));
}
