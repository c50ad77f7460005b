import type { GroupBy, TraceGroup } from "./conversations.js";
import { conversationIdOf, type ReceivedTrace } from "./otel.js";
import type { FinishedTrace } from "./trace-assembler.js";

/** Finished traces, as they go to the run: a trace alone, or the turns of one conversation. */
export interface FinishedGroup extends TraceGroup<ReceivedTrace> {
  /** Position of its first trace among all traces seen, from 0. */
  readonly index: number;
}

/**
 * Finished traces gathered into conversations for `trajlab collect`. A
 * trace that names no conversation (or with `groupBy` "trace") goes on at
 * once; one that names a conversation waits with that conversation's other
 * turns until no span naming it has arrived for `idleMs` and no trace still
 * being received names it, or until {@link close}. Turns that come after
 * their conversation went on make a group of their own (what was written is
 * never changed).
 */
export class TurnGatherer {
  private readonly waiting = new Map<string, { traces: ReceivedTrace[]; index: number; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly options: {
      readonly groupBy: GroupBy;
      readonly idleMs: number;
      readonly receiving: (conversationId: string) => boolean;
    },
    private readonly onGroup: (group: FinishedGroup) => void,
  ) {}

  /** Takes a finished trace. */
  add(trace: FinishedTrace): void {
    const conversationId = this.options.groupBy === "conversation" ? conversationIdOf(trace.spans) : null;
    const turn = { traceId: trace.traceId, spans: trace.spans };
    if (conversationId === null) {
      this.onGroup({ conversationId: null, traces: [turn], index: trace.index });
      return;
    }
    const entry = this.waiting.get(conversationId) ?? { traces: [], index: trace.index, timer: null };
    entry.traces.push(turn);
    this.waiting.set(conversationId, entry);
    this.touch(conversationId);
  }

  /** A span naming the conversation arrived: its idle time starts again. */
  touch(conversationId: string): void {
    const entry = this.waiting.get(conversationId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (this.options.receiving(conversationId)) this.touch(conversationId);
      else this.release(conversationId);
    }, this.options.idleMs);
  }

  /** Conversations waiting now. */
  get size(): number {
    return this.waiting.size;
  }

  /** Lets every waiting conversation go, in the order their first traces were seen. */
  close(): void {
    for (const [id] of [...this.waiting.entries()].sort(([, a], [, b]) => a.index - b.index)) this.release(id);
  }

  private release(conversationId: string): void {
    const entry = this.waiting.get(conversationId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.waiting.delete(conversationId);
    this.onGroup({ conversationId, traces: entry.traces, index: entry.index });
  }
}
