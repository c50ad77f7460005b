import type { ReplayOutcome } from "../harness/index.js";

/** How many calls a reason lists by id before it only counts the rest. */
const EXAMPLES = 3;

/**
 * What `trajlab grade --replay` says about its candidate calls: how many were
 * verified skippable, refuted (the replay without them failed) or not
 * replayed, and for those, each reason with how many calls it covers and the
 * first of them (`tr-… e10`), so a run where nothing could be verified says why.
 */
export function describeReplayOutcomes(outcomes: readonly ReplayOutcome[]): string[] {
  const count = (kind: ReplayOutcome["kind"]): number => outcomes.filter((outcome) => outcome.kind === kind).length;
  const trajectories = new Set(outcomes.map((outcome) => outcome.trajectoryId)).size;
  const lines = [
    outcomes.length === 0
      ? "replay: no candidate calls (no call was labelled skippable)"
      : `replay: ${outcomes.length} candidate call(s) in ${trajectories} ${trajectories === 1 ? "trajectory" : "trajectories"}: ${count("verified")} verified skippable, ` +
        `${count("refuted")} refuted (the replay without the call failed), ${count("not_replayed")} not replayed`,
  ];
  const byReason = new Map<string, string[]>();
  for (const outcome of outcomes)
    if (outcome.kind === "not_replayed")
      byReason.set(outcome.reason, [...(byReason.get(outcome.reason) ?? []), `${outcome.trajectoryId} ${outcome.eventId}`]);
  for (const [reason, calls] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    const shown = calls.slice(0, EXAMPLES).join(", ");
    lines.push(
      `  not replayed, ${calls.length} call(s): ${reason} (${shown}${calls.length > EXAMPLES ? `, ${calls.length - EXAMPLES} more` : ""})`,
    );
  }
  return lines;
}
