/**
 * How far the built-in graders agree with people on real trajectories: the
 * τ-bench airline GPT-4o file, imported with `trajlab import tau-bench`,
 * graded with `trajlab grade` (once with τ-bench's gold actions as the
 * reference plan, once without), scored against per-call labels by
 * `agreementReport`, the computation `trajlab agreement` prints.
 *
 *   npx tsx bench/tau-bench-graders.ts [--data <file.json>] [--labels <labels.jsonl>] [--keep <dir>] [--json]
 *
 * The labels file (`dev-labels.jsonl`: `{ task_id, trial, call, label, kind, reasons }` per tool
 * call) becomes a reviewer file, `reviews/labels.jsonl`, of each run: `necessary` → correct,
 * `skippable` → skippable, `wrong` → harmful; `reasoning` and `disputed` calls are left out, as
 * the labels' README says. Labels join to events by the trajectory's source task id and trial and
 * the event's call position (`origin.call`). Printed, for each run: every grader label against the
 * verdict it stands for (precision, recall, κ), all graders together as one skippable flag (a call
 * any definite label declared `skippable` falls on), that flag's recall per kind of skippable call,
 * the confusion, the report's skippable rate (over the labelled trajectories, and over the whole
 * run) beside the labelled rate, the policy rule `unconfirmed_write` against the writes labelled
 * wrong, and the disagreements.
 *
 * What it leaves out: timing (this is a measurement, not a speed benchmark), the opt-in graders
 * (replay needs the scenario, the judge a model), and trajectories without labels (they are graded
 * and counted in the report's rate over the whole run, not scored).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildReport,
  labelMeaning,
  openRun,
  type Grade,
  type LabelMeaning,
  type RunDirectory,
  type StepLabel,
  type Trajectory,
} from "../harness/index.js";
import {
  REVIEW_SCHEMA_VERSION,
  ReviewFile,
  agreementReport,
  graderAgreement,
  readJudgements,
  type GraderAgreement,
  type ReviewRecord,
  type StepVerdict,
} from "../reviews/index.js";

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../bin/trajlab.js");

/** One line of the labels file. */
interface CallLabel {
  readonly task_id: number | string;
  readonly trial: number;
  readonly call: number;
  readonly tool: string;
  readonly label: "necessary" | "skippable" | "wrong" | "reasoning" | "disputed";
  readonly kind: string | null;
  readonly reasons: readonly string[];
}

/** The review verdict each scorable label stands for; the others are left out of scoring. */
const VERDICTS: Partial<Record<CallLabel["label"], StepVerdict>> = { necessary: "correct", skippable: "skippable", wrong: "harmful" };
const REVIEWER = "labels";
/** The labels carry no time; every record gets this one, so the reviewer file is the same on every run. */
const LABELLED_AT = "2026-01-01T00:00:00.000Z";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

