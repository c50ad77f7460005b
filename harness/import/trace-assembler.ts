import { loggedEventsOf, withLoggedEvents, type LoggedEvent } from "./otel-events.js";
import { spansOf, type OtelSpan } from "./otlp.js";

/** A trace the assembler let go of: its spans in the order they arrived. */
export interface FinishedTrace {
  readonly traceId: string;
  readonly spans: readonly OtelSpan[];
  /** Position of the trace among all traces seen, by its first span's arrival, from 0. */
  readonly index: number;
  /** Why it was let go: its root span arrived (and nothing more came for a moment), or nothing came for a long time. */
  readonly reason: "root" | "idle";
}

/** When a trace counts as finished. */
export interface AssemblyTimes {
  /** After a trace's root span (one with no parent) arrives, how long to wait for its stragglers. */
  readonly settleMs: number;
  /** A trace with no root span yet (its root is in another service, or never ended) is let go after this long without new spans. */
  readonly idleMs: number;
}

interface Pending {
  readonly traceId: string;
  readonly index: number;
  readonly spans: OtelSpan[];
  /** GenAI events logged for the trace (`/v1/logs`), added to its spans when it is let go. */
  readonly logged: LoggedEvent[];
  rooted: boolean;
  timer: NodeJS.Timeout | null;
}

/**
 * Spans from OTLP export requests, gathered into traces. Exporters send a
 * trace's spans as they end, in batches, and OTLP never says "this trace is
 * done"; a span with no parent ends last in the code that made it, so a
 * trace is finished {@link AssemblyTimes.settleMs} after its root arrived
 * with nothing new since, or {@link AssemblyTimes.idleMs} after its last
 * span when no root came. Spans of a trace already let go are counted as
 * late, not added (what was written is never changed).
 */
export class TraceAssembler {
  private readonly pending = new Map<string, Pending>();
  private readonly finished = new Set<string>();
  private traces = 0;
  private received = 0;
  private lateSpans = 0;
  private lateEvents = 0;

  constructor(
    private readonly times: AssemblyTimes,
    private readonly onFinished: (trace: FinishedTrace) => void,
  ) {}

  /** Takes one ExportTraceServiceRequest (OTLP/JSON shape); returns its spans, and how many came late. */
  add(request: { resourceSpans: unknown[] }): { spans: readonly OtelSpan[]; late: number } {
    const spans = spansOf(request, this.received);
    this.received += spans.length;
    let late = 0;
    const touched = new Set<Pending>();
    for (const span of spans) {
      if (this.finished.has(span.traceId)) {
        late += 1;
        continue;
      }
      const trace = this.pendingTrace(span.traceId);
      trace.spans.push(span);
      if (span.parentSpanId === null) trace.rooted = true;
      touched.add(trace);
    }
    for (const trace of touched) this.arm(trace);
    this.lateSpans += late;
    return { spans, late };
  }

  /** The trace still being gathered under `traceId`, begun (numbered in arrival order) when this is its first span or record. */
  private pendingTrace(traceId: string): Pending {
    let trace = this.pending.get(traceId);
    if (!trace) {
      trace = { traceId, index: this.traces++, spans: [], logged: [], rooted: false, timer: null };
      this.pending.set(traceId, trace);
    }
    return trace;
  }

  /**
   * Takes one ExportLogsServiceRequest: its records that name a trace join
   * that trace (one still to come waits for its spans); those of a trace
   * already let go are counted as late. Returns how many came late.
   */
  addLogs(request: { resourceLogs: unknown[] }): { late: number } {
    let late = 0;
    const touched = new Set<Pending>();
    for (const logged of loggedEventsOf(request)) {
      if (this.finished.has(logged.traceId)) {
        late += 1;
        continue;
      }
      const trace = this.pendingTrace(logged.traceId);
      trace.logged.push(logged);
      touched.add(trace);
    }
    // A trace with no spans yet has nothing to wait for.
    for (const trace of touched) if (trace.spans.length > 0) this.arm(trace);
    this.lateEvents += late;
    return { late };
  }

  /** Counts so far: traces seen, spans received, spans that came after their trace was let go. */
  counts(): { traces: number; spans: number; lateSpans: number; lateEvents: number; pending: number } {
    return {
      traces: this.traces,
      spans: this.received,
      lateSpans: this.lateSpans,
      lateEvents: this.lateEvents,
      pending: this.pending.size,
    };
  }

  /** True when a trace still being received has a span for which `test` holds. */
  receiving(test: (spans: readonly OtelSpan[]) => boolean): boolean {
    for (const trace of this.pending.values()) if (test(trace.spans)) return true;
    return false;
  }

  /**
   * Stops waiting: traces whose root arrived are finished now, in the order
   * they were first seen; those still without a root are returned as
   * unfinished (their spans were never let go).
   */
  close(): { unfinished: Array<{ traceId: string; spans: number }> } {
    const unfinished: Array<{ traceId: string; spans: number }> = [];
    for (const trace of [...this.pending.values()].sort((a, b) => a.index - b.index)) {
      if (trace.timer) clearTimeout(trace.timer);
      if (trace.rooted) this.finish(trace, "root");
      else if (trace.spans.length === 0) continue;
      else unfinished.push({ traceId: trace.traceId, spans: trace.spans.length });
    }
    this.pending.clear();
    return { unfinished };
  }

  private arm(trace: Pending): void {
    if (trace.timer) clearTimeout(trace.timer);
    const reason = trace.rooted ? "root" : "idle";
    trace.timer = setTimeout(() => this.finish(trace, reason), trace.rooted ? this.times.settleMs : this.times.idleMs);
  }

  private finish(trace: Pending, reason: FinishedTrace["reason"]): void {
    if (trace.timer) clearTimeout(trace.timer);
    this.pending.delete(trace.traceId);
    this.finished.add(trace.traceId);
    this.onFinished({ traceId: trace.traceId, spans: withLoggedEvents(trace.spans, trace.logged), index: trace.index, reason });
  }
}
