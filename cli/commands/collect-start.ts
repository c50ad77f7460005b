/**
 * What `trajlab collect` does once its options are read. Kept apart from the
 * command's registration (collect.ts) so that `trajlab collect --help` loads none of it.
 */
import { readEffectsFile, startCollecting, type CollectionClosed, type TraceOutcome } from "../../harness/index.js";
import { flaggedEventIds, jsonForTerminal, newRunId, runsDirectory, sanitizeForDisplay } from "../../harness/core.js";
import { loadCatalog } from "../catalog.js";
import { formatNumber } from "../format.js";
import { printNote, printText } from "../output.js";
import { countsOf, type ImportOptions } from "./import-start.js";
import { renderSummary } from "../summary-table.js";

/** The options of `trajlab collect`: those of `trajlab import`, and the receiver's own. */
export interface CollectOptions extends ImportOptions {
  port: number;
  host: string;
  settle: number;
  idle: number;
  maxTraces?: number;
}

/** Runs `trajlab collect` with its options. */
export async function collectCommand(options: CollectOptions): Promise<void> {
  const runsDir = runsDirectory(options.runsDir);
  const effects = options.effects ? await readEffectsFile(options.effects) : undefined;
  const runId = options.runId ?? newRunId();
  const given = { domain: options.domain, model: options.model, agent: options.agent };
  const catalog = await loadCatalog();
  const groupBy = options.groupBy;
  const stop = stopSignal();
  let written = 0;
  const collection = await startCollecting(
    {
      runsDir,
      runId,
      ...given,
      groupBy,
      effects,
      command: process.argv.slice(2),
      options: Object.fromEntries(
        Object.entries({ ...given, effects: options.effects, groupBy }).filter(([, value]) => value !== undefined),
      ),
      graders: catalog.graders,
      scenarios: catalog.scenarios,
    },
    { host: options.host, port: options.port },
    { settleMs: options.settle, idleMs: options.idle },
    {
      onTrace: (outcome) => {
        if (options.json) printJsonLine(traceJson(outcome));
        else printText(`${traceLine(outcome)}\n`);
        if (outcome.kind === "added" && options.maxTraces !== undefined && ++written >= options.maxTraces) stop.now();
      },
      onLateSpans: (count) => {
        if (!options.json) printNote(`${count} span(s) arrived after their trace was written; they are kept in the received file only`);
      },
      onLateEvents: (count) => {
        if (!options.json)
          printNote(`${count} GenAI event(s) arrived after their trace was written; they are kept in the received file only`);
      },
    },
  );
  const run = collection.run.run;
  const endpoint = `${collection.url}/v1/traces`;
  if (options.json) printJsonLine({ event: "listening", url: endpoint, runId: run.id, runDir: run.path });
  else {
    printText(
      [
        `collecting traces into run ${run.id} (${run.path})`,
        `OTLP/HTTP receiver: ${endpoint} (protobuf or JSON)`,
        `point an app at it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${endpoint}`,
        "press Ctrl-C to close the run",
        "",
      ].join("\n"),
    );
  }
  await stop.done;
  const closed = await collection.stop();
  if (options.json) {
    printJsonLine({ event: "closed", ...closed.summary, runDir: run.path, ...countsOfClose(closed) });
    return;
  }
  printText(`${closedReport(closed, run.id, run.path)}\n`);
}

/** One JSON object on one line (JSON Lines), with the characters a terminal could act on escaped. */
function printJsonLine(value: unknown): void {
  process.stdout.write(`${jsonForTerminal(value, 0)}\n`);
}

/**
 * When to close: on the first Ctrl-C (or SIGTERM), or when `now()` is
 * called; a second signal stops the process at once (every trajectory
 * written is whole).
 */
function stopSignal(): { done: Promise<void>; now(): void } {
  let stopping = false;
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((settle) => (resolve = settle));
  const onSignal = (): void => {
    if (stopping) process.exit(130);
    printNote("closing: writing the traces that are complete (Ctrl-C again to stop at once)");
    now();
  };
  const now = (): void => {
    stopping = true;
    resolve();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return { done, now };
}

function traceLine(outcome: TraceOutcome): string {
  if (outcome.kind === "failed") return `! trace ${outcome.traceId} could not be read: ${outcome.message}`;
  if (outcome.kind === "already-there") return `= ${outcome.id} is already in the run`;
  const { trajectory, grades } = outcome;
  const counts = countsOf([trajectory]);
  const flagged = flaggedEventIds([...grades]).size;
  return `+ ${trajectory.id} ${sanitizeForDisplay(trajectory.scenarioId)}: ${formatNumber(counts.llmCalls)} model calls, ${formatNumber(counts.toolCalls)} tool calls (${formatNumber(counts.failedCalls)} failed), agents: ${counts.agents.join(", ")}${flagged > 0 ? `; ${flagged} step(s) flagged` : ""}`;
}

function traceJson(outcome: TraceOutcome): Record<string, unknown> {
  if (outcome.kind !== "added") return { event: "trace", ...outcome };
  const { trajectory, grades } = outcome;
  const counts = countsOf([trajectory]);
  return {
    event: "trajectory",
    id: trajectory.id,
    traceId: trajectory.provenance?.originalId ?? null,
    scenarioId: trajectory.scenarioId,
    llmCalls: counts.llmCalls,
    toolCalls: counts.toolCalls,
    failedCalls: counts.failedCalls,
    handoffs: counts.handoffs,
    agents: counts.agents,
    flagged: flaggedEventIds([...grades]).size,
  };
}

function countsOfClose(closed: CollectionClosed): Record<string, unknown> {
  return {
    added: closed.added,
    requests: closed.requests,
    spans: closed.spans,
    traces: closed.traces,
    lateSpans: closed.lateSpans,
    lateEvents: closed.lateEvents,
    unfinished: closed.unfinished,
  };
}

function closedReport(closed: CollectionClosed, runId: string, runPath: string): string {
  const received = `${runPath}/otlp-received.jsonl`;
  const lines: string[] = [];
  if (closed.summary.trajectories > 0) lines.push(renderSummary(closed.summary), "");
  lines.push(
    `collected ${formatNumber(closed.added)} trajector${closed.added === 1 ? "y" : "ies"} from ${formatNumber(closed.traces)} trace(s) (${formatNumber(closed.spans)} spans in ${formatNumber(closed.requests)} request(s)); run ${runId} holds ${formatNumber(closed.summary.trajectories)}`,
  );
  if (closed.lateSpans > 0)
    lines.push(`${formatNumber(closed.lateSpans)} span(s) arrived after their trace was written: kept in ${received} only`);
  if (closed.lateEvents > 0)
    lines.push(`${formatNumber(closed.lateEvents)} GenAI event(s) arrived after their trace was written: kept in ${received} only`);
  if (closed.unfinished.length > 0) {
    lines.push(
      `${closed.unfinished.length} trace(s) had no root span yet and were not written (${closed.unfinished
        .slice(0, 3)
        .map((trace) => `${trace.traceId}: ${trace.spans} span(s)`)
        .join(", ")}${closed.unfinished.length > 3 ? ", ..." : ""}); their spans are in ${received}`,
    );
  }
  if (closed.unfinished.length > 0)
    lines.push(
      `to add those traces as they are (the trajectories the run holds stay as they are): npx trajlab import otel ${received} --run-id ${runId}`,
    );
  lines.push(
    closed.summary.trajectories > 0 ? `review it with: npx trajlab review ${runId}` : "no trace finished: the run holds no trajectories",
  );
  return lines.join("\n");
}
