import * as z from "zod";
import { parseArgs } from "../recorder/callback-values.js";
import type { TokenUsage, ToolSpec } from "../trajectory/schema.js";
import { counted } from "../trajectory/usage.js";
import { ChatLog, type Timing } from "./chat-log.js";
import { groupTraces } from "./conversations.js";
import {
  COMPLETED,
  fromEvents,
  invalidInput,
  parseWith,
  pointerTo,
  type ConvertedRecord,
  type ImportContext,
  type ImportFormat,
  type ImportOptions,
  type ParsedFile,
  type SourceRecord,
} from "./format.js";
import { loggedPrompt, loggedReply, loggedToolOutput, type LoggedMessage } from "./langchain-messages.js";
import { toolSpec } from "./openai.js";
import { logPrompt, SeenMessages } from "./prompt-messages.js";

/** One run as LangSmith's `listRuns` / `readRun` gives it (fields trajlab reads; the rest is kept out of the way). */
const RunSchema = z.looseObject({
  id: z.string().min(1, "a run needs its id"),
  name: z.string(),
  run_type: z.string().min(1, "a run needs its run_type (chain, llm, tool, ...)"),
  inputs: z.record(z.string(), z.unknown()).nullish(),
  outputs: z.record(z.string(), z.unknown()).nullish(),
  error: z.string().nullish(),
  start_time: z.union([z.string(), z.number()]).nullish(),
  end_time: z.union([z.string(), z.number()]).nullish(),
  parent_run_id: z.string().nullish(),
  trace_id: z.string().nullish(),
  dotted_order: z.string().nullish(),
  child_run_ids: z.array(z.string()).nullish(),
  child_runs: z.array(z.unknown()).nullish(),
  extra: z.record(z.string(), z.unknown()).nullish(),
  tags: z.array(z.string()).nullish(),
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
});
type Run = z.infer<typeof RunSchema>;

const HINT =
  "a LangSmith export is runs as listRuns/readRun give them: { id, name, run_type: chain|llm|tool|..., inputs, outputs, error, start_time, end_time, parent_run_id or child_runs / child_run_ids }, as a JSON array, one run per line, or one run tree";

/** A run as read, with where it was in the file and its place in its trace. */
interface PlacedRun {
  readonly run: Run;
  /** Position among all runs of the file, from 0: ties in time keep it. */
  readonly order: number;
  /** Its parent's id, from `parent_run_id`, its nesting in `child_runs`, or a parent's `child_run_ids`. */
  parent: string | null;
}

/** A trace: its runs in file order (what the trajectory's id and its events' pointers refer to). */
interface TraceRecord extends SourceRecord {
  readonly runs: readonly PlacedRun[];
}

/** Every run of a file, nested `child_runs` flattened, each checked. */
function runsOf(file: ParsedFile): PlacedRun[] {
  const placed: PlacedRun[] = [];
  const visit = (value: unknown, pointer: string, parent: string | null): void => {
    const run = parseWith(RunSchema, value, pointer, HINT);
    const entry: PlacedRun = { run, order: placed.length, parent: run.parent_run_id ?? parent };
    placed.push(entry);
    (run.child_runs ?? []).forEach((child, index) => visit(child, pointerTo(pointer, "child_runs", index), run.id));
  };
  if (file.kind === "jsonl") file.lines.forEach(({ line, value }) => visit(value, `(line ${line})`, null));
  else if (Array.isArray(file.value)) file.value.forEach((value, index) => visit(value, `/${index}`, null));
  else if (typeof file.value === "object" && file.value !== null && Array.isArray((file.value as { runs?: unknown }).runs))
    (file.value as { runs: unknown[] }).runs.forEach((value, index) => visit(value, pointerTo("", "runs", index), null));
  else visit(file.value, "", null);
  // A flat export may name children only from the parent (child_run_ids).
  const byId = new Map(placed.map((entry) => [entry.run.id, entry]));
  for (const entry of placed)
    for (const child of entry.run.child_run_ids ?? []) {
      const found = byId.get(child);
      if (found && found.parent === null) found.parent = entry.run.id;
    }
  return placed;
}

