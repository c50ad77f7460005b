import type { GradableTrajectory, TrajectoryEvent } from "../../trajectory/schema.js";

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
  return trajectory.reference.calls.map((call, index) => `${index + 1}. ${call.name} ${clip(JSON.stringify(call.args))}`).join("\n");
}

function renderEvent(event: TrajectoryEvent, trajectory: GradableTrajectory): string | null {
  const who = event.agent === trajectory.agent || trajectory.events.every((e) => e.kind !== "handoff") ? "" : ` (${event.agent})`;
  switch (event.kind) {
    case "message":
      if (event.role === "system") return null;
      if (event.role === "user") return `[${event.id}] user: ${clip(event.content)}`;
      return event.role === "assistant" ? `[${event.id}] assistant${who}: ${clip(event.content)}` : null;
    case "llm_call":
      return event.output.content ? `[${event.id}] assistant${who}: ${clip(event.output.content)}` : null;
    case "tool_call": {
      const outcome = event.status === "ok" ? clip(event.resultText) : `ERROR ${clip(event.error?.message ?? event.resultText)}`;
      return `[${event.id}] tool call${who}: ${event.name} ${clip(JSON.stringify(event.args))} -> ${outcome}`;
    }
    case "handoff":
      return `[${event.id}] handoff: ${event.from} -> ${event.to}${event.via === "return" ? " (control returned)" : ""}`;
    case "error":
      return `[${event.id}] run stopped: ${clip(event.message)}`;
    default:
      return null;
  }
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 3)}...` : flat;
}
