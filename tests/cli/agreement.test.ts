import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ReviewRecord } from "../../reviews/index.js";
import { planRecord, stepRecord } from "../reviews/agreement/records.js";
import { standardRun, tempRunsDir } from "../reviews/fixtures.js";
import { trajlab } from "../support/cli.js";

let runsDir: string;

const SCENARIOS: Record<string, string> = { "tr-waste-cancel": "retail.cancel-order", "tr-bad-track": "retail.track-order" };

async function writeReviews(reviewer: string, records: readonly ReviewRecord[]): Promise<void> {
  const lines = records.map((record) => `${JSON.stringify({ ...record, scenarioId: SCENARIOS[record.trajectoryId] })}\n`).join("");
  await writeFile(join(runsDir, "run-1", "reviews", `${reviewer}.jsonl`), lines);
}

beforeAll(async () => {
  runsDir = await tempRunsDir();
  await standardRun(runsDir);
  // tr-waste-cancel repeats find_customer at e6; repeated-calls labels it skippable.
  await writeReviews("ana", [
    stepRecord("ana", "tr-waste-cancel", "e4", "correct"),
    stepRecord("ana", "tr-waste-cancel", "e6", "skippable", "the same lookup as e4"),
    stepRecord("ana", "tr-waste-cancel", "e8", "correct"),
    stepRecord("ana", "tr-waste-cancel", "e10", "correct"),
    stepRecord("ana", "tr-bad-track", "e6", "correct", "\u001b[31mthe policy\u001b[0m was read \u202e"),
    planRecord("ana", "tr-waste-cancel", "pass", 4),
    planRecord("ana", "tr-bad-track", "fail", 1),
  ]);
  await writeReviews("bo", [
    stepRecord("bo", "tr-waste-cancel", "e4", "correct"),
    stepRecord("bo", "tr-waste-cancel", "e6", "skippable"),
    stepRecord("bo", "tr-waste-cancel", "e8", "correct"),
    stepRecord("bo", "tr-waste-cancel", "e10", "wrong_args"),
    stepRecord("bo", "tr-bad-track", "e6", "correct"),
    planRecord("bo", "tr-waste-cancel", "pass", 5),
    planRecord("bo", "tr-bad-track", "fail", 2),
  ]);
}, 60_000);

describe("trajlab agreement", () => {
  it("prints reviewer agreement and grader scores as JSON with the hand-worked figures", async () => {
    const result = await trajlab(["agreement", "run-1", "--json", "--samples", "200"], {
      cwd: runsDir,
      env: { TRAJLAB_RUNS_DIR: runsDir },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.reviewers).toEqual(["ana", "bo"]);
    const steps = report.measures.find((m: { measure: string }) => m.measure === "step");
    // Five steps; they differ only on e10 (correct against wrong_args).
    // ana: correct 4, skippable 1; bo: correct 3, skippable 1, wrong_args 1.
    // p_o = 4/5; p_e = (4/5)(3/5) + (1/5)(1/5) = 13/25; kappa = (20/25 - 13/25) / (12/25) = 7/12.
    expect(steps.pairs[0].kappa).toBeCloseTo(7 / 12, 10);
    expect(steps.disputed).toBe(1);
    const repeated = report.graders.find((g: { grader: string }) => g.grader === "repeated-calls");
    // Reviewed steps of graded trajectories with a settled value: e4, e6, e8 of tr-waste-cancel (e10 is disputed).
    expect(repeated.labels[0]).toMatchObject({
      label: "skippable",
      standsFor: "skippable",
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 0,
    });
    const unused = report.graders.find((g: { grader: string }) => g.grader === "unused-results");
    // Both reviewers found the policy read needed: a false positive, listed with their reason.
    expect(unused.labels[0]).toMatchObject({
      label: "unused_result",
      standsFor: "skippable",
      truePositives: 0,
      falsePositives: 1,
      precision: 0,
    });
    expect(unused.disagreements[0]).toMatchObject({
      kind: "false-positive",
      trajectoryId: "tr-bad-track",
      eventId: "e6",
      verdict: "correct",
    });
    const outcome = report.graders.find((g: { grader: string }) => g.grader === "outcome");
    expect(outcome.plan).toMatchObject({ units: 2, truePositives: 1, trueNegatives: 1, kappa: 1 });
    // Untrusted notes keep their text but reach the terminal without raw controls.
    expect(result.stdout).not.toContain("\u001b");
    expect(result.stdout).not.toContain("\u202e");
  });

  it("prints tables a person can read, the same for the same seed", async () => {
    const args = ["agreement", "--seed", "4", "--samples", "200"];
    const first = await trajlab(args, { cwd: runsDir, env: { TRAJLAB_RUNS_DIR: runsDir } });
    const again = await trajlab(args, { cwd: runsDir, env: { TRAJLAB_RUNS_DIR: runsDir } });
    expect(first.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(first.stdout).toContain("step verdicts (nominal): 5 target(s), 5 judged by two or more reviewers; 1 disputed, 0 settled");
    expect(first.stdout).toMatch(/ana · bo\s+5\s+80\.0%\s+0\.58 \[/);
    expect(first.stdout).toContain(
      "unused-results · tr-bad-track e6 (retail.track-order): labelled unused_result (the policy was never used); reviews say correct",
    );
    // The reviewer's note reaches the terminal with its escape shown, not acted on.
    expect(first.stdout).toContain('ana: "␛[31mthe policy␛[0m was read ␦"');
    expect(first.stdout).toContain("plan ratings (1-5) (ordinal)");
    expect(first.stdout).toMatch(/repeated-calls\s+skippable\s+skippable\s+3\s+1\s+100\.0%\s+100\.0%/);
    expect(first.stdout).not.toContain("\u001b");
    expect(first.stdout).not.toContain("\u202e");
  });

  it("refuses a run that does not exist, naming the ones that do", async () => {
    const result = await trajlab(["agreement", "nope"], { cwd: runsDir, env: { TRAJLAB_RUNS_DIR: runsDir } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run "nope"');
    expect(result.stderr).toContain("run-1");
  });
});