/**
 * Groups runs by trace (`trace_id`, else the root they descend from), and
 * traces by the conversation their metadata names (unless `groupBy` is
 * "trace"), in the order their first run appears.
 */
function traceRecords(file: ParsedFile, options: ImportOptions): TraceRecord[] {
  const runs = runsOf(file);
  const byId = new Map(runs.map((entry) => [entry.run.id, entry]));
  const rootOf = (entry: PlacedRun): PlacedRun => {
    const seen = new Set<string>();
    let at = entry;
    while (at.parent !== null && byId.has(at.parent) && !seen.has(at.run.id)) {
      seen.add(at.run.id);
      at = byId.get(at.parent)!;
    }
    return at;
  };
  const traces = new Map<string, PlacedRun[]>();
  for (const entry of runs) {
    const key = entry.run.trace_id ?? rootOf(entry).run.id;
    traces.set(key, [...(traces.get(key) ?? []), entry]);
  }
  const turns = [...traces.entries()].map(([traceId, list]) => {
    const root = rootOf(list[0]!);
    return { trace: { traceId, runs: list }, conversationId: threadOf(list), start: millis(root.run.start_time) };
  });
  return groupTraces(turns, options.groupBy ?? "conversation").map((group, index) => {
    const list = group.traces.flatMap((trace) => trace.runs);
    // Nested child runs appear flattened; the record is every run of the trace, without its children repeated.
    const runs = list.map(({ run: { child_runs: _children, ...run } }) => run);
    return {
      // A conversation of one trace is that trace's record, so its trajectory has the same id either way.
      value:
        group.traces.length === 1
          ? { traceId: group.traces[0]!.traceId, runs }
          : { conversationId: group.conversationId, traceIds: group.traces.map((trace) => trace.traceId), runs },
      index,
      line: null,
      pointer: "",
      runs: list,
    };
  });
}

/** The conversation a trace's runs name in their metadata (`thread_id`, `session_id`, `conversation_id`, as LangSmith's threads read them). */
function threadOf(runs: readonly PlacedRun[]): string | null {
  for (const { run } of runs) {
    const metadata = metadataOf(run);
    const id = text(metadata.thread_id) ?? text(metadata.session_id) ?? text(metadata.conversation_id);
    if (id) return id;
  }
  return null;
}

/** Epoch ms from a LangSmith time: epoch ms (the JS SDK), or ISO text, UTC when it names no zone (the API). */
function millis(value: string | number | null | undefined): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value === "") return null;
  const iso = value.replace(/(\.\d{3})\d+/, "$1");
  const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(parsed) ? parsed : null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** LangChain's run metadata (`extra.metadata`): lc_agent_name, langgraph_node, thread ids, the user's own. */
function metadataOf(run: Run): Record<string, unknown> {
  return isObject(run.extra?.metadata) ? run.extra.metadata : {};
}

/** The model an llm run names: in its invocation params, its metadata, else the reply's. */
function modelOf(run: Run, reply: LoggedMessage | null): string | null {
  const params = isObject(run.extra?.invocation_params) ? run.extra.invocation_params : {};
  const metadata = metadataOf(run);
  return text(params.model) ?? text(params.model_name) ?? text(metadata.ls_model_name) ?? reply?.model ?? null;
}

/** Token counts of an llm run: LangSmith's own totals, else the reply's usage metadata. */
function usageOf(run: Run, reply: LoggedMessage | null): TokenUsage | undefined {
  const own = counted("provider", run.prompt_tokens, run.completion_tokens, run.total_tokens);
  if (own.source !== "unknown") return own;
  return reply?.usage;
}

/** A tool run's arguments: LangChain JS logs `{ input: "<JSON or bare string>" }`, Python the arguments themselves. */
function toolArgs(inputs: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(inputs);
  if (keys.length === 1 && typeof inputs.input === "string") return parseArgs(inputs.input);
  return inputs;
}

