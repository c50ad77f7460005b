import { describe, expect, it } from "vitest";
import { GradeSchema, readJsonl, type RunReport, type Summary } from "../../harness/index.js";
import { tempFolder, trajlab } from "../support/cli.js";
import { writeLargeRun } from "../support/large-run.js";

/**
 * A run bigger than the memory the process may use: `report` and `grade` read
 * it one trajectory at a time, so a heap of 40 MB reads a 100 MB
 * trajectories.jsonl (reading it whole needs more than twice that).
 */
const SMALL_HEAP = { NODE_OPTIONS: "--max-old-space-size=40" };

describe("a run larger than the process's memory", () => {
  it("is reported and graded in full: every trajectory counted once, every grade written once", async () => {
    const runsDir = await tempFolder();
    const { figures } = await writeLargeRun(runsDir, "large", 200, 500_000);
    expect(figures.bytes).toBeGreaterThan(2.3 * 40 * 1024 * 1024);

    const reported = await trajlab(["report", "large", "--json", "--runs-dir", runsDir], { cwd: runsDir, env: SMALL_HEAP });
    expect(reported.stderr).toBe("");
    expect(reported.code).toBe(0);
    const report = JSON.parse(reported.stdout) as RunReport;
    expect(report.overall.trials).toBe(figures.trajectories);
    // The outcome grades decide, not the outcomes recorded: the grades were joined to their trajectories.
    expect(report.overall.passed).toBe(figures.gradedPasses);
    expect(report.overall.skippableCalls).toBe(figures.skippableCalls);
    expect(report.byScenario).toHaveLength(figures.scenarios);
    expect(report.byScenario.reduce((sum, group) => sum + group.trials, 0)).toBe(figures.trajectories);

    const graded = await trajlab(["grade", "large", "--json", "--runs-dir", runsDir], { cwd: runsDir, env: SMALL_HEAP });
    expect(graded.code).toBe(0);
    expect(graded.stderr).toMatch(/^grades changed; previous grades kept in .*grades\..*\.jsonl\n$/);
    const summary = JSON.parse(graded.stdout) as Summary;
    expect(summary.trajectories).toBe(figures.trajectories);
    // Without the scenario loaded, the outcome grader gives back the outcome recorded.
    expect(summary.passed).toBe(figures.recordedPasses);
    const grades = await readJsonl(`${runsDir}/large/grades.jsonl`, GradeSchema, { mode: "strict" });
    const graders = new Map<string, string[]>();
    for (const grade of grades) graders.set(grade.trajectoryId, [...(graders.get(grade.trajectoryId) ?? []), grade.grader]);
    const expectedIds = Array.from({ length: figures.trajectories }, (_, i) => `tr-${String(i).padStart(7, "0")}`);
    expect([...graders.keys()]).toEqual(expectedIds);
    const first = graders.get(expectedIds[0]!)!;
    expect(first).toContain("outcome");
    expect(new Set(first).size).toBe(first.length);
    for (const id of expectedIds) expect(graders.get(id)).toEqual(first);
  }, 180_000);
});
