import type { GradableTrajectory, Grade, ToolCallEvent, TrajectoryEvent } from "../harness/core.js";
import { isToolCall } from "../harness/core.js";
import { certaintyOf, labelMeaning } from "./label-meaning.js";
import { verdictForStepKind, type StepKind } from "./record.js";
import { mergeSuggestions, type GraderSuggestion, type StepSuggestion } from "./suggestions.js";

export type { GraderSuggestion } from "./suggestions.js";

/**
 * True for a step that failed: a tool call that returned an error, a model
 * call that errored, an error event. Takes a validated event or one read raw
 * from a trajectory's JSON (the queue counts failures without validating).
 */
export function isFailure(event: unknown): boolean {
  if (typeof event !== "object" || event === null) return false;
  const { kind, status, error } = event as { kind?: unknown; status?: unknown; error?: unknown };
  return kind === "error" || (kind === "tool_call" && status === "error") || (kind === "llm_call" && error !== null && error !== undefined);
}

/** One line of a trajectory's timeline. */
export interface TimelineStep {
  /** Position in the timeline. */
  readonly index: number;
  readonly event: TrajectoryEvent;
  /** How far the step's agent is from the agent that started the run (0 for single agents). */
  readonly depth: number;
  /** What kind of verdict the step takes; null for context (system and user messages, graph steps). */
  readonly kind: StepKind | null;
  /**
   * Tool calls and handoffs: every one is judged, and "3/5 graded" counts
   * them. A model's messages can be judged too, when there is something to
   * say about them, but are not asked for.
   */
  readonly gradable: boolean;
  /** Graders' labels on this step, definite ones first. */
  readonly suggestions: readonly GraderSuggestion[];
  /** The graders' labels merged into the one decision the reviewer makes on the step. */
  readonly suggestion: StepSuggestion | undefined;
}

/** The id under which the review itself suggests a handoff whose receiving agent did only flagged work. */
export const FLAGGED_WORK = "review.flagged-work";

/**
 * The steps a reviewer walks through: every event except graph-node markers,
 * in order, with each agent's depth in the handoff tree and the graders'
 * suggestions attached. A handoff whose receiving agent made calls that were
 * all flagged carries a suggestion of its own: the handoff was unnecessary.
 */
export function timelineOf(trajectory: GradableTrajectory, grades: readonly Grade[]): TimelineStep[] {
  const labelled = new Map<string, { grade: Grade; step: Grade["steps"][number] }[]>();
  for (const grade of grades) {
    for (const step of grade.steps) labelled.set(step.eventId, [...(labelled.get(step.eventId) ?? []), { grade, step }]);
  }
  const depths = agentDepths(trajectory.events);
  const steps: TimelineStep[] = [];
  for (const event of trajectory.events) {
    if (event.kind === "node") continue;
    const labels = labelled.get(event.id) ?? [];
    const kind = stepKindOf(event, labels.length > 0);
    const suggestions = labels.map(({ grade, step }): GraderSuggestion => {
      const meaning = labelMeaning(grade, step.label);
      return {
        eventId: step.eventId,
        grader: grade.grader,
        label: step.label,
        reason: step.reason,
        ...(step.related?.length ? { related: step.related } : {}),
        flagged: meaning.flagged,
        verdict: kind && meaning.verdict ? verdictForStepKind(kind, meaning.verdict) : null,
        certainty: certaintyOf(step),
      };
    });
    suggestions.sort(bySureness);
    steps.push({
      index: steps.length,
      event,
      depth: depths.get(event.agent) ?? 0,
      kind,
      gradable: kind === "call" || kind === "handoff",
      suggestions,
      suggestion: mergeSuggestions(suggestions),
    });
  }
  return withFlaggedWork(steps);
}

/**
 * The kind of verdict an event takes: tool calls and handoffs by tool; what
 * a model said, when it said something (or a grader labelled the call), and
 * assistant messages; nothing else.
 */
export function stepKindOf(event: TrajectoryEvent, labelled = false): StepKind | null {
  switch (event.kind) {
    case "tool_call":
      return "call";
    case "handoff":
      return event.via === "tool" ? "handoff" : null;
    case "llm_call":
      return event.output.content.trim() !== "" || labelled ? "message" : null;
    case "message":
      return event.role === "assistant" ? "message" : null;
    default:
      return null;
  }
}

/**
 * Labels that stand for a verdict (skippable, wrong tool...) come before the
 * rest (an extra call, a missing one), and a grader's definite labels before
 * its candidates.
 */
function bySureness(a: GraderSuggestion, b: GraderSuggestion): number {
  const rank = (label: GraderSuggestion): number => (label.certainty === "candidate" ? 2 : 0) + (label.verdict === null ? 1 : 0);
  return rank(a) - rank(b);
}

/** Adds the flagged-work suggestion to each handoff whose receiving agent's calls were all flagged. */
function withFlaggedWork(steps: TimelineStep[]): TimelineStep[] {
  return steps.map((step) => {
    const { event } = step;
    if (event.kind !== "handoff" || step.kind !== "handoff") return step;
    const work: TimelineStep[] = [];
    for (const later of steps.slice(step.index + 1)) {
      // The receiving agent's turn ends when it hands control on or back.
      if (later.event.kind === "handoff" && later.event.from === event.to) break;
      if (later.event.agent === event.to && later.kind === "call") work.push(later);
    }
    if (work.length === 0 || !work.every((call) => call.suggestion?.flagged)) return step;
    const listed = work.map((call) => `${call.event.id} (${call.suggestions.map((s) => s.label).join(", ")})`).join(", ");
    const derived: GraderSuggestion = {
      eventId: event.id,
      grader: FLAGGED_WORK,
      label: "unnecessary_handoff",
      reason: `every call ${event.to} made after this handoff was flagged: ${listed}`,
      related: work.map((call) => call.event.id),
      // The review's own inference, not a grader's flag: the queue counts only what graders flagged.
      flagged: false,
      verdict: "unnecessary_handoff",
      certainty: "definite",
    };
    const suggestions = [...step.suggestions, derived].sort(bySureness);
    return { ...step, suggestions, suggestion: mergeSuggestions(suggestions) };
  });
}

/** True for the events every one of which a reviewer judges: tool calls and handoffs. */
export function isGradable(event: TrajectoryEvent): boolean {
  const kind = stepKindOf(event);
  return kind === "call" || kind === "handoff";
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
