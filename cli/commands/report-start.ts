/**
 * What `trajlab report` does once its arguments are read. Kept apart from the
 * command's registration (report.ts) so that `trajlab report --help` loads none of it.
 */
import {
  compareReports,
  ReportBuilder,
  type GroupComparison,
  type GroupMetrics,
  type Metrics,
  type RunReport,
} from "../../harness/index.js";
import { openRun, type RunDirectory, runsDirectory } from "../../harness/core.js";
import { formatDuration, formatNumber, formatTable, formatTokens, notApplicableText } from "../format.js";
import { printJson, printNote, printText } from "../output.js";
import { describeProgress, progressOf, readRunReviews, type HumanReport, type ReviewerProgress } from "../../reviews/index.js";
import { peopleOf, renderPeople } from "./report-people.js";

export interface ReportOptions {
  runsDir?: string;
  compare?: string;
  json?: boolean;
}

/** Runs `trajlab report` with its arguments and options. */
export async function reportCommand(runArg: string | undefined, options: ReportOptions): Promise<void> {
  const runsDir = runsDirectory(options.runsDir);
  const run = await openRun(runsDir, runArg);
  if (!options.compare) {
    const { report, people } = await reportWithPeople(run);
    // How fast each reviewer goes: trajectories signed off per active hour.
    const throughput = [...(await readRunReviews(run))].map(([reviewer, records]) => progressOf(reviewer, records));
    if (options.json) printJson({ ...report, people, throughput });
    else printText(`${renderReport(report)}${people ? `\n\n${renderPeople(people)}` : ""}${renderThroughput(throughput)}\n`);
    return;
  }
  const report = (await reportOf(run)).build();
  const other = (await reportOf(await openRun(runsDir, options.compare))).build();
  const comparison = compareReports(report, other);
  if (options.json) printJson({ baseline: report.runId, other: other.runId, comparison });
  else printText(`${renderComparison(report, other, comparison)}\n`);
}

type Problem = { file: string; line: number; message: string };

const warn = (problem: Problem): void => {
  printNote(`warning: skipped ${problem.file}:${problem.line} (${problem.message})`);
};

/**
 * A run's report, read one trajectory at a time (grades first, reduced to the
 * few figures the report counts), with the facts of each trajectory.
 */
async function reportOf(run: RunDirectory): Promise<ReportBuilder> {
  const builder = new ReportBuilder(run.id);
  // Warnings in the order the files are named: trajectories, then grades.
  const skipped: Problem[] = [];
  for await (const grade of run.streamGrades((problem) => skipped.push(problem))) builder.grades.add(grade);
  for await (const trajectory of run.streamTrajectories(warn)) builder.add(trajectory);
  skipped.forEach(warn);
  return builder;
}

/** The report and, when the run has reviews, what the people who reviewed it said. */
async function reportWithPeople(run: RunDirectory): Promise<{ report: RunReport; people: HumanReport | null }> {
  const builder = await reportOf(run);
  return { report: builder.build(), people: await peopleOf(run, builder.facts) };
}

/** Each reviewer's pace, under the people's part (nothing when nobody reviewed the run). */
function renderThroughput(throughput: readonly ReviewerProgress[]): string {
  if (throughput.length === 0) return "";
  const lines = throughput.map((progress) => `  ${progress.reviewer}: ${describeProgress(progress)}`);
  return `\n\nreviewer throughput (trajectories signed off; active time, where a pause counts for at most a minute)\n${lines.join("\n")}`;
}

const percent = (value: number | null): string => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);
const round1 = (value: number): string => formatNumber(Math.round(value * 10) / 10);

/** The report as text tables. */
export function renderReport(report: RunReport): string {
  const o = report.overall;
  const ks = o.passAtK.map((p) => `pass@${p.k} ${percent(p.passAtK)} pass^${p.k} ${percent(p.passHatK)}`).join(" · ");
  const lines = [
    `run ${report.runId}: ${o.trials} trials, success ${percent(o.successRate)} (${o.passed}/${o.trials})`,
    ks ? `  ${ks}` : "",
    `  tool calls: precision ${percent(o.toolCallPrecision)}, recall ${percent(o.toolCallRecall)} against the reference; ${o.skippableCalls} skippable (${percent(o.skippableRate)}${o.verifiedSkippable > 0 ? `, ${o.verifiedSkippable} verified by replay` : ""})${o.candidateSkippableCalls > 0 ? `, ${o.candidateSkippableCalls} more candidate(s) not counted` : ""}`,
    `  per trial: ${round1(o.meanSteps)} steps, ${round1(o.meanToolCalls)} tool calls, ${tokensLine(o)}, ${latencyLine(o)}`,
    ...notApplicableText(report.notApplicable, "\n  ").split("\n").filter(Boolean),
  ].filter(Boolean);
  const sections: Array<[string, GroupMetrics[]]> = [
    ["domain", report.byDomain],
    ["agent", report.byAgent],
    ["model", report.byModel],
    ["scenario", report.byScenario],
  ];
  for (const [name, groups] of sections) lines.push("", groupTable(name, groups));
  return lines.join("\n");
}

