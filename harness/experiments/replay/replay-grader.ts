import type { Scenario } from "../../../scenarios/index.js";
import { errorMessage } from "../../../errors/index.js";
import type { GradableTrajectory } from "../../trajectory/schema.js";
import { BUILTIN_LABELS } from "../../graders/builtin-labels.js";
import { defineGrader } from "../../graders/define.js";
import { eventOrder, type Grader, type StepLabel } from "../../graders/grade.js";
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
  readonly candidates?: (trajectory: GradableTrajectory, scenario: Scenario) => readonly string[];
  /** Receives each replay, e.g. to keep it in the run's `replays.jsonl`. */
  readonly onReplay?: (record: ReplayRecord) => void | Promise<void>;
  /** At most this many replays per trajectory (default 10). */
  readonly maxPerTrajectory?: number;
}

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
      if (!scenario) return { score: 1, pass: true, comment: "scenario not loaded; nothing replayed", steps: [] };
      if (trajectory.outcome === null)
        return { score: 1, pass: true, comment: "the run's outcome was not recorded, so skipping a call cannot be verified", steps: [] };
      if (!trajectory.outcome.pass)
        return {
          score: 1,
          pass: true,
          comment: "the run's own outcome fails, so skipping a call cannot be verified against it",
          steps: [],
        };
      const candidates = [...(options.candidates ?? defaultCandidates)(trajectory, scenario)];
      const chosen = candidates.slice(0, limit);
      const steps: StepLabel[] = [];
      const problems: string[] = [];
      for (const eventId of chosen) {
        try {
          const record = await replayWithout(trajectory, scenario, eventId, options);
          await options.onReplay?.(record);
          steps.push({
            eventId,
            label: record.verdict === "skippable" ? "skippable" : "needed",
            reason: `${record.verdict === "skippable" ? "skippable (verified by replay)" : "needed (shown by replay)"}: ${record.reason}; replay ${record.replayId} in replays.jsonl`,
            replay: record.replayId,
          });
        } catch (error) {
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
  scenario: Scenario,
  graders: readonly Grader[] = builtinGraders,
): string[] {
  const calls = new Set(trajectory.events.filter((event) => event.kind === "tool_call").map((event) => event.id));
  const grades = gradeTrajectory(trajectory, scenario, graders);
  return [...skippableEventIds(grades, "any")].filter((id) => calls.has(id)).sort((a, b) => eventOrder(a) - eventOrder(b));
}