/** A tool run's result text and the call id its ToolMessage names. */
function toolOutput(outputs: Record<string, unknown> | null | undefined): { text: string; toolCallId: string | null } {
  if (!outputs) return { text: "", toolCallId: null };
  return loggedToolOutput(outputs, { wrapped: true });
}

/** The tools an llm run was offered (`invocation_params.tools`, OpenAI's shape). */
function toolsOf(run: Run, context: ImportContext): ToolSpec[] | null {
  const params = isObject(run.extra?.invocation_params) ? run.extra.invocation_params : {};
  if (!Array.isArray(params.tools)) return null;
  const specs = params.tools.filter(isObject).flatMap((tool) => {
    const fn = isObject(tool.function) ? tool.function : tool;
    return typeof fn.name === "string"
      ? [
          toolSpec(
            {
              name: fn.name,
              description: text(fn.description),
              parameters: isObject(fn.parameters) ? fn.parameters : null,
            },
            context.effects,
          ),
        ]
      : [];
  });
  return specs.length > 0 ? specs : null;
}

/** `LangGraph` → `langgraph`. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function convertTrace(record: TraceRecord, context: ImportContext): ConvertedRecord {
  const { options } = context;
  const position = new Map(record.runs.map((entry, index) => [entry, index]));
  const ids = new Set(record.runs.map((entry) => entry.run.id));
  // Siblings in the order they ran: dotted_order sorts so, else start time, else file order.
  const when = (entry: PlacedRun): number => millis(entry.run.start_time) ?? Number.POSITIVE_INFINITY;
  const byStart = (a: PlacedRun, b: PlacedRun): number => {
    const da = a.run.dotted_order;
    const db = b.run.dotted_order;
    if (da && db && da !== db) return da < db ? -1 : 1;
    return when(a) - when(b) || a.order - b.order;
  };
  const children = new Map<string | null, PlacedRun[]>();
  for (const entry of record.runs) {
    const parent = entry.parent !== null && ids.has(entry.parent) ? entry.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), entry]);
  }
  for (const list of children.values()) list.sort(byStart);
  const roots = children.get(null) ?? [];
  const root = roots[0];
  if (!root) return invalidInput("/runs", "the trace has no runs", HINT);
  const start = millis(root.run.start_time);
  const ends = record.runs.map((entry) => millis(entry.run.end_time)).filter((value): value is number => value !== null);
  const end = ends.length > 0 ? Math.max(...ends) : null;
  const timing = (run: Run): Timing => {
    const begun = millis(run.start_time);
    const ended = millis(run.end_time);
    return {
      startMs: start !== null && begun !== null ? Math.max(0, begun - start) : null,
      durationMs: begun !== null && ended !== null ? Math.max(0, ended - begun) : null,
    };
  };
  const agentOf = (run: Run): string | null => text(metadataOf(run).lc_agent_name);
  const firstAgent = record.runs.map((entry) => agentOf(entry.run)).find((name) => name !== null);
  const rootAgent = options.agent ?? firstAgent ?? "assistant";
  const log = new ChatLog({ rootAgent, effects: context.effects });
  const seen = new SeenMessages();
  const models: string[] = [];
  let tools: ToolSpec[] | null = null;

  const visit = (entry: PlacedRun): void => {
    const { run } = entry;
    const path = `/runs/${position.get(entry)}`;
    if (run.run_type === "llm" || run.run_type === "tool") {
      const agent = agentOf(run);
      if (agent !== null && agent !== log.agent) log.switchAgent(agent, "speaker", path, run.id);
    }
    if (run.run_type === "llm") {
      const prompt =
        loggedPrompt(run.inputs) ??
        (Array.isArray(run.inputs?.prompts)
          ? run.inputs.prompts.filter((p): p is string => typeof p === "string").map((p) => userMessage(p))
          : []);
      logPrompt(log, prompt, seen, { path, id: run.id });
      const reply = run.outputs ? loggedReply(run.outputs) : null;
      if (reply) seen.reply(reply);
      const model = options.model ?? modelOf(run, reply);
      if (model) models.push(model);
      tools ??= toolsOf(run, context);
      log.assistant({
        content: reply?.text ?? "",
        // A call's place is the llm run that asked for it (the reply's shape varies by source); `call` in its origin counts it.
        toolCalls: (reply?.toolCalls ?? []).map((call) => ({ ...call, path })),
        model,
        usage: usageOf(run, reply),
        finishReason: reply?.finishReason ?? null,
        error: run.error ? errorText(run.error) : null,
        path,
        id: run.id,
        timing: timing(run),
      });
    } else if (run.run_type === "tool") {
      const output = toolOutput(run.outputs);
      const args = toolArgs(run.inputs ?? {});
      log.toolResult(
        {
          toolCallId: output.toolCallId,
          name: run.name,
          // A failed run has no output: the text the model saw comes from the next prompt that repeats it.
          content: output.text,
          error: run.error ? errorText(run.error) : null,
          path,
          timing: timing(run),
        },
        { id: output.toolCallId, name: run.name, args, path },
      );
      seen.toolResult(output.toolCallId, output.text);
    }
    for (const child of children.get(run.id) ?? []) visit(child);
  };
  for (const entry of roots) visit(entry);

  const events = log.events();
  const distinct = [...new Set(models)];
  const domain = options.domain ?? "langsmith";
  const failed = roots.find((entry) => entry.run.error);
  return {
    scenarioId: `${domain}.${slug(root.run.name) || "trace"}`,
    domain,
    agent: rootAgent,
    model: options.model ?? (distinct.length === 0 ? null : distinct.join(",")),
    trial: 0,
    seed: null,
    startedAt: start === null ? null : new Date(start).toISOString(),
    endedAt: end === null ? null : new Date(end).toISOString(),
    durationMs: start !== null && end !== null ? Math.max(0, end - start) : null,
    termination: failed ? { reason: "error", message: errorText(failed.run.error!) } : COMPLETED,
    tools,
    ...fromEvents(events),
    environment: null,
    outcome: null,
    reference: null,
    originalId: root.run.id,
    metadata: {
      run_id: root.run.id,
      trace_id: record.runs[0]!.run.trace_id ?? root.run.id,
      ...(roots.length > 1 ? { root_run_ids: roots.map((entry) => entry.run.id) } : {}),
      name: root.run.name,
      runs: record.runs.length,
      ...sourceFields(root.run),
    },
  };
}

/** What LangSmith says about a root run that labels are joined by: its project, dataset example, tags, feedback and the app's metadata. */
function sourceFields(run: Run): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of ["session_id", "reference_example_id", "feedback_stats", "status"] as const) {
    const value = (run as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) fields[key] = value;
  }
  if (run.tags && run.tags.length > 0) fields.tags = run.tags;
  const metadata = metadataOf(run);
  if (Object.keys(metadata).length > 0) fields.run_metadata = metadata;
  return fields;
}

/** A run's error without the stack trace LangChain's tracers append after a blank line. */
function errorText(error: string): string {
  return error.split(/\n\s*\n/)[0]!.trim() || error;
}

function userMessage(content: string): LoggedMessage {
  return { role: "user", text: content, name: null, toolCalls: [], toolCallId: null };
}

/**
 * LangSmith run trees, as the SDK's `listRuns` (flat, with `parent_run_id`
 * or `child_run_ids`) or `readRun(..., { loadChildRuns: true })` (nested
 * `child_runs`) give them, as a JSON array, one run per line, or one tree.
 * One trace (a root run and its descendants) is one trajectory: `llm` runs
 * become model calls (their prompt and reply as LangChain serialises
 * messages, or OpenAI's), `tool` runs tool calls (failed when the run has an
 * `error`), and LangChain's `lc_agent_name` in a run's metadata the agent
 * whose step it is.
 */
export const langsmithFormat: ImportFormat = {
  id: "langsmith",
  uniqueOriginalIds: true,
  records: traceRecords,
  convert: (record, context) => convertTrace(record as TraceRecord, context),
};
