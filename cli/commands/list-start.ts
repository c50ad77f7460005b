/**
 * What `trajlab list` does once its arguments are read. Kept apart from the
 * command's registration (list.ts) so that `trajlab list --help` loads none of it.
 */
import { KINDS, type Kind } from "./list.js";
import { createReadStream, existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { isHandoffStep, type Scenario } from "../../scenarios/index.js";
import { liveHolder, readJsonFile, runsDirectory, scanRuns, TrajlabError, type RunDirectory } from "../../harness/core.js";
import { filteredScenarios, loadCatalog, type Catalog } from "../catalog.js";
import type { ScenarioFilterOptions } from "../options.js";
import { formatTable } from "../format.js";
import { SummarySchema } from "../../harness/index.js";
import { printJson, printText } from "../output.js";
import {
  assignmentProgress,
  describePace,
  describeProgress,
  progressOf,
  readAssignment,
  readRunReviews,
  type AssignedProgress,
  type ReviewerProgress,
  type ReviewRecord,
} from "../../reviews/index.js";

type CatalogKind = Exclude<Kind, "runs">;

export interface ListOptions extends ScenarioFilterOptions {
  json?: boolean;
  runsDir?: string;
}

/** Runs `trajlab list` with its arguments and options. */
export async function listCommand(what: string, options: ListOptions): Promise<void> {
  if (!KINDS.includes(what as Kind)) {
    throw new TrajlabError("BAD_ARGUMENT", `trajlab list ${JSON.stringify(what)}: expected one of ${KINDS.join(", ")}`);
  }
  if (what === "runs") {
    await listRunsCommand(runsDirectory(options.runsDir), options.json === true);
    return;
  }
  const catalog = await loadCatalog();
  const filtered = { ...catalog, scenarios: filteredScenarios(catalog.scenarios, options) };
  const rows = listRows(filtered, what as CatalogKind);
  if (options.json) {
    printJson(rows);
    return;
  }
  const keys = Object.keys(rows[0] ?? {}).filter((key) => key !== "source" && key !== "agents");
  const table = [keys, ...rows.map((row) => keys.map((key) => display(row[key])))];
  const summary = what === "scenarios" ? `\n\n${scenarioSummary(filtered.scenarios)}` : "";
  printText(`${formatTable(table)}${summary}\n`);
}

/** One row per item; for scenarios, what `--json` promises. */
export function listRows(catalog: Catalog, kind: CatalogKind): Record<string, unknown>[] {
  switch (kind) {
    case "scenarios":
      return catalog.scenarios.map((s) => ({
        id: s.id,
        domain: s.domain,
        multiAgent: s.team !== undefined,
        multiTurn: s.user !== undefined,
        referenceCalls: toolCallsOf(s),
        tags: [...s.tags],
        title: s.title,
        agents: s.team ? s.team.members.map((m) => m.name) : [],
        source: s.source ?? null,
      }));
    case "agents":
      return catalog.agents.map((a) => ({
        id: a.id,
        multiAgent: a.multiAgent === true,
        rootAgent: a.rootAgent,
        description: a.description,
      }));
    case "policies":
      return catalog.policies.map((p) => ({ id: p.id, description: p.description }));
    case "graders":
      return catalog.graders.map((g) => ({ id: g.id, description: g.description }));
  }
}

/** What `trajlab list runs` shows of a run. */
export interface RunRow {
  readonly id: string;
  /** When the run was made (null when its manifest cannot be read). */
  readonly created: string | null;
  readonly models: string[];
  /** Trajectories recorded, and trials planned. */
  readonly recorded: number;
  readonly planned: number | null;
  /** Passing trajectories, from summary.json (null before the run wrote one). */
  readonly passed: number | null;
  /**
   * `complete`; `running` (a live `trajlab run` or `trajlab grade` holds it); `interrupted` (finish
   * it with --resume); `damaged` (its manifest is missing or unreadable: see `problem`).
   */
  readonly status: "complete" | "running" | "interrupted" | "damaged";
  /** Reviewers with a file in `reviews/`. */
  readonly reviewers: string[];
  /** With an assignment (`trajlab assign`): each assigned reviewer's trajectories done of those assigned. */
  readonly assigned: AssignedProgress[] | null;
  /** Each reviewer's progress: trajectories done and in progress, active time, throughput. */
  readonly reviewing: ReviewerProgress[];
  /** For a damaged run: what is wrong and the fix. */
  readonly problem?: { readonly message: string; readonly fix: string | null };
}

/** Every run in `runsDir`, oldest first, with how far it got. */
export async function runRows(runsDir: string): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for (const { run, manifest, problem } of await scanRuns(runsDir)) {
    const recorded = existsSync(run.file("trajectories")) ? await countLines(run.file("trajectories")) : 0;
    const summary = existsSync(run.file("summary")) ? await readJsonFile(run.file("summary"), SummarySchema).catch(() => null) : null;
    const running = (await liveHolder(run.file("lock"))) !== null;
    const reviewers = existsSync(run.file("reviews"))
      ? (await readdir(run.file("reviews"))).filter((name) => name.endsWith(".jsonl")).map((name) => name.slice(0, -".jsonl".length))
      : [];
    if (!manifest) {
      rows.push({
        id: run.id,
        created: null,
        models: [],
        recorded,
        planned: null,
        passed: summary?.passed ?? null,
        status: "damaged",
        reviewers,
        assigned: null,
        reviewing: [],
        problem: { message: problem?.message ?? "unreadable", fix: problem?.hint ?? null },
      });
      continue;
    }
    const reviews = reviewers.length > 0 ? await readRunReviews(run) : new Map<string, ReviewRecord[]>();
    rows.push({
      id: run.id,
      created: manifest.createdAt,
      models: manifest.settings?.models ?? manifest.imported?.models ?? [],
      recorded,
      planned: manifest.trials,
      passed: summary?.passed ?? null,
      status: running ? "running" : recorded >= manifest.trials && summary ? "complete" : "interrupted",
      reviewers,
      assigned: await assignedProgressOf(run, reviews),
      reviewing: [...reviews].map(([reviewer, records]) => progressOf(reviewer, records)),
    });
  }
  return rows;
}

