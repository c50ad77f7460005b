import type { TrajectoryEntry } from "../trajectory-index.js";
import { displayWidth } from "./text-layout.js";

/**
 * The queue's columns, each as wide as its widest value (within bounds), the
 * scenario taking what it needs of what is left: a run of short model names
 * does not waste room that long scenario ids need. On a wide terminal the
 * room past the longest scenario id shows the start of each task, which
 * says more than an imported scenario id such as `tau-bench.task-7`.
 */

/** Names of the queue's columns, in order. */
export type QueueColumn = "run" | "scenario" | "trial" | "agent" | "model" | "source" | "outcome" | "calls" | "failed" | "flags" | "task";

/** Column widths in terminal columns (0: not shown). */
export type QueueWidths = Readonly<Record<QueueColumn, number>>;

/** What the widths are worked out from: the widest value of each column over every entry. */
export interface QueueContent {
  readonly run: number;
  readonly scenario: number;
  /** True when some entry has a task to show. */
  readonly task: boolean;
  readonly trial: number;
  readonly agent: number;
  readonly model: number;
  readonly source: number;
  readonly calls: number;
}

/** The widest value of each column, over every entry of the session (computed once). */
export function queueContent(
  entries: readonly TrajectoryEntry[],
  sourceOf: (entry: TrajectoryEntry) => string,
  runs: number,
): QueueContent {
  let trial = 0;
  let agent = 0;
  let model = 0;
  let source = 0;
  let calls = 0;
  let run = 0;
  let scenario = 0;
  let task = false;
  const sources = new Set<string>();
  for (const entry of entries) {
    scenario = Math.max(scenario, displayWidth(entry.scenarioId));
    task ||= entry.task !== "";
    trial = Math.max(trial, String(entry.trial).length + 1);
    agent = Math.max(agent, displayWidth(entry.agent));
    model = Math.max(model, entry.model === null ? 1 : displayWidth(entry.model));
    const from = sourceOf(entry);
    sources.add(from);
    source = Math.max(source, displayWidth(from));
    calls = Math.max(calls, String(entry.toolCalls).length);
    if (runs > 1) run = Math.max(run, entry.run.id.length);
  }
  // One source for every row says nothing per row: the review's header names it instead.
  return { run, scenario, task, trial, agent, model, source: sources.size > 1 ? source : 0, calls };
}

/** Header words of the columns. */
export const COLUMN_TITLES: Readonly<Record<QueueColumn, string>> = {
  run: "run",
  scenario: "scenario",
  trial: "#",
  agent: "agent",
  model: "model",
  source: "source",
  outcome: "out",
  calls: "calls",
  failed: "✗",
  flags: "flg",
  task: "task",
};

/** Narrowest the task column is shown at; narrower, the scenario keeps the room. */
const MIN_TASK_WIDTH = 16;

const BOUNDS: Readonly<Record<"run" | "agent" | "model" | "source", readonly [number, number]>> = {
  run: [6, 14],
  agent: [5, 14],
  model: [5, 22],
  source: [6, 10],
};

/** The columns' widths for a terminal `width` wide (the row's first four columns are the cursor and status marks). */
export function queueWidths(content: QueueContent, width: number): QueueWidths {
  const clamp = (column: keyof typeof BOUNDS, value: number): number => Math.min(BOUNDS[column][1], Math.max(BOUNDS[column][0], value));
  const widths: Record<QueueColumn, number> = {
    run: content.run > 0 ? clamp("run", content.run) : 0,
    scenario: 0,
    trial: Math.max(1, content.trial),
    agent: clamp("agent", content.agent),
    model: clamp("model", content.model),
    source: content.source > 0 ? clamp("source", content.source) : 0,
    outcome: 4,
    calls: Math.max(5, content.calls),
    failed: 3,
    flags: 4,
    task: 0,
  };
  const used = (): number =>
    4 +
    (Object.entries(widths) as [QueueColumn, number][]).reduce(
      (sum, [column, w]) => sum + (column === "scenario" || column === "task" || w === 0 ? 0 : w + 1),
      0,
    );
  // The scenario id matters most: narrow the labels before it goes under 16 columns.
  for (const column of ["model", "agent", "source", "run"] as const) {
    const lack = 16 - (width - used());
    if (lack <= 0) break;
    if (widths[column] === 0) continue;
    widths[column] = Math.max(BOUNDS[column][0], widths[column] - lack);
  }
  const left = width - used();
  const scenario = Math.max(8, Math.min(left, Math.max(content.scenario, displayWidth(COLUMN_TITLES.scenario))));
  if (content.task && left - scenario - 1 >= MIN_TASK_WIDTH) {
    widths.scenario = scenario;
    widths.task = left - scenario - 1;
  } else widths.scenario = Math.max(8, left);
  return widths;
}
