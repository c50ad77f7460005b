import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { trajlab } from "../support/cli.js";
import { projectWith } from "../support/project.js";
import { tauRun, tauRunCutShort } from "../harness/import/fixtures.js";

let cwd: string;

const grades = async (run: string) =>
  (await readFile(join(cwd, "runs", run, "grades.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

beforeAll(async () => {
  cwd = await projectWith({});
  await writeFile(join(cwd, "runs.json"), JSON.stringify([tauRun(1, 0, 1), tauRun(1, 1, 0), tauRunCutShort(2, 0)]));
  const imported = await trajlab(["import", "tau-bench", "runs.json", "--run-id", "shop"], { cwd });
  expect(imported.code).toBe(0);
}, 60_000);

describe("graders that do not apply", () => {
  it("are recorded without a score, and the summary and report say so and why instead of counting a pass", async () => {
    const undone = (await grades("shop")).filter((grade) => grade.grader === "undone-writes");
    expect(undone).toHaveLength(3);
    for (const grade of undone) expect(grade).toMatchObject({ score: null, pass: null, applicable: false, steps: [] });
    const summary = JSON.parse(await readFile(join(cwd, "runs", "shop", "summary.json"), "utf8"));
    expect(summary.notApplicable).toEqual([
      {
        grader: "undone-writes",
        trajectories: 3,
        graded: 0,
        reasons: [{ reason: "needs the scenario's tools to apply the calls again, and the scenario is not loaded", trajectories: 3 }],
      },
    ]);
    const report = await trajlab(["report", "shop"], { cwd });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(
      "not applicable: undone-writes on 3 of 3 trajectories (needs the scenario's tools to apply the calls again, and the scenario is not loaded), left out of its rates",
    );
    const json = JSON.parse((await trajlab(["report", "shop", "--json"], { cwd })).stdout);
    expect(json.notApplicable.map((entry: { grader: string }) => entry.grader)).toEqual(["undone-writes"]);
  });
});

describe("trajlab grade --rule", () => {
  it("checks a built-in policy rule on every trajectory, labelling the writes made without the user's yes", async () => {
    const result = await trajlab(["grade", "shop", "--rule", "unconfirmed_write"], { cwd });
    expect(result.code).toBe(0);
    const rules = (await grades("shop")).filter((grade) => grade.grader === "rules");
    expect(rules).toHaveLength(3);
    // Each full conversation cancels twice without having asked; the cut-short one ends before the user says
    // anything more than the request, so there was nobody to ask: not applicable.
    expect(rules.map((grade) => [grade.pass, grade.steps.map((step: { label: string }) => step.label)])).toEqual([
      [false, ["unconfirmed_write", "unconfirmed_write"]],
      [false, ["unconfirmed_write", "unconfirmed_write"]],
      [null, []],
    ]);
    expect(result.stdout).toContain("not applicable: rules on 1 of 3 trajectories (unconfirmed_write: no user turn after the request");
    expect(rules[0].labels.unconfirmed_write).toMatchObject({ flagged: true, verdict: "harmful" });
    // Without --rule no rule is declared for these trajectories: no rules grade, and nothing called not applicable.
    await trajlab(["grade", "shop"], { cwd });
    expect((await grades("shop")).some((grade) => grade.grader === "rules")).toBe(false);
  });

  it("checks a rule trajlab.config.ts defines, and refuses an unknown one naming the rules there are", async () => {
    await writeFile(
      join(cwd, "trajlab.config.ts"),
      `import { defineConfig, defineRule } from "trajlab";
const noThink = defineRule({
  id: "no_think",
  description: "tools that only record a thought are not to be used",
  check: (t) => t.events.filter((e) => e.kind === "tool_call" && e.name === "think").map((e) => ({ eventId: e.id, reason: "a think call" })),
});
export default defineConfig({ rules: [noThink] });
`,
    );
    const result = await trajlab(["grade", "shop", "--rule", "no_think"], { cwd });
    expect(result.stderr).not.toContain("trajlab:");
    expect(result.code).toBe(0);
    const rules = (await grades("shop")).filter((grade) => grade.grader === "rules");
    expect(rules.map((grade) => grade.steps.map((step: { label: string }) => step.label))).toEqual([["no_think"], ["no_think"], []]);
    const unknown = await trajlab(["grade", "shop", "--rule", "nope"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--rule nope: no such policy rule");
    expect(unknown.stderr).toContain("rules: unconfirmed_write, no_think");
  });
});
