/**
 * Turns of one conversation, gathered. Apps traced with OpenTelemetry or
 * LangSmith write one trace per user turn; the traces that name the same
 * conversation (GenAI `gen_ai.conversation.id`, OpenInference `session.id`,
 * LangSmith's `thread_id` / `session_id` / `conversation_id` metadata) are
 * one conversation, and so one trajectory.
 */

/** How an import makes trajectories of traces: one per conversation (the default), or one per trace. */
export type GroupBy = "conversation" | "trace";

/** A trace as grouping sees it. */
export interface TraceTurn<T> {
  readonly trace: T;
  /** The conversation it belongs to; null when it names none. */
  readonly conversationId: string | null;
  /** When it started (any unit, compared only with others); null when unknown. */
  readonly start: number | bigint | null;
}

/** A group of traces: one conversation's turns in order, or a single trace. */
export interface TraceGroup<T> {
  /** Null for a trace that is a group of its own. */
  readonly conversationId: string | null;
  readonly traces: T[];
}

/**
 * Traces in groups, in the order each group's first trace appears. With
 * `conversation`, traces naming the same conversation are one group, turns
 * ordered by start time (position among the traces breaks ties, and orders
 * turns whose times are unknown); traces naming none stay on their own.
 */
export function groupTraces<T>(turns: ReadonlyArray<TraceTurn<T>>, groupBy: GroupBy): Array<TraceGroup<T>> {
  const groups: Array<{ conversationId: string | null; turns: Array<TraceTurn<T> & { position: number }> }> = [];
  const byConversation = new Map<string, (typeof groups)[number]>();
  turns.forEach((turn, position) => {
    const id = groupBy === "conversation" ? turn.conversationId : null;
    const found = id === null ? undefined : byConversation.get(id);
    if (found) {
      found.turns.push({ ...turn, position });
      return;
    }
    const group = { conversationId: id, turns: [{ ...turn, position }] };
    groups.push(group);
    if (id !== null) byConversation.set(id, group);
  });
  return groups.map(({ conversationId, turns: list }) => ({
    conversationId,
    traces: [...list].sort(inTurnOrder).map((turn) => turn.trace),
  }));
}

/** Turns by start time; position when either time is unknown or they tie. */
export function inTurnOrder(
  a: { start: number | bigint | null; position: number },
  b: { start: number | bigint | null; position: number },
): number {
  if (a.start !== null && b.start !== null && a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.position - b.position;
}
