/**
 * What `trajlab import` does once its arguments are read. Kept apart from the
 * command's registration (import.ts) so that `trajlab import --help` loads none of it.
 */
import {
  findEarlierImport,
  importFiles,
  importFormat,
  readEffectsFile,
  type GroupBy,
  type ImportResult,
  type ImportWritten,
  writeImport,
} from "../../harness/index.js";
import { jsonForTerminal, newRunId, runsDirectory, sanitizeForDisplay, TrajlabError, type Trajectory } from "../../harness/core.js";
import { loadCatalog } from "../catalog.js";
import { formatNumber } from "../format.js";
import { renderSummary } from "../summary-table.js";

/** The options of `trajlab import`, as commander gives them. */
export interface ImportOptions {
  runId?: string;
  runsDir?: string;
  domain?: string;
  model?: string;
  agent?: string;
  effects?: string;
  groupBy: GroupBy;
  json?: boolean;
}

/** Runs `trajlab import` with its arguments and options. */
export async function importCommand(formatId: string, paths: string[], options: ImportOptions): Promise<void> {
  const format = importFormat(formatId);
  const runsDir = runsDirectory(options.runsDir);
  const effects = options.effects ? await readEffectsFile(options.effects) : undefined;
  const runId = options.runId ?? newRunId();
  const given = { domain: options.domain, model: options.model, agent: options.agent };
  const result = await importFiles(format, paths, { runId, ...given, groupBy: options.groupBy, effects });
  if (result.trajectories.length === 0) {
    throw new TrajlabError("NOTHING_TO_IMPORT", `${paths.join(", ")}: no ${format.id} records found`, {
      hint: `check the format; \`trajlab import --help\` lists what each format reads`,
    });
  }
  if (!options.runId) {
    const earlier = await findEarlierImport(runsDir, format.id, result.files);
    if (earlier) {
      const message = `nothing new: ${paths.join(", ")} ${paths.length === 1 ? "was" : "were"} already imported as run ${earlier.id}; its trajectories keep their ids`;
      if (options.json) process.stdout.write(`${jsonForTerminal({ runId: earlier.id, runDir: earlier.path, added: 0 })}\n`);
      else process.stdout.write(`${message}\nreview it with: npx trajlab review ${earlier.id}\n`);
      return;
    }
  }
  const catalog = await loadCatalog();
  const written = await writeImport(result.trajectories, result.files, {
    runsDir,
    runId,
    format: format.id,
    command: process.argv.slice(2),
    options: Object.fromEntries(
      Object.entries({ ...given, effects: options.effects, groupBy: options.groupBy }).filter(([, value]) => value !== undefined),
    ),
    graders: catalog.graders,
    scenarios: catalog.scenarios,
  });
  if (options.json) {
    process.stdout.write(
      `${jsonForTerminal({ ...written.summary, runDir: written.run.path, added: written.added.length, alreadyThere: written.alreadyThere, duplicates: result.duplicates.length })}\n`,
    );
    return;
  }
  process.stdout.write(`${report(result, written)}\n`);
}

/** What was imported, what the source lacked, and where to go next. */
function report(result: ImportResult, written: ImportWritten): string {
  const lines: string[] = [];
  if (written.added.length > 0) lines.push(renderSummary(written.summary), "");
  const counts = countsOf(result.trajectories);
  lines.push(
    `read ${formatNumber(result.trajectories.length)} trajectories from ${result.files.map((file) => sanitizeForDisplay(file.path)).join(", ")}: ${formatNumber(counts.messages)} messages, ${formatNumber(counts.llmCalls)} model calls, ${formatNumber(counts.toolCalls)} tool calls (${formatNumber(counts.failedCalls)} failed), ${formatNumber(counts.handoffs)} handoffs; agents: ${counts.agents.map((agent) => sanitizeForDisplay(agent)).join(", ")}`,
  );
  if (result.duplicates.length > 0) lines.push(`${result.duplicates.length} record(s) repeated an earlier one exactly and were kept once`);
  const lacking = notRecorded(result.trajectories);
  if (lacking.length > 0) lines.push(`not recorded by the source (left empty, never made up): ${lacking.join(", ")}`);
  if (counts.inferredTools.length > 0)
    lines.push(
      `read/write effects inferred from tool names for ${counts.inferredTools.length} tool(s) (${counts.inferredTools.slice(0, 6).join(", ")}${counts.inferredTools.length > 6 ? ", ..." : ""}); declare them with --effects <file>`,
    );
  if (counts.unknownTools.length > 0)
    lines.push(`effect unknown for ${counts.unknownTools.length} tool(s): ${counts.unknownTools.slice(0, 6).join(", ")}`);
  lines.push(
    written.added.length === 0
      ? `nothing new: run ${written.run.id} already holds all ${written.alreadyThere} trajectories`
      : `${written.created ? "run saved to" : `added ${written.added.length} to run`} ${written.run.path}${written.alreadyThere > 0 ? ` (${written.alreadyThere} already there)` : ""}`,
    `review it with: npx trajlab review ${written.run.id}`,
  );
  return lines.join("\n");
}

/** Counts of {@link countsOf}. */
export interface Counts {
  messages: number;
  llmCalls: number;
  toolCalls: number;
  failedCalls: number;
  handoffs: number;
  agents: string[];
  inferredTools: string[];
  unknownTools: string[];
}

/** What trajectories hold: messages, model and tool calls (failed ones), handoffs, agents, and tools whose effect was inferred or is unknown. */
export function countsOf(trajectories: readonly Trajectory[]): Counts {
  const counts: Counts = {
    messages: 0,
    llmCalls: 0,
    toolCalls: 0,
    failedCalls: 0,
    handoffs: 0,
    agents: [],
    inferredTools: [],
    unknownTools: [],
  };
  const agents = new Set<string>();
  const inferred = new Set<string>();
  const unknown = new Set<string>();
  for (const trajectory of trajectories) {
    for (const event of trajectory.events) {
      agents.add(event.agent);
      if (event.kind === "message") counts.messages += 1;
      else if (event.kind === "llm_call") counts.llmCalls += 1;
      else if (event.kind === "handoff") counts.handoffs += 1;
      else if (event.kind === "tool_call") {
        counts.toolCalls += 1;
        if (event.status === "error") counts.failedCalls += 1;
        if (event.effectSource === "inferred") inferred.add(event.name);
        if (event.effect === "unknown") unknown.add(event.name);
      }
    }
  }
  const clean = (names: Set<string>) => [...names].sort().map((name) => sanitizeForDisplay(name));
  return { ...counts, agents: [...agents], inferredTools: clean(inferred), unknownTools: clean(unknown) };
}

/** The kinds of value no imported trajectory recorded. */
function notRecorded(trajectories: readonly Trajectory[]): string[] {
  const none = (test: (t: Trajectory) => boolean) => trajectories.every(test);
  return [
    none((t) => t.durationMs === null && t.events.every((e) => e.startMs === null)) ? "timing" : null,
    none((t) => t.usage.source === "unknown") ? "token counts" : null,
    none((t) => t.model === null) ? "the model (give --model)" : null,
    none((t) => t.environment === null) ? "environment state" : null,
    none((t) => t.outcome === null) ? "outcome" : null,
    none((t) => t.reference === null) ? "reference plan" : null,
    none((t) => t.tools === null) ? "tool schemas" : null,
  ].filter((item): item is string => item !== null);
}
