import type { Scenario } from "../../../scenarios/index.js";
import { errorMessage } from "../../../errors/index.js";
import type { GradableTrajectory } from "../../trajectory/schema.js";
import { BUILTIN_LABELS } from "../../graders/builtin-labels.js";
import { defineGrader } from "../../graders/define.js";
import { eventOrder, notApplicable, type Grader, type StepLabel } from "../../graders/grade.js";
import { builtinGraders, gradeTrajectory } from "../../graders/registry.js";
import { skippableEventIds } from "../../metrics/labels.js";
import { replayWithout, type ReplayContext } from "./counterfactual.js";
import type { ReplayRecord } from "./replay-store.js";

/** Options of {@link replayGrader}. */
export interface ReplayGraderOptions extends ReplayContext {
  /**
   * Which calls to replay; default: those the built-in graders give a label
   * declared `skippable` (definite or candidate).
   */
  readonly candidates?: (trajectory: GradableTrajectory, scenario: Scenario | undefined) => readonly string[];
  /** Receives each replay, e.g. to keep it in the run's `replays.jsonl`. */
  readonly onReplay?: (record: ReplayRecord) => void | Promise<void>;
  /** Receives what became of each candidate call: verified, refuted, or not replayed and why. */
  readonly onOutcome?: (outcome: ReplayOutcome) => void;
  /** At most this many replays per trajectory (default 10). */
  readonly maxPerTrajectory?: number;
}

/**
 * What became of one candidate call: `verified` (the replay without it
 * passed: skippable), `refuted` (the replay failed: the call was needed), or
 * `not_replayed`, with the reason (the run's own outcome fails, the limit per
 * trajectory, a replay that diverged or could not start).
 */
export type ReplayOutcome =
  | { readonly kind: "verified" | "refuted"; readonly trajectoryId: string; readonly eventId: string; readonly replayId: string }
  | { readonly kind: "not_replayed"; readonly trajectoryId: string; readonly eventId: string; readonly reason: string };

/**
 * Counterfactual replay as a grader (`replay`, opt-in: `trajlab grade
 * --replay`): each candidate call is skipped in a replay of the run (see
 * {@link replayWithout}); a call whose replay still passes is labelled
 * `skippable` with a reason that starts "skippable (verified by replay)" and
 * the replay's id in `replay`; one whose replay fails is labelled `needed`.
 * Replays are handed to `onReplay` to be stored.
 */
export function replayGrader(options: ReplayGraderOptions): Grader {
  const limit = options.maxPerTrajectory ?? 10;
  return defineGrader({
    id: "replay",
    description: "skippable calls verified by counterfactual replay: skip the call, re-run the rest, check the outcome",
    labels: BUILTIN_LABELS.replay,
    async grade(trajectory, scenario) {
      const notReplayed = (eventIds: readonly string[], reason: string): void => {
        for (const eventId of eventIds) options.onOutcome?.({ kind: "not_replayed", trajectoryId: trajectory.id, eventId, reason });
      };
      const unverifiable = !scenario
        ? "scenario not loaded"
        : trajectory.outcome === null
          ? "the run's outcome was not recorded"
          : !trajectory.outcome.pass
            ? "the run's own outcome fails"
            : null;
      if (unverifiable !== null) {
        notReplayed((options.candidates ?? defaultCandidates)(trajectory, scenario), unverifiable);
        return notApplicable(`${unverifiable}, so skipping a call cannot be verified; nothing replayed`);
      }
      const candidates = [...(options.candidates ?? defaultCandidates)(trajectory, scenario!)];
      const chosen = candidates.slice(0, limit);
      notReplayed(candidates.slice(limit), `over the limit of ${limit} replays per trajectory`);
      const steps: StepLabel[] = [];
      const problems: string[] = [];
      for (const eventId of chosen) {
        try {
          const record = await replayWithout(trajectory, scenario!, eventId, options);
          await options.onReplay?.(record);
          const verified = record.verdict === "skippable";
          options.onOutcome?.({ kind: verified ? "verified" : "refuted", trajectoryId: trajectory.id, eventId, replayId: record.replayId });
          steps.push({
            eventId,
            label: verified ? "skippable" : "needed",
            reason: `${verified ? "skippable (verified by replay)" : "needed (shown by replay)"}: ${record.reason}; replay ${record.replayId} in replays.jsonl`,
            replay: record.replayId,
          });
        } catch (error) {
          notReplayed([eventId], errorMessage(error));
          problems.push(`${eventId}: ${errorMessage(error)}`);
        }
      }
      const verified = steps.filter((step) => step.label === "skippable").length;
      const parts = [
        candidates.length === 0 ? "no candidate calls to replay" : `${verified} of ${steps.length} replayed call(s) verified skippable`,
      ];
      if (candidates.length > chosen.length)
        parts.push(`${candidates.length - chosen.length} more candidate(s) not replayed (limit ${limit})`);
      if (problems.length > 0) parts.push(`not replayed: ${problems.join("; ")}`);
      const calls = trajectory.events.filter((event) => event.kind === "tool_call").length;
      return { score: calls === 0 ? 1 : 1 - verified / calls, pass: verified === 0, comment: parts.join("; "), steps };
    },
  });
}

/**
 * Calls that synchronous graders (default: the built-in ones) give a label
 * declared `skippable`, definite or candidate, in event order.
 */
export function defaultCandidates(
  trajectory: GradableTrajectory,
  scenario: Scenario | undefined,
  graders: readonly Grader[] = builtinGraders,
): string[] {
  const calls = new Set(trajectory.events.filter((event) => event.kind === "tool_call").map((event) => event.id));
  const grades = gradeTrajectory(trajectory, scenario, graders);
  return [...skippableEventIds(grades, "any")].filter((id) => calls.has(id)).sort((a, b) => eventOrder(a) - eventOrder(b));
}