function trajlab(args: readonly string[]): string {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`trajlab ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

const keyOf = (taskId: unknown, trial: unknown, call: unknown): string => `${String(taskId)}/${String(trial)}/${String(call)}`;

/** The reviewer records the labels make for one run, and how many labels found no event. */
function reviewRecords(
  run: RunDirectory,
  trajectories: readonly Trajectory[],
  labels: readonly CallLabel[],
): { records: ReviewRecord[]; unjoined: number } {
  const byKey = new Map(labels.map((label) => [keyOf(label.task_id, label.trial, label.call), label]));
  const records: ReviewRecord[] = [];
  const joined = new Set<string>();
  for (const trajectory of trajectories) {
    const metadata = trajectory.provenance?.metadata ?? {};
    for (const event of trajectory.events) {
      if (event.kind !== "tool_call" || event.origin?.call === undefined) continue;
      const key = keyOf(metadata.task_id, metadata.trial, event.origin.call);
      const label = byKey.get(key);
      if (!label) continue;
      joined.add(key);
      const verdict = VERDICTS[label.label];
      if (!verdict) continue;
      records.push({
        schemaVersion: REVIEW_SCHEMA_VERSION,
        reviewer: REVIEWER,
        at: LABELLED_AT,
        batch: `labels-${records.length + 1}`,
        runId: run.id,
        trajectoryId: trajectory.id,
        scenarioId: trajectory.scenarioId,
        target: { kind: "step", eventId: event.id },
        verdict,
        labels: label.kind ? [`kind:${label.kind}`] : [],
        score: null,
        rating: null,
        note: label.reasons[0] ?? null,
        shouldHaveCalled: null,
        skippable: [],
        missing: [],
        cleared: false,
        undoes: null,
        activeSeconds: null,
      });
    }
  }
  return { records, unjoined: labels.length - joined.size };
}

/**
 * All graders of each trajectory as one: every definite label, named
 * `<grader>:<label>` with its meaning, so that agreement can score "any
 * grader calls this call skippable" by the verdict the labels stand for.
 */
function allGradersAsOne(grades: readonly Grade[]): Grade[] {
  const byTrajectory = new Map<string, Grade[]>();
  for (const grade of grades) byTrajectory.set(grade.trajectoryId, [...(byTrajectory.get(grade.trajectoryId) ?? []), grade]);
  return [...byTrajectory].map(([trajectoryId, list]) => {
    const steps: StepLabel[] = [];
    const labels: Record<string, LabelMeaning> = {};
    for (const grade of list) {
      for (const step of grade.steps) {
        const meaning = labelMeaning(grade, step.label);
        if (step.certainty === "candidate" || !meaning?.flagged) continue;
        const name = `${grade.grader}:${step.label}`;
        labels[name] = meaning;
        steps.push({ ...step, label: name });
      }
    }
    return { grader: "all graders", trajectoryId, score: 1, pass: true, comment: "", steps, labels };
  });
}

interface RunFigures {
  readonly run: string;
  readonly perLabel: readonly GraderAgreement[];
  readonly combined: GraderAgreement | undefined;
  readonly kinds: Record<string, { labelled: number; flagged: number }>;
  readonly report: { skippableRate: number; skippableCalls: number; candidateSkippableCalls: number; toolCalls: number };
  /** The report's figures over the labelled trajectories alone: the same calls the labels cover. */
  readonly labelledReport: { skippableRate: number; skippableCalls: number; candidateSkippableCalls: number; toolCalls: number };
  readonly labelled: { skippable: number; scorable: number; calls: number; flaggedSkippableOfLabelled: number };
  /** The policy rule against the writes the labels call wrong: definite labels, and definite with candidates. */
  readonly rule: { writes: number; wrong: number; definite: Tally; withCandidates: Tally } | null;
}

/** Labelled writes a rule flagged (right: labelled wrong) and the wrong ones it did not. */
interface Tally {
  readonly flagged: number;
  readonly right: number;
}

const RULE_GRADER = "rules";

/** The rule's labels on the labelled writes, against the ones labelled wrong. */
function ruleFigures(trajectories: readonly Trajectory[], grades: readonly Grade[], labels: readonly CallLabel[]): RunFigures["rule"] {
  const byKey = new Map(labels.map((label) => [keyOf(label.task_id, label.trial, label.call), label]));
  const flags = new Map<string, StepLabel>();
  for (const grade of grades)
    if (grade.grader === RULE_GRADER) for (const step of grade.steps) flags.set(`${grade.trajectoryId}#${step.eventId}`, step);
  if (flags.size === 0) return null;
  let writes = 0;
  let wrong = 0;
  const definite = { flagged: 0, right: 0 };
  const withCandidates = { flagged: 0, right: 0 };
  for (const trajectory of trajectories) {
    const metadata = trajectory.provenance?.metadata ?? {};
    for (const event of trajectory.events) {
      if (event.kind !== "tool_call" || event.effect !== "write") continue;
      const label = byKey.get(keyOf(metadata.task_id, metadata.trial, event.origin?.call));
      if (!label || VERDICTS[label.label] === undefined) continue;
      writes += 1;
      const isWrong = label.label === "wrong";
      if (isWrong) wrong += 1;
      const flag = flags.get(`${trajectory.id}#${event.id}`);
      if (!flag) continue;
      withCandidates.flagged += 1;
      if (isWrong) withCandidates.right += 1;
      if (flag.certainty === "candidate") continue;
      definite.flagged += 1;
      if (isWrong) definite.right += 1;
    }
  }
  return { writes, wrong, definite, withCandidates };
}

