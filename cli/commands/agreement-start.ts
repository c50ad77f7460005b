/**
 * What `trajlab agreement` does once its arguments are read. Kept apart from the
 * command's registration (agreement.ts) so that `trajlab agreement --help` loads none of it.
 */
import { runsDirectory, sanitizeForDisplay } from "../../harness/core.js";
import {
  agreementReport,
  readRoles,
  type AgreementReport,
  type BinaryAgreement,
  type GraderAgreement,
  type Interval,
  type MeasureAgreement,
} from "../../reviews/index.js";
import { formatTable } from "../format.js";
import { printJson, printNote, printText } from "../output.js";
import { openRuns } from "./review-args.js";

export interface AgreementOptions {
  runsDir?: string;
  reviewers?: string[];
  seed: number;
  samples: number;
  disagreements: number;
  json?: boolean;
}

/** Runs `trajlab agreement` with its arguments and options. */
export async function agreementCommand(runArgs: string[], options: AgreementOptions): Promise<void> {
  const runs = await openRuns(runsDirectory(options.runsDir), runArgs);
  const roles = await Promise.all(runs.map((run) => readRoles(run)));
  const report = await agreementReport(runs, {
    reviewers: options.reviewers ? new Set(options.reviewers) : undefined,
    adjudicators: new Set(roles.flatMap((role) => role.adjudicators)),
    bootstrap: { seed: options.seed, samples: options.samples },
    onWarning: (warning) => printNote(`warning: ${warning.file}: ${warning.message}`),
  });
  if (options.json) printJson(report);
  else printText(`${renderAgreement(report, options.disagreements)}\n`);
}

const figure = (value: number | null): string => (value === null ? "n/a" : value.toFixed(2));
const share = (value: number | null): string => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);
const interval = (value: Interval | null): string => (value === null ? "" : ` [${figure(value.low)}, ${figure(value.high)}]`);

/** The report as text: one block per kind of judgement, then the graders, then the disagreements to read. */
export function renderAgreement(report: AgreementReport, disagreements: number): string {
  const lines = [
    `agreement in ${report.runs.join(", ")}: reviewers ${report.reviewers.join(", ") || "none"}${report.adjudicators.length > 0 ? `; adjudicators ${report.adjudicators.join(", ")}` : ""}`,
    `intervals: ${report.bootstrap.level * 100}% percentile bootstrap over targets, ${report.bootstrap.samples} resamples, seed ${report.bootstrap.seed}`,
  ];
  if (report.measures.length === 0) lines.push("", "no reviews yet: grade with trajlab review --reviewer <name>");
  for (const measure of report.measures) lines.push("", ...measureBlock(measure));
  if (report.graders.length > 0) lines.push("", ...graderBlock(report, disagreements));
  // Reasons and notes are model and reviewer text: every line is made safe for the terminal.
  return lines
    .flatMap((line) => line.split("\n"))
    .map((line) => sanitizeForDisplay(line))
    .join("\n");
}

function measureBlock(measure: MeasureAgreement): string[] {
  const ordinal = measure.level !== "nominal";
  const header = [
    `${measure.title} (${measure.level}): ${measure.targets} target(s), ${measure.pairable} judged by two or more reviewers`,
    `${measure.disputed} disputed, ${measure.settled} settled`,
  ].join("; ");
  if (measure.pairable === 0) return [header, "  no target has two reviewers' values yet: nothing to compare"];
  const rows = [
    ["reviewers", "targets", "agreement", "κ", ...(ordinal ? ["weighted κ"] : []), `α ${measure.level}`],
    [
      "all",
      String(measure.pairable),
      share(measure.agreement),
      "",
      ...(ordinal ? [""] : []),
      `${figure(measure.alpha)}${interval(measure.alphaInterval)}${ordinal ? ` (nominal ${figure(measure.nominalAlpha)})` : ""}`,
    ],
    ...measure.pairs.map((pair) => [
      pair.reviewers.join(" · "),
      String(pair.units),
      share(pair.agreement),
      `${figure(pair.kappa)}${interval(pair.kappaInterval)}`,
      ...(ordinal ? [figure(pair.weightedKappa)] : []),
      figure(pair.alpha),
    ]),
  ];
  const lines = [header, indent(formatTable(rows, ["left", "right", "right", "right", "right", "right"]))];
  for (const pair of measure.pairs) {
    const used = measure.categories.map((_, i) => pair.confusion[i]!.some(Boolean) || pair.confusion.some((row) => row[i]! > 0));
    const shown = measure.categories.filter((_, i) => used[i]);
    const index = measure.categories.map((_, i) => i).filter((i) => used[i]);
    lines.push(
      `  ${pair.reviewers[0]} (rows) × ${pair.reviewers[1]} (columns):`,
      indent(
        formatTable(
          [["", ...shown], ...index.map((i) => [measure.categories[i]!, ...index.map((j) => String(pair.confusion[i]![j]))])],
          ["left", ...shown.map(() => "right" as const)],
        ),
        4,
      ),
    );
  }
  return lines;
}