/** Mean tokens, saying when they were estimated or recorded for only some trials. */
function tokensLine(m: Metrics): string {
  if (m.meanTokens === null) return "tokens not recorded";
  const part = m.tokensRecorded < m.trials ? `, over the ${m.tokensRecorded} of ${m.trials} trials that recorded them` : "";
  return `${formatTokens(m.meanTokens)} tokens${m.tokensEstimated ? " (estimated)" : ""}${part}`;
}

/** Mean and p95 latency, saying when only some trials recorded their duration. */
function latencyLine(m: Metrics): string {
  if (m.meanLatencyMs === null) return "time not recorded";
  const part = m.timedTrials < m.trials ? `, over the ${m.timedTrials} of ${m.trials} trials that recorded it` : "";
  return `${formatDuration(m.meanLatencyMs)} (p95 ${formatDuration(m.p95LatencyMs)})${part}`;
}

function groupTable(name: string, groups: readonly GroupMetrics[]): string {
  const maxK = Math.max(1, ...groups.map((g) => g.passAtK.at(-1)?.k ?? 1));
  const header = [
    name,
    "trials",
    "success",
    ...(maxK > 1 ? [`pass@${maxK}`, `pass^${maxK}`] : []),
    "precision",
    "recall",
    "skippable",
    "steps",
    "tokens",
    "latency",
  ];
  const rows = groups.map((g) => {
    const k = g.passAtK.find((p) => p.k === maxK);
    return [
      g.group,
      String(g.trials),
      percent(g.successRate),
      ...(maxK > 1 ? [percent(k?.passAtK ?? null), percent(k?.passHatK ?? null)] : []),
      percent(g.toolCallPrecision),
      percent(g.toolCallRecall),
      `${g.skippableCalls} (${percent(g.skippableRate)})`,
      round1(g.meanSteps),
      formatTokens(g.meanTokens),
      formatDuration(g.meanLatencyMs),
    ];
  });
  return formatTable([header, ...rows], ["left", ...header.slice(1).map(() => "right" as const)]);
}

const LABELS: Partial<Record<keyof Metrics, string>> = {
  trials: "trials",
  successRate: "success",
  toolCallPrecision: "tool-call precision",
  toolCallRecall: "tool-call recall",
  skippableRate: "skippable rate",
  meanToolCalls: "tool calls/trial",
  meanSteps: "steps/trial",
  meanTokens: "tokens/trial",
  meanLatencyMs: "latency/trial",
};

/** Compared metrics that are shares, shown as percentages (and their changes in points). */
const SHARES: ReadonlySet<keyof Metrics> = new Set(["successRate", "toolCallPrecision", "toolCallRecall", "skippableRate"]);

/** Two runs side by side: overall, then each group whose success or cost changed. */
export function renderComparison(baseline: RunReport, other: RunReport, comparison: readonly GroupComparison[]): string {
  const show = (metric: keyof Metrics, value: number | null): string => {
    if (value === null) return "-";
    if (SHARES.has(metric)) return percent(value);
    if (metric === "meanLatencyMs") return formatDuration(value);
    if (metric === "meanTokens") return formatNumber(Math.round(value));
    return round1(value);
  };
  const delta = (metric: keyof Metrics, value: number | null): string => {
    if (value === null || value === 0) return value === 0 ? "=" : "";
    const sign = value > 0 ? "+" : "-";
    if (SHARES.has(metric)) return `${sign}${(Math.abs(value) * 100).toFixed(1)} pt`;
    if (metric === "meanLatencyMs") return `${sign}${formatDuration(Math.abs(value))}`;
    if (metric === "meanTokens") return `${sign}${formatNumber(Math.round(Math.abs(value)))}`;
    return `${sign}${round1(Math.abs(value))}`;
  };
  const overall = comparison[0]!;
  const overallTable = formatTable(
    [
      ["metric", baseline.runId, other.runId, "change"],
      ...overall.changes.map((c) => [
        LABELS[c.metric] ?? c.metric,
        show(c.metric, c.before),
        show(c.metric, c.after),
        delta(c.metric, c.delta),
      ]),
    ],
    ["left", "right", "right", "right"],
  );
  const changed = comparison
    .slice(1)
    .filter((g) =>
      g.changes.some((c) => (c.metric === "successRate" || c.metric === "skippableRate" || c.metric === "meanToolCalls") && c.delta !== 0),
    );
  const groupRows = changed.map((g) => {
    const get = (metric: keyof Metrics) => g.changes.find((c) => c.metric === metric)!;
    const success = get("successRate");
    const skippable = get("skippableRate");
    const calls = get("meanToolCalls");
    return [
      g.dimension.replace(/^by/, "").toLowerCase(),
      g.group,
      `${show("successRate", success.before)} → ${show("successRate", success.after)}`,
      delta("successRate", success.delta),
      `${show("skippableRate", skippable.before)} → ${show("skippableRate", skippable.after)}`,
      `${show("meanToolCalls", calls.before)} → ${show("meanToolCalls", calls.after)}`,
    ];
  });
  const groups =
    groupRows.length === 0
      ? "no group changed in success, skippable rate or tool calls"
      : formatTable(
          [["by", "group", "success", "change", "skippable", "tool calls"], ...groupRows],
          ["left", "left", "right", "right", "right", "right"],
        );
  return `${baseline.runId} (baseline) vs ${other.runId}\n\n${overallTable}\n\n${groups}`;
}
