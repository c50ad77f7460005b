import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { GradeSchema, readJsonl, streamJsonl, TrajectorySchema, type RunReport, type Summary } from "../../harness/index.js";
import { tempFolder, trajlab } from "../support/cli.js";
import { writeLargeRun } from "../support/large-run.js";
import { writeResumableRun } from "../support/resumable-run.js";

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

  it("is resumed in full: the trials left are run, the grades missing written, each trajectory counted once", async () => {
    const runsDir = await tempFolder();
    const written = await writeResumableRun(runsDir, "resumable", 100, { lineBytes: 500_000, dropped: [7, 150, 199], ungraded: [0, 120] });
    expect(written.bytes).toBeGreaterThan(2.3 * 40 * 1024 * 1024);

    const resumed = await trajlab(["run", "--resume", "resumable", "--json", "--junit", "junit.xml", "--runs-dir", runsDir], {
      cwd: runsDir,
      env: SMALL_HEAP,
    });
    expect(resumed.stderr).toBe(
      "resuming run resumable: 197 of 200 trial(s) already recorded, 3 to run\nJUnit report written to junit.xml\n",
    );
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as Summary;
    expect(summary.trajectories).toBe(200);
    expect(summary.rows.map((row) => [row.model, row.trials])).toEqual([
      ["policy:reference", 100],
      ["policy:wasteful", 100],
    ]);

    const ids: string[] = [];
    for await (const trajectory of streamJsonl(`${runsDir}/resumable/trajectories.jsonl`, TrajectorySchema, { mode: "strict" })) {
      ids.push(trajectory.id);
    }
    expect([...ids].sort()).toEqual([...written.ids].sort());
    // The trials left were run last, in the plan's order.
    expect(ids.slice(-3)).toEqual(written.dropped);

    const grades = await readJsonl(`${runsDir}/resumable/grades.jsonl`, GradeSchema, { mode: "strict" });
    const graders = new Map<string, string[]>();
    for (const grade of grades) graders.set(grade.trajectoryId, [...(graders.get(grade.trajectoryId) ?? []), grade.grader]);
    expect([...graders.keys()].sort()).toEqual([...written.ids].sort());
    for (const id of written.ids) {
      expect(graders.get(id)).toHaveLength(written.gradersPerTrajectory);
      expect(new Set(graders.get(id)).size).toBe(written.gradersPerTrajectory);
    }
    // The grades of the trajectories that had none are written as the run is read back: after every grade
    // recorded before, and before those of the trials left.
    const perTrajectory = written.gradersPerTrajectory;
    const before = grades.length - perTrajectory * (written.ungraded.length + written.dropped.length);
    const regraded = grades.slice(before, before + perTrajectory * written.ungraded.length).map((grade) => grade.trajectoryId);
    expect(new Set(regraded)).toEqual(new Set(written.ungraded));
    const ranNow = grades.slice(before + perTrajectory * written.ungraded.length).map((grade) => grade.trajectoryId);
    expect(new Set(ranNow)).toEqual(new Set(written.dropped));

    const junit = await readFile(`${runsDir}/junit.xml`, "utf8");
    // One case per model, listing its 100 trials.
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    expect(new Set(junit.match(/\btrial \d+ \(tr-[0-9a-f]{12}, seed \d+\)/g))).toHaveProperty("size", 200);
    for (const id of written.ids) expect(junit).toContain(`(${id}, seed `);
  }, 180_000);
});