async function listRunsCommand(runsDir: string, json: boolean): Promise<void> {
  const rows = await runRows(runsDir);
  if (json) {
    printJson(rows);
    return;
  }
  if (rows.length === 0) {
    printText(`no runs in ${runsDir} yet; start one with: npx trajlab run\n`);
    return;
  }
  const table = [
    ["run", "created", "models", "trajectories", "passed", "status", "reviewers"],
    ...rows.map((row) => [
      row.id,
      row.created?.slice(0, 16).replace("T", " ") ?? "-",
      row.models.join(",") || "-",
      `${row.recorded}/${row.planned ?? "?"}`,
      row.passed === null ? "-" : String(row.passed),
      row.status,
      reviewersCell(row),
    ]),
  ];
  const interrupted = rows.filter((row) => row.status === "interrupted");
  const hint = interrupted.length > 0 ? `\n\nfinish an interrupted run with: npx trajlab run --resume ${interrupted.at(-1)!.id}` : "";
  const damaged = rows
    .filter((row) => row.problem)
    .map((row) => `\n\ndamaged: ${row.problem!.message}${row.problem!.fix ? `\n  fix: ${row.problem!.fix}` : ""}`)
    .join("");
  printText(`${formatTable(table, ["left", "left", "left", "right", "right", "left", "left"])}${hint}${damaged}\n`);
}

/**
 * The reviewers column: with an assignment, each assigned reviewer's done of
 * assigned and pace (`ana 3/10 (12 min active, 15/h)`), in the assignment's
 * order; otherwise, and for reviewers outside it, how far and how fast
 * (`ana (3 done, 1 in progress, 12 min active, 15/h)`).
 */
function reviewersCell(row: RunRow): string {
  const progress = new Map(row.reviewing.map((p) => [p.reviewer, p]));
  const assigned = (row.assigned ?? []).map((a) => {
    const pace = progress.has(a.reviewer) ? describePace(progress.get(a.reviewer)!) : "";
    return `${a.reviewer} ${a.done}/${a.assigned}${pace ? ` (${pace})` : ""}`;
  });
  const names = new Set((row.assigned ?? []).map((a) => a.reviewer));
  const others = row.reviewing.filter((p) => !names.has(p.reviewer)).map((p) => `${p.reviewer} (${describeProgress(p)})`);
  return [...assigned, ...others].join(", ") || "-";
}

/** Complete lines in a file (a torn last line has no newline), counted without parsing it: runs can be large. */
async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count += 1;
  }
  return count;
}

/** Tool calls of the reference plan (questions to the user and handoffs are not tool calls). */
function toolCallsOf(scenario: Scenario): number {
  return scenario.reference.calls.filter((step) => step.tool !== undefined && !isHandoffStep(scenario, step.tool)).length;
}

function scenarioSummary(scenarios: readonly Scenario[]): string {
  const domains = new Set(scenarios.map((s) => s.domain));
  const multiAgent = scenarios.filter((s) => s.team).length;
  const multiTurn = scenarios.filter((s) => s.user).length;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return `${count(scenarios.length, "scenario")} in ${count(domains.size, "domain")} (${[...domains].join(", ")}); ${multiAgent} multi-agent, ${multiTurn} with a simulated user`;
}

function display(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** Each assigned reviewer's progress in a run, or null when it has no assignment with reviewers. */
async function assignedProgressOf(
  run: RunDirectory,
  reviews: ReadonlyMap<string, readonly ReviewRecord[]>,
): Promise<AssignedProgress[] | null> {
  const assignment = await readAssignment(run);
  if (!assignment || assignment.reviewers.length === 0) return null;
  return assignmentProgress(assignment, reviews);
}
