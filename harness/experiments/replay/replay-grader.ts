import type { Scenario } from "../../../scenarios/index.js";
import { errorMessage } from "../../../errors/index.js";
import type { GradableTrajectory } from "../../trajectory/schema.js";
import { eventOrder, type Grader, type StepLabel } from "../../graders/grade.js";
import { repeatedCallsGrader } from "../../graders/repeated-calls.js";
import { undoneWritesGrader } from "../../graders/undone-writes.js";
import { unusedResultsGrader } from "../../graders/unused-results.js";
import { replayWithout, type ReplayContext } from "./counterfactual.js";
import type { ReplayRecord } from "./replay-store.js";

/** Labels whose calls are worth verifying by replay. */
const CANDIDATE_LABELS: ReadonlySet<string> = new Set(["skippable", "unused_result", "undone_write", "noop_write"]);

/** Options of {@link replayGrader}. */
export interface ReplayGraderOptions extends ReplayContext {
  /**
   * Which calls to replay; default: those the repeated-calls, unused-results
   * and undone-writes graders label as skippable.
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
  return {
    id: "replay",
    description: "skippable calls verified by counterfactual replay: skip the call, re-run the rest, check the outcome",
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
  };
}

/** Calls the pure graders label as skippable, in event order. */
export function defaultCandidates(trajectory: GradableTrajectory, scenario: Scenario): string[] {
  const ids = new Set<string>();
  for (const grader of [repeatedCallsGrader, unusedResultsGrader, undoneWritesGrader]) {
    const result = grader.grade(trajectory, scenario);
    if (result instanceof Promise) continue;
    for (const step of result.steps) if (CANDIDATE_LABELS.has(step.label)) ids.add(step.eventId);
  }
  return [...ids].sort((a, b) => eventOrder(a) - eventOrder(b));
}