async function measure(run: RunDirectory, labels: readonly CallLabel[]): Promise<RunFigures> {
  const trajectories = await run.readTrajectories();
  const { records, unjoined } = reviewRecords(run, trajectories, labels);
  if (unjoined > 0) throw new Error(`${unjoined} label(s) found no tool call in ${run.id}: is the file the one the labels were made on?`);
  rmSync(ReviewFile.pathFor(run, REVIEWER), { force: true });
  const file = await ReviewFile.open(run, REVIEWER, { lock: false });
  await file.append(records);
  await file.close();

  const bootstrap = { seed: 0, samples: 200 };
  const perLabel = (await agreementReport([run], { bootstrap })).graders;
  const judgements = await readJudgements([run]);
  const grades = await run.readGrades();
  const [combined] = graderAgreement(judgements, allGradersAsOne(grades), { bootstrap }).graders;
  // Recall of the combined skippable flag per kind of skippable call the labels name.
  const flaggedSkippable = new Set<string>();
  for (const grade of allGradersAsOne(grades))
    for (const step of grade.steps)
      if (grade.labels?.[step.label]?.skippable) flaggedSkippable.add(`${grade.trajectoryId}#${step.eventId}`);
  const kinds: Record<string, { labelled: number; flagged: number }> = {};
  for (const record of records) {
    if (record.verdict !== "skippable" || record.target.kind !== "step") continue;
    const kind = record.labels.find((tag) => tag.startsWith("kind:"))?.slice(5) ?? "(none)";
    kinds[kind] ??= { labelled: 0, flagged: 0 };
    kinds[kind].labelled += 1;
    if (flaggedSkippable.has(`${record.trajectoryId}#${record.target.eventId}`)) kinds[kind].flagged += 1;
  }
  const overall = JSON.parse(trajlab(["report", run.path, "--json"])).overall;
  // The same report over the trajectories the labels cover, for a rate computed on the same calls.
  const labelledIds = new Set(records.map((record) => record.trajectoryId));
  const covered = trajectories.filter((trajectory) => labelledIds.has(trajectory.id));
  const coveredReport = buildReport(
    run.id,
    covered,
    grades.filter((grade) => labelledIds.has(grade.trajectoryId)),
  ).overall;
  const skippable = labels.filter((label) => label.label === "skippable").length;
  const scorable = labels.filter((label) => VERDICTS[label.label] !== undefined).length;
  return {
    run: run.id,
    perLabel,
    combined,
    kinds,
    report: {
      skippableRate: overall.skippableRate,
      skippableCalls: overall.skippableCalls,
      candidateSkippableCalls: overall.candidateSkippableCalls,
      toolCalls: overall.toolCalls,
    },
    labelledReport: {
      skippableRate: coveredReport.skippableRate,
      skippableCalls: coveredReport.skippableCalls,
      candidateSkippableCalls: coveredReport.candidateSkippableCalls,
      toolCalls: coveredReport.toolCalls,
    },
    rule: ruleFigures(trajectories, grades, labels),
    labelled: {
      skippable,
      scorable,
      calls: labels.length,
      flaggedSkippableOfLabelled: Object.values(kinds).reduce((n, k) => n + k.flagged, 0),
    },
  };
}

