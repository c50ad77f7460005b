import { beforeAll, describe, expect, it } from "vitest";
import { writeExportRun } from "../reviews/export/fixture.js";
import { standardRun, tempRunsDir } from "../reviews/fixtures.js";
import { trajlab } from "../support/cli.js";

let runsDir: string;
const run = (args: string[]) => trajlab(args, { cwd: runsDir, env: { TRAJLAB_RUNS_DIR: runsDir } });

beforeAll(async () => {
  runsDir = await tempRunsDir();
  await writeExportRun(runsDir);
}, 60_000);

describe("trajlab report with reviews", () => {
  it("adds what the reviewers said beside the automatic figures", async () => {
    const json = await run(["report", "run-x", "--json"]);
    expect(json.code).toBe(0);
    const { people } = JSON.parse(json.stdout);
    // Four of five trajectories reviewed (tr-unreviewed is not); tr-waste e6 is settled by lead.
    expect(people).toMatchObject({
      reviewers: ["ana", "bo"],
      adjudicators: ["lead"],
      trajectories: { total: 5, judged: 4, planJudged: 4 },
      steps: { judged: 11, disputed: 0 },
      verdicts: { correct: 9, skippable: 1, wrong_args: 1 },
    });
    // tr-wrong failed both the outcome check and the reviews.
    expect(people.success).toEqual({
      reviewed: 4,
      automatic: 0.75,
      human: 0.75,
      byVerdict: [
        { verdict: "pass", trajectories: 3, automaticPass: 3 },
        { verdict: "fail", trajectories: 1, automaticPass: 0 },
      ],
    });
    expect(people.byLabel).toEqual([{ grader: "repeated-calls", label: "skippable", steps: 1, verdicts: { skippable: 1 } }]);
    expect(people.graders).toEqual([
      { grader: "repeated-calls", label: "skippable", standsFor: "skippable", labelled: 1, precision: 1, recall: 1, kappa: 1 },
    ]);
    const text = await run(["report", "run-x"]);
    expect(text.stdout).toContain("people: ana, bo; adjudicated by lead");
    expect(text.stdout).toContain("reviewed: 4 of 5 trajectories signed off (plan judged), 4 with any judgement; 11 steps judged");
    expect(text.stdout).toContain("step verdicts: correct 9, skippable 1, wrong_args 1");
    expect(text.stdout).toContain(
      "success on the 4 reviewed: outcome check 75.0%, reviews 75.0%; the outcome check passed 3 of the 3 the reviews passed; the outcome check passed 0 of the 1 the reviews failed",
    );
    expect(text.stdout).toMatch(/repeated-calls\s+skippable\s+1\s+1\s+100\.0% \/ 100\.0% \/ 1\.00/);
  });

  it("says nothing about people in a run nobody reviewed", async () => {
    const dir = await tempRunsDir();
    await standardRun(dir, "quiet");
    const result = await trajlab(["report", "quiet", "--json"], { cwd: dir, env: { TRAJLAB_RUNS_DIR: dir } });
    expect(JSON.parse(result.stdout).people).toBeNull();
    const text = await trajlab(["report", "quiet"], { cwd: dir, env: { TRAJLAB_RUNS_DIR: dir } });
    expect(text.stdout).not.toContain("people:");
  });
});
