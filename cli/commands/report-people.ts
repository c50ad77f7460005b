import type { Grade, TrajectoryFacts } from "../../harness/index.js";
import type { RunDirectory } from "../../harness/core.js";
import { humanReport, readJudgements, readRoles, type HumanReport } from "../../reviews/index.js";
import { formatTable } from "../format.js";

/**
 * The people's part of a run's report, from its reviewers' files (null when
 * nobody reviewed it). The grades are read again, one at a time: those of the
 * trajectories a reviewer judged are kept whole; of the others, only the
 * first grade of each grader and of each label it gives, which is all the
 * people's part reads of them (which graders and labels there are, and what
 * the labels mean).
 */
export async function peopleOf(run: RunDirectory, trajectories: readonly TrajectoryFacts[]): Promise<HumanReport | null> {
  const { adjudicators } = await readRoles(run);
  const judgements = await readJudgements([run], { adjudicators: new Set(adjudicators) });
  if (judgements.length === 0) return null;
  const byId = new Map(trajectories.map((t) => [t.id, t]));
  const judged = new Set(judgements.map((judgement) => judgement.trajectoryId));
  const seen = new Set<string>();
  const grades: Grade[] = [];
  for await (const grade of run.streamGrades()) {
    if (!byId.has(grade.trajectoryId)) continue;
    const keys = [grade.grader, ...grade.steps.map((step) => `${grade.grader}\u0000${step.label}`)];
    const first = keys.filter((key) => !seen.has(key));
    for (const key of first) seen.add(key);
    if (judged.has(grade.trajectoryId) || first.length > 0) grades.push(grade);
  }
  return humanReport(
    judgements,
    grades,
    trajectories.map((t) => t.id),
    (id) => byId.get(id)?.passed ?? null,
  );
}

const percent = (value: number | null): string => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);
const figure = (value: number | null): string => (value === null ? "n/a" : value.toFixed(2));

/** The people's part as text: reviewed counts, verdicts, success by the reviews' verdict, the graders against them. */
export function renderPeople(people: HumanReport): string {
  const t = people.trajectories;
  const verdicts = Object.entries(people.verdicts)
    .sort(([, a], [, b]) => b - a)
    .map(([verdict, n]) => `${verdict} ${n}`)
    .join(", ");
  const s = people.success;
  const byVerdict = s.byVerdict.map(
    (g) =>
      `the outcome check passed ${g.automaticPass} of the ${g.trajectories} the reviews ${g.verdict === "pass" ? "passed" : g.verdict === "fail" ? "failed" : `judged ${g.verdict}`}`,
  );
  const lines = [
    `people: ${people.reviewers.join(", ")}${people.adjudicators.length > 0 ? `; adjudicated by ${people.adjudicators.join(", ")}` : ""}`,
    `  reviewed: ${t.planJudged} of ${t.total} trajectories signed off (plan judged), ${t.judged} with any judgement; ${people.steps.judged} steps judged${people.steps.disputed > 0 ? `, ${people.steps.disputed} disputed` : ""}`,
    verdicts ? `  step verdicts: ${verdicts}` : "",
    s.reviewed > 0
      ? `  success on the ${s.reviewed} reviewed: outcome check ${percent(s.automatic)}, reviews ${percent(s.human)}; ${byVerdict.join("; ")}`
      : "",
  ].filter(Boolean);
  if (people.byLabel.length > 0) {
    const columns = [...new Set(people.byLabel.flatMap((row) => Object.keys(row.verdicts)))].sort();
    const scores = new Map(people.graders.map((g) => [`${g.grader}\u0000${g.label}`, g]));
    const rows = people.byLabel.map((row) => {
      const score = scores.get(`${row.grader}\u0000${row.label}`);
      return [
        row.grader,
        row.label,
        String(row.steps),
        ...columns.map((verdict) => String(row.verdicts[verdict] ?? 0)),
        score?.standsFor ? `${percent(score.precision)} / ${percent(score.recall)} / ${figure(score.kappa)}` : "-",
      ];
    });
    lines.push(
      "",
      "the reviews' verdicts on the steps each grader label was put on (precision / recall / κ against the verdict the label stands for)",
      formatTable(
        [["grader", "label", "reviewed", ...columns, "agreement"], ...rows],
        ["left", "left", "right", ...columns.map(() => "right" as const), "right"],
      ),
    );
  }
  return lines.join("\n");
}
