/**
 * What `trajlab validate-graders` does once its arguments are read. Kept apart from the
 * command's registration (validate-graders.ts) so that `trajlab validate-graders --help` loads none of it.
 */
import { type KindScore, replayGrader, runValidation, validationPolicies, type ValidationReport } from "../../harness/index.js";
import { filteredScenarios, loadCatalog } from "../catalog.js";
import { formatTable } from "../format.js";
import { EXIT_CHECK_FAILED } from "../exit-codes.js";
import type { ScenarioFilterOptions } from "../options.js";
import { printJson, printNote, printText } from "../output.js";

export interface ValidateOptions extends ScenarioFilterOptions {
  json?: boolean;
  seeds: number;
  concurrency: number;
  replay?: boolean;
  check?: boolean;
}

/** Runs `trajlab validate-graders` with its arguments and options. */
export async function validateGradersCommand(options: ValidateOptions): Promise<void> {
  const catalog = await loadCatalog();
  const scenarios = filteredScenarios(catalog.scenarios, options);
  // Replays re-run the suites' own policies, the per-kind faulty ones included.
  const replayPolicies = [
    ...catalog.policies,
    ...validationPolicies(catalog.policies).filter((p) => !catalog.policies.some((known) => known.id === p.id)),
  ];
  const extraGraders = options.replay ? [replayGrader({ agents: catalog.agents, policies: replayPolicies })] : [];
  const started = performance.now();
  const { report } = await runValidation(
    {
      scenarios,
      agents: catalog.agents,
      policies: catalog.policies,
      graders: catalog.graders,
      seeds: options.seeds,
      concurrency: options.concurrency,
      extraGraders,
    },
    (done, total) => {
      if (process.stderr.isTTY && !options.json) process.stderr.write(`\r\u001B[2K${done}/${total} trials`);
    },
  );
  if (process.stderr.isTTY && !options.json) process.stderr.write("\r\u001B[2K");
  const seconds = (performance.now() - started) / 1000;
  if (options.json) printJson(report);
  else printText(`${renderValidation(report)}\n(${seconds.toFixed(1)}s)\n`);
  const missed = report.kinds.filter((k) => k.meetsTarget === false);
  if (options.check && missed.length > 0) {
    printNote(`trajlab: grader targets not met for ${missed.map((k) => k.kind).join(", ")}`);
    process.exitCode = EXIT_CHECK_FAILED;
  }
}

/** The validation report as tables. */
export function renderValidation(report: ValidationReport): string {
  const figure = (value: number | null): string => (value === null ? "n/a" : value.toFixed(2));
  const header = [
    "fault kind",
    "label (grader)",
    "injected",
    "labelled",
    "candidates",
    "TP",
    "also true",
    "FP",
    "FN",
    "precision",
    "strict",
    "recall",
    "target",
  ];
  const rows = report.kinds.map((k: KindScore) => [
    k.kind,
    `${k.label} (${k.grader})${k.unit === "trajectory" ? " per run" : ""}`,
    String(k.truth),
    String(k.labelled),
    k.candidates.onFaults + k.candidates.elsewhere === 0 ? "" : `${k.candidates.onFaults} on faults, ${k.candidates.elsewhere} not`,
    String(k.truePositives),
    String(k.alsoTrue),
    k.falsePositivesOnOtherFaults > 0 ? `${k.falsePositives} (${k.falsePositivesOnOtherFaults} on other faults)` : String(k.falsePositives),
    String(k.falseNegatives),
    figure(k.precision),
    figure(k.strictPrecision),
    figure(k.recall),
    k.target === null ? "as measured" : `≥${k.target} ${k.meetsTarget === null ? "no data" : k.meetsTarget ? "met" : "NOT MET"}`,
  ]);
  const kinds = formatTable(
    [header, ...rows],
    ["left", "left", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "left"],
  );
  const suites = report.suites.map((suite) => `${suite.policy} ${suite.trials} trials/${suite.faults} faults`).join(", ");
  const clean = report.labels.filter((tally) => tally.onCleanRuns > 0);
  const alarms =
    clean.length === 0
      ? "no labels on fault-free runs"
      : `labels on fault-free runs (false alarms): ${clean.map((t) => `${t.label} (${t.grader}) ${t.onCleanRuns}`).join(", ")}`;
  const others = report.labels.filter((tally) => !report.kinds.some((k) => k.grader === tally.grader && k.label === tally.label));
  const measured =
    others.length === 0 ? "" : `\nother labels given: ${others.map((t) => `${t.label} (${t.grader}) ${t.total}`).join(", ")}`;
  return `${kinds}\n\n${report.trials} trials over ${report.scenarios} scenarios (${report.domains.join(", ")}), ${report.seeds} seed(s) per faulty policy\nsuites: ${suites}\n${alarms}${measured}\nunits are events, except "per run": a fault with no event of its own counts as found when its label appears in the run
only definite labels are scored (what rates count); "candidates": labels given as candidates, on this kind's faults and elsewhere
"also true": labels on another fault's events where the label's claim holds too (an unused read that was a wrong-tool attempt); precision leaves them out, strict precision counts them as wrong`;
}
