import type { Summary } from "../metrics/summary.js";
import { LiveRun, type LiveRunTarget, type TraceOutcome } from "./live-run.js";
import { startOtlpReceiver, type ReceiverAddress } from "./otlp-receiver.js";
import { conversationIdOf } from "./otel.js";
import { TraceAssembler, type AssemblyTimes } from "./trace-assembler.js";
import { TurnGatherer } from "./turn-gatherer.js";

/** What a collection reports as it goes. */
export interface CollectEvents {
  /** A finished trace was written as a trajectory, was already in the run, or could not be read. */
  onTrace(outcome: TraceOutcome): void;
  /** Spans arrived for a trace already written; they are kept in the received file only. */
  onLateSpans?(count: number): void;
  /** GenAI events (log records) arrived for a trace already written; they are kept in the received file only. */
  onLateEvents?(count: number): void;
}

/** A collection in progress. */
export interface Collection {
  readonly url: string;
  readonly run: LiveRun;
  /**
   * Stops listening (requests being received are answered first), writes
   * the traces whose root span arrived, and closes the run. Traces with no
   * root yet are left in the received file, and counted.
   */
  stop(): Promise<CollectionClosed>;
}

/** How a collection ended. */
export interface CollectionClosed {
  readonly summary: Summary;
  readonly added: number;
  readonly requests: number;
  readonly spans: number;
  readonly traces: number;
  readonly lateSpans: number;
  /** GenAI events (log records) that came after their trace was written. */
  readonly lateEvents: number;
  readonly unfinished: ReadonlyArray<{ traceId: string; spans: number }>;
}

/**
 * Live capture: an OTLP/HTTP receiver whose traces become trajectories of a
 * run as they finish (see {@link TraceAssembler} for when that is, and
 * {@link LiveRun} for how they are written).
 */
export async function startCollecting(
  target: LiveRunTarget,
  address: ReceiverAddress,
  times: AssemblyTimes,
  events: CollectEvents,
): Promise<Collection> {
  // Listening comes first: a port that is taken fails before any run is made, so no empty run is left behind.
  let open: (run: LiveRun) => void = () => undefined;
  let failOpen: (error: unknown) => void = () => undefined;
  const opening = new Promise<LiveRun>((done, fail) => ((open = done), (failOpen = fail)));
  opening.catch(() => undefined);
  const written: Array<Promise<unknown>> = [];
  const gatherer = new TurnGatherer(
    {
      groupBy: target.groupBy ?? "conversation",
      idleMs: times.idleMs,
      receiving: (id) => assembler.receiving((spans) => conversationIdOf(spans) === id),
    },
    (group) => written.push(opening.then((run) => run.add(group)).then(events.onTrace)),
  );
  const assembler = new TraceAssembler(times, (trace) => gatherer.add(trace));
  const receiver = await startOtlpReceiver(address, async (request) => {
    // A request that comes while the run is being opened waits for it.
    const run = await opening;
    // Kept before it is taken and acknowledged: a 200 means the spans are on disk, and a failed write is retried whole.
    await run.keep(request);
    if ("resourceLogs" in request) {
      const { late } = assembler.addLogs(request);
      run.count(assembler.counts());
      if (late > 0) events.onLateEvents?.(late);
      return;
    }
    const { spans, late } = assembler.add(request);
    // A conversation is idle only while no span of it comes.
    for (const id of new Set(spans.map((span) => conversationIdOf([span])))) if (id !== null) gatherer.touch(id);
    run.count(assembler.counts());
    if (late > 0) events.onLateSpans?.(late);
  });
  let run: LiveRun;
  try {
    run = await LiveRun.open(target);
  } catch (error) {
    failOpen(error);
    await receiver.close();
    throw error;
  }
  open(run);
  try {
    await run.listening(`${receiver.url}/v1/traces`);
  } catch (error) {
    await receiver.close();
    await run.close(0);
    throw error;
  }
  const listening = receiver;
  return {
    url: listening.url,
    run,
    async stop() {
      await listening.close();
      const { unfinished } = assembler.close();
      gatherer.close();
      await Promise.all(written);
      const counts = assembler.counts();
      run.count(counts);
      const { summary, added, requests } = await run.close(unfinished.length);
      const { traces, spans, lateSpans, lateEvents } = counts;
      return { summary, added, requests, traces, spans, lateSpans, lateEvents, unfinished };
    },
  };
}