function scores(agreement: BinaryAgreement): string[] {
  return [
    String(agreement.truePositives + agreement.falsePositives),
    share(agreement.precision),
    share(agreement.recall),
    `${figure(agreement.kappa)}${interval(agreement.kappaInterval)}`,
  ];
}

function graderBlock(report: AgreementReport, disagreements: number): string[] {
  const labelRows: string[][] = [["grader", "label", "stands for", "steps", "labelled", "precision", "recall", "κ"]];
  const planRows: string[][] = [["grader", "plans", "fail: precision", "recall", "κ", "score α (interval)"]];
  for (const grader of report.graders) {
    for (const label of grader.labels) {
      const [labelled, precision, recall, kappa] = scores(label);
      labelRows.push([
        grader.grader,
        label.label,
        label.standsFor ?? (label.flagged ? "(a flag)" : "(information)"),
        String(grader.steps),
        label.unreviewed > 0 ? `${labelled} (+${label.unreviewed} unreviewed)` : labelled!,
        precision!,
        recall!,
        kappa!,
      ]);
    }
    if (grader.labels.some((label) => label.standsFor !== null))
      labelRows.push([grader.grader, "(any flag)", "not correct", String(grader.steps), ...scores(grader.flags)]);
    if (grader.plan.units > 0) {
      planRows.push([
        grader.grader,
        String(grader.plan.units),
        share(grader.plan.precision),
        share(grader.plan.recall),
        `${figure(grader.plan.kappa)}${interval(grader.plan.kappaInterval)}`,
        grader.score.units > 0 ? `${figure(grader.score.alpha)}${interval(grader.score.alphaInterval)}` : "n/a",
      ]);
    }
  }
  const lines = [`graders against the reviews (each step's settled value; ${report.disputedSteps} disputed step(s) left out)`];
  if (labelRows.length > 1)
    lines.push(indent(formatTable(labelRows, ["left", "left", "left", "right", "right", "right", "right", "right"])));
  else lines.push("  no grader labelled a reviewed step");
  if (planRows.length > 1) {
    lines.push(
      "",
      "pass/fail against the reviews' plan verdicts, score against their ratings",
      indent(formatTable(planRows, ["left", "right", "right", "right", "right", "right"])),
    );
  }
  const listed = report.graders.filter((grader) => grader.disagreements.length > 0);
  if (disagreements > 0 && listed.length > 0) {
    lines.push("", `where graders and reviews differ (at most ${disagreements} per grader; --json lists all)`);
    for (const grader of listed) lines.push(...disagreementLines(grader, disagreements));
  }
  return lines;
}

function disagreementLines(grader: GraderAgreement, limit: number): string[] {
  const lines = grader.disagreements.slice(0, limit).map((d) => {
    const said =
      d.kind === "false-positive"
        ? `labelled ${d.labels.map((l) => `${l.label} (${clip(l.reason)})`).join(", ")}; reviews say ${d.verdict}`
        : `reviews say ${d.verdict}, no label for it${d.labels.length > 0 ? ` (labelled ${d.labels.map((l) => l.label).join(", ")})` : ""}`;
    const notes = d.reviews.filter((r) => r.note).map((r) => `${r.reviewer}: "${clip(r.note!)}"`);
    return `  ${grader.grader} · ${d.trajectoryId} ${d.eventId} (${d.scenarioId}): ${said}${notes.length > 0 ? ` — ${notes.join("; ")}` : ""}`;
  });
  const more = grader.disagreements.length - limit;
  return more > 0 ? [...lines, `  ${grader.grader}: ${more} more`] : lines;
}

function clip(text: string, width = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function indent(text: string, by = 2): string {
  return text
    .split("\n")
    .map((line) => " ".repeat(by) + line)
    .join("\n");
}
