import { sanitizeForDisplay } from "../harness/core.js";
import type { CostTotals, Summary, Trajectory } from "../harness/index.js";
import { formatDuration, formatNumber, formatTable, formatTokens, NOT_RECORDED_TEXT, notApplicableText } from "./format.js";
import { formatUsd } from "./money.js";

/**
 * The summary table printed after a run (and by grade and import). Ids and
 * model names of imported runs came from a file: one clean line each. A cost
 * column appears when a call recorded a cost (real models).
 */
export function renderSummary(summary: Summary): string {
  const withCost = Boolean(summary.cost);
  const header = ["scenario", "agent", "model", "outcome", "tool calls", "flagged", "tokens", "time", ...(withCost ? ["cost"] : [])];
  const rows = summary.rows.map((row) => [
    sanitizeForDisplay(row.scenarioId),
    sanitizeForDisplay(row.agent),
    row.model === null ? NOT_RECORDED_TEXT : sanitizeForDisplay(row.model),
    `${row.passed}/${row.trials} pass`,
    formatNumber(Math.round(row.meanToolCalls * 10) / 10),
    String(row.flaggedCalls),
    formatTokens(row.meanTokens),
    formatDuration(row.meanDurationMs),
    ...(withCost ? [row.costUsd === null || row.costUsd === undefined ? "no price" : formatUsd(row.costUsd)] : []),
  ]);
  const align = ["left", "left", "left", "right", "right", "right", "right", "right", "right"] as const;
  const table = formatTable([header, ...rows], align);
  const time = summary.durationMs === null ? "time not recorded" : formatDuration(summary.durationMs);
  const cost = summary.cost ? ` · ${formatCost(summary.cost)}` : "";
  const totals = `${summary.trajectories} trajectories · ${summary.passed}/${summary.trajectories} passed · ${summary.toolCalls} tool calls, ${summary.flaggedCalls} flagged · ${summaryTokens(summary)} · ${time}${cost}`;
  const legend = `tool calls, tokens, time: mean per trial · flagged: steps graders labelled avoidable or wrong, summed over trials${withCost ? " · cost: summed over trials" : ""}`;
  return `${table}\n\n${totals}${notApplicableText(summary.notApplicable ?? [], "\n")}\n(${legend}; details: npx trajlab report)`;
}

/** Total tokens, saying when they were estimated, not recorded, or recorded for only some trajectories. */
function summaryTokens(summary: Summary): string {
  if (summary.totalTokens === null) return "tokens not recorded";
  const recorded = summary.tokensRecorded ?? summary.trajectories;
  const part = recorded < summary.trajectories ? ` (recorded for ${recorded} of ${summary.trajectories})` : "";
  return `${formatNumber(summary.totalTokens)} tokens${summary.tokensEstimated ? " (estimated for policy models)" : ""}${part}`;
}

/**
 * A run's cost for the summary line: what was spent, what the cache saved,
 * and the models without a price (whose calls are not counted, not free).
 */
export function formatCost(cost: CostTotals): string {
  const parts: string[] = [];
  if (cost.pricedCalls > 0) parts.push(`${formatUsd(cost.spentUsd)} spent`);
  if (cost.cachedCalls > 0) {
    const saved = cost.listUsd - cost.spentUsd;
    parts.push(`${cost.cachedCalls} call(s) from the cache${saved > 0 ? ` (${formatUsd(saved)} saved)` : ""}`);
  }
  if (cost.unpricedCalls > 0) {
    parts.push(
      `no price for ${cost.unpricedModels.map((model) => sanitizeForDisplay(model)).join(", ")} (add prices in trajlab.config.ts)`,
    );
  }
  return parts.join(", ");
}

/**
 * Trials that did not complete, grouped by reason with their first messages,
 * so a run where every call failed (a bad key, a server down) says why.
 * Counted one trajectory at a time: it keeps a count per message.
 */
export class TerminationReport {
  private trials = 0;
  private unfinished = 0;
  private readonly byMessage = new Map<string, number>();

  add(trajectory: Trajectory): void {
    this.trials += 1;
    if (trajectory.termination.reason === "completed") return;
    this.unfinished += 1;
    const key = `${trajectory.termination.reason}: ${sanitizeForDisplay(trajectory.termination.message ?? "", { maxLength: 200 }).trim()}`;
    this.byMessage.set(key, (this.byMessage.get(key) ?? 0) + 1);
  }

  /** The warning's lines; none when every trial completed. */
  lines(): string[] {
    if (this.unfinished === 0) return [];
    const lines = [`warning: ${this.unfinished} of ${this.trials} trial(s) did not complete:`];
    for (const [message, count] of [...this.byMessage].slice(0, 5)) lines.push(`  ${count} × ${message}`);
    if (this.byMessage.size > 5) lines.push(`  ... and ${this.byMessage.size - 5} other message(s); see termination in trajectories.jsonl`);
    return lines;
  }
}