const share = (value: number | null | undefined): string => (value === null || value === undefined ? "n/a" : value.toFixed(2));
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function render(figures: RunFigures): string {
  const lines = [`== ${figures.run}`];
  const combined = figures.combined;
  const skip = combined?.verdicts.find((verdict) => verdict.verdict === "skippable");
  if (skip) {
    lines.push(
      `skippable (any grader, definite labels): precision ${share(skip.precision)}, recall ${share(skip.recall)}, κ ${share(skip.kappa)}; ` +
        `${skip.truePositives} right, ${skip.falsePositives} wrong, ${skip.falseNegatives} missed of ${skip.units} scorable calls`,
    );
  }
  const rate = figures.labelled.skippable / figures.labelled.scorable;
  lines.push(
    `flagged skippable on the labelled calls: ${percent(((skip?.truePositives ?? 0) + (skip?.falsePositives ?? 0)) / figures.labelled.scorable)}; labelled: ${percent(rate)} (${figures.labelled.skippable}/${figures.labelled.scorable})`,
    `trajlab report, labelled trajectories: ${figures.labelledReport.skippableCalls} skippable of ${figures.labelledReport.toolCalls} tool calls (${percent(figures.labelledReport.skippableRate)}); labelled: ${figures.labelled.skippable} of the same ${figures.labelled.calls} (${percent(figures.labelled.skippable / figures.labelled.calls)}); ${figures.labelledReport.candidateSkippableCalls} more candidate(s) not counted`,
    `trajlab report, whole run: ${figures.report.skippableCalls} skippable of ${figures.report.toolCalls} tool calls (${percent(figures.report.skippableRate)}), ${figures.report.candidateSkippableCalls} more candidate(s) not counted`,
    `recall by kind of skippable call: ${Object.entries(figures.kinds)
      .map(([kind, k]) => `${kind} ${k.flagged}/${k.labelled}`)
      .join(", ")}`,
  );
  const rule = figures.rule;
  if (rule) {
    const tally = (t: Tally): string =>
      `precision ${share(t.flagged ? t.right / t.flagged : null)} (${t.right}/${t.flagged}), recall ${share(rule.wrong ? t.right / rule.wrong : null)} (${t.right}/${rule.wrong})`;
    lines.push(
      `rules (unconfirmed_write) on the ${rule.writes} labelled writes, against the ${rule.wrong} labelled wrong: definite ${tally(rule.definite)}; with candidates ${tally(rule.withCandidates)}`,
    );
  }
  const harm = combined?.verdicts.find((verdict) => verdict.verdict === "harmful");
  if (harm) lines.push(`harmful (any grader): precision ${share(harm.precision)}, recall ${share(harm.recall)}, κ ${share(harm.kappa)}`);
  lines.push("", "grader · label                         stands for   labelled  precision  recall     κ");
  for (const grader of figures.perLabel) {
    for (const label of grader.labels) {
      lines.push(
        `${`${grader.grader} · ${label.label}`.padEnd(38)} ${(label.standsFor ?? "(info)").padEnd(12)} ${String(label.labelled).padStart(8)}  ${share(label.precision).padStart(9)}  ${share(label.recall).padStart(6)}  ${share(label.kappa).padStart(5)}`,
      );
    }
  }
  if (combined) {
    lines.push("", "confusion (all graders' definite labels × labelled verdict):");
    const { rows, columns, counts } = combined.confusion;
    lines.push(`  ${"".padEnd(36)} ${columns.map((c) => c.padStart(10)).join("")}`);
    rows.forEach((row, i) => lines.push(`  ${row.padEnd(36)} ${counts[i]!.map((n) => String(n).padStart(10)).join("")}`));
    lines.push("", "disagreements on skippable:");
    const onSkippable = combined.disagreements.filter((d) => (d.kind === "false-positive" ? d.expected : d.verdict) === "skippable");
    if (onSkippable.length === 0) lines.push("  none");
    for (const d of onSkippable) {
      const said = d.kind === "false-positive" ? `flagged ${d.labels.map((l) => l.label).join(", ")}` : "missed";
      lines.push(
        `  ${d.kind === "false-positive" ? "FP" : "FN"} ${d.trajectoryId} ${d.eventId}: ${said}; labelled ${d.verdict}: ${d.reviews[0]?.note ?? ""}`,
      );
    }
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const data = resolve(option("--data") ?? "../shared/data/tau-bench/gpt-4o-airline.json");
  const labelsFile = resolve(option("--labels") ?? join(dirname(data), "dev-labels.jsonl"));
  if (!existsSync(data) || !existsSync(labelsFile)) {
    console.log(`skipped: no τ-bench data at ${data} (or labels at ${labelsFile}); pass --data and --labels`);
    return;
  }
  const labels: CallLabel[] = readFileSync(labelsFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CallLabel);
  const runsDir = option("--keep") ?? mkdtempSync(join(tmpdir(), "trajlab-tau-bench-"));
  const started = performance.now();
  try {
    for (const id of ["with-reference", "without-reference"]) {
      rmSync(join(runsDir, id), { recursive: true, force: true });
      trajlab(["import", "tau-bench", data, "--runs-dir", runsDir, "--run-id", id, "--domain", "airline", "--model", "gpt-4o", "--json"]);
    }
    // Without a reference: the same trajectories with τ-bench's gold actions taken away, graded again.
    const bare = join(runsDir, "without-reference", "trajectories.jsonl");
    const lines = readFileSync(bare, "utf8").split("\n").filter(Boolean);
    writeFileSync(bare, lines.map((line) => `${JSON.stringify({ ...JSON.parse(line), reference: null })}\n`).join(""));
    // The airline's policy asks for the user's yes before every write: the built-in rule that checks it.
    for (const id of ["without-reference", "with-reference"])
      trajlab(["grade", join(runsDir, id), "--rule", "unconfirmed_write", "--json"]);
    const results: RunFigures[] = [];
    for (const id of ["without-reference", "with-reference"]) results.push(await measure(await openRun(runsDir, id), labels));
    if (process.argv.includes("--json")) console.log(JSON.stringify(results, null, 2));
    else console.log(results.map(render).join("\n\n"));
    console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)}s; runs in ${runsDir}${option("--keep") ? "" : ", removed"})`);
  } finally {
    if (!option("--keep")) rmSync(runsDir, { recursive: true, force: true });
  }
}

await main();
