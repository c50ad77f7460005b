import type { GradableTrajectory, TrajectoryEvent } from "../../trajectory/schema.js";
import { oneLineClip } from "../../util/one-line.js";

/** How much of a long text a judge sees. */
const MAX_TEXT = 400;

/**
 * A trajectory as plain lines a language model can read, each step with its
 * event id so a judge can refer to it. System prompts and graph bookkeeping
 * (node events) are left out.
 */
export function renderTranscript(trajectory: GradableTrajectory): string {
  const lines: string[] = [];
  for (const event of trajectory.events) {
    const line = renderEvent(event, trajectory);
    if (line) lines.push(line);
  }
  return lines.join("\n");
}

/** The steps a judge rates: tool calls and handoffs. */
export function judgedSteps(trajectory: GradableTrajectory): Array<{ eventId: string; line: string }> {
  return trajectory.events
    .filter((event) => event.kind === "tool_call" || event.kind === "handoff")
    .map((event) => ({ eventId: event.id, line: renderEvent(event, trajectory)! }));
}

/** The reference plan, one call a line (or a note that there is none). */
export function renderReference(trajectory: GradableTrajectory): string {
  if (!trajectory.reference || trajectory.reference.calls.length === 0) return "(no reference plan)";
  return trajectory.reference.calls
    .map((call, index) => `${index + 1}. ${call.name} ${oneLineClip(JSON.stringify(call.args), MAX_TEXT)}`)
    .join("\n");
}

function renderEvent(event: TrajectoryEvent, trajectory: GradableTrajectory): string | null {
  const who = event.agent === trajectory.agent || trajectory.events.every((e) => e.kind !== "handoff") ? "" : ` (${event.agent})`;
  switch (event.kind) {
    case "message":
      if (event.role === "system") return null;
      if (event.role === "user") return `[${event.id}] user: ${oneLineClip(event.content, MAX_TEXT)}`;
      return event.role === "assistant" ? `[${event.id}] assistant${who}: ${oneLineClip(event.content, MAX_TEXT)}` : null;
    case "llm_call":
      return event.output.content ? `[${event.id}] assistant${who}: ${oneLineClip(event.output.content, MAX_TEXT)}` : null;
    case "tool_call": {
      const outcome =
        event.status === "ok"
          ? oneLineClip(event.resultText, MAX_TEXT)
          : `ERROR ${oneLineClip(event.error?.message ?? event.resultText, MAX_TEXT)}`;
      return `[${event.id}] tool call${who}: ${event.name} ${oneLineClip(JSON.stringify(event.args), MAX_TEXT)} -> ${outcome}`;
    }
    case "handoff":
      return `[${event.id}] handoff: ${event.from} -> ${event.to}${event.via === "return" ? " (control returned)" : ""}`;
    case "error":
      return `[${event.id}] run stopped: ${oneLineClip(event.message, MAX_TEXT)}`;
    default:
      return null;
  }
}
