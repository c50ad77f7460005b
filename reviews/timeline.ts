import type { GradableTrajectory, Grade, ToolCallEvent, TrajectoryEvent } from "../harness/core.js";
import { isToolCall } from "../harness/core.js";
import { certaintyOf, labelMeaning } from "./label-meaning.js";
import { mergeSuggestions, type GraderSuggestion, type StepSuggestion } from "./suggestions.js";

export type { GraderSuggestion } from "./suggestions.js";

/** One line of a trajectory's timeline. */
export interface TimelineStep {
  /** Position in the timeline. */
  readonly index: number;
  readonly event: TrajectoryEvent;
  /** How far the step's agent is from the agent that started the run (0 for single agents). */
  readonly depth: number;
  /** Tool calls and handoff calls take a verdict; messages and model calls are context. */
  readonly gradable: boolean;
  /** Graders' labels on this step, definite ones first. */
  readonly suggestions: readonly GraderSuggestion[];
  /** The graders' labels merged into the one decision the reviewer makes on the step. */
  readonly suggestion: StepSuggestion | undefined;
}

/**
 * The steps a reviewer walks through: every event except graph-node markers,
 * in order, with each agent's depth in the handoff tree and the graders'
 * suggestions attached.
 */
export function timelineOf(trajectory: GradableTrajectory, grades: readonly Grade[]): TimelineStep[] {
  const suggestions = new Map<string, GraderSuggestion[]>();
  for (const grade of grades) {
    for (const step of grade.steps) {
      const list = suggestions.get(step.eventId) ?? [];
      list.push({
        eventId: step.eventId,
        grader: grade.grader,
        label: step.label,
        reason: step.reason,
        ...(step.related?.length ? { related: step.related } : {}),
        ...labelMeaning(grade, step.label),
        certainty: certaintyOf(step),
      });
      suggestions.set(step.eventId, list);
    }
  }
  // Labels that stand for a verdict (skippable, wrong tool...) come before the rest (an extra
  // call, a missing one), and a grader's definite labels before its candidates.
  const rank = (label: GraderSuggestion): number => (label.certainty === "candidate" ? 2 : 0) + (label.verdict === null ? 1 : 0);
  for (const list of suggestions.values()) list.sort((a, b) => rank(a) - rank(b));
  const depths = agentDepths(trajectory.events);
  const steps: TimelineStep[] = [];
  for (const event of trajectory.events) {
    if (event.kind === "node") continue;
    steps.push({
      index: steps.length,
      event,
      depth: depths.get(event.agent) ?? 0,
      gradable: isGradable(event),
      suggestions: suggestions.get(event.id) ?? [],
      suggestion: mergeSuggestions(suggestions.get(event.id) ?? []),
    });
  }
  return steps;
}

/** True for the events a reviewer gives a verdict on. */
export function isGradable(event: TrajectoryEvent): boolean {
  return event.kind === "tool_call" || (event.kind === "handoff" && event.via === "tool");
}

/** The tool calls of a trajectory, in order (what the reference plan is compared with). */
export function toolCallsOf(trajectory: GradableTrajectory): ToolCallEvent[] {
  return trajectory.events.filter(isToolCall);
}

/**
 * Depth of each agent: the agent of the first event is 0; an agent handed
 * control by another is one deeper than it. Agents reached no other way are 1.
 */
export function agentDepths(events: readonly TrajectoryEvent[]): Map<string, number> {
  const depths = new Map<string, number>();
  const first = events.find((event) => event.kind !== "node") ?? events[0];
  if (!first) return depths;
  depths.set(first.agent, 0);
  for (const event of events) {
    if (event.kind === "handoff" && event.via === "tool" && !depths.has(event.to)) {
      depths.set(event.to, (depths.get(event.from) ?? 0) + 1);
    }
  }
  for (const event of events) if (!depths.has(event.agent)) depths.set(event.agent, 1);
  return depths;
}
