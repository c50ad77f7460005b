import { mkdir, rmdir } from "node:fs/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunDirectory } from "../../harness/core.js";
import { OPEN_FILTER, ReviewFile, ReviewSession, pairsAcrossRuns, stepJudgement, unfinishedRuns } from "../../reviews/index.js";
import { trajlab } from "../support/cli.js";
import { makeGrade, makeTrajectory, readReviewRecords, standardRun, tempRunsDir, writeRun } from "./fixtures.js";
import { KEY, openReview } from "./render.js";

afterEach(() => {
  vi.useRealTimers();
});

/** Two runs of the same two scenarios (a reference run and a wasteful one with a flag and a handoff), one trial each. */
async function comparedRuns(): Promise<RunDirectory[]> {
  const dir = await tempRunsDir();
  const lookup = { name: "lookup", args: { id: 1 } };
  const a = [
    makeTrajectory({ id: "tr-a-cancel", runId: "run-a", scenarioId: "retail.cancel", task: "Cancel my order", calls: [lookup] }),
    makeTrajectory({ id: "tr-a-track", runId: "run-a", scenarioId: "retail.track", calls: [lookup] }),
  ];
  const b = [
    makeTrajectory({
      id: "tr-b-cancel",
      runId: "run-b",
      scenarioId: "retail.cancel",
      task: "Cancel my order",
      model: "policy:wasteful",
      calls: [
        { ...lookup, agent: "supervisor" },
        { ...lookup, agent: "billing" },
      ],
    }),
    makeTrajectory({ id: "tr-b-track", runId: "run-b", scenarioId: "retail.track", model: "policy:wasteful", calls: [lookup] }),
  ];
  return [
    await writeRun(dir, "run-a", a),
    await writeRun(dir, "run-b", b, [makeGrade("tr-b-cancel", "repeated-calls", [{ eventId: "e7", label: "skippable", reason: "again" }])]),
  ];
}

describe("pairwise across runs", () => {
  it("pairs each run's trajectory with the other run's for the same scenario, never two of one run", async () => {
    const runs = await comparedRuns();
    const session = await ReviewSession.open({ runs, reviewer: "ana", lock: false });
    const pairs = session.pairs.map((pair) => [pair.scenarioId, [pair.a.run.id, pair.b.run.id].sort().join("+")]);
    await session.close();
    expect(pairs).toEqual([
      ["retail.cancel", "run-a+run-b"],
      ["retail.track", "run-a+run-b"],
    ]);
    expect(pairsAcrossRuns(session.entries.filter((entry) => entry.run.id === "run-a"))).toEqual([]);
    // Trials meet their like, whatever the file order; runs that numbered trials differently still pair up.
    const [a, b] = [session.entries.find((e) => e.id === "tr-a-cancel")!, session.entries.find((e) => e.id === "tr-b-cancel")!];
    const like = (entry: typeof a, id: string, trial: number) => ({ ...entry, id, trial });
    const trials = pairsAcrossRuns([like(a, "a0", 0), like(a, "a1", 1), like(b, "b1", 1), like(b, "b0", 0)]);
    expect(trials.map((pair) => [pair.a.id, pair.b.id].sort().join("+"))).toEqual(["a0+b0", "a1+b1"]);
    const renumbered = pairsAcrossRuns([like(a, "a0", 0), like(a, "a1", 1), like(b, "b7", 7), like(b, "b6", 6)]);
    expect(renumbered.map((pair) => [pair.a.id, pair.b.id].sort().join("+"))).toEqual(["a0+b6", "a1+b7"]);
  });

  it("shows the task, both runs' ids, the graders' flags and the handoffs", async () => {
    const ui = await openReview(await comparedRuns(), { pairwise: true, size: { columns: 120, rows: 30 } });
    const frame = await ui.waitFor((f) => f.includes("pair 1 of 2"));
    expect(frame).toContain("task: Cancel my order");
    expect(frame).toMatch(/run-a · policy:reference/);
    expect(frame).toMatch(/run-b · policy:wasteful/);
    expect(frame).toMatch(/ ⚑e7 lookup\(id=1\)/);
    expect(frame).toMatch(/e5 → billing/);
  });
});

describe("resuming", () => {
  it("reopens on the saved trajectory, step and pane, and drops a run filter for a run not open now", async () => {
    const [runA] = await comparedRuns();
    const position = {
      version: 1 as const,
      savedAt: "2026-11-20T10:00:00.000Z",
      screen: "trajectory" as const,
      trajectoryId: "tr-a-track",
      eventId: "e4",
      pane: "task" as const,
      pair: null,
      filter: { ...OPEN_FILTER, run: "run-b" },
      sort: "scenario" as const,
    };
    const ui = await openReview(runA!, { resume: position });
    let frame = await ui.waitFor((f) => f.includes("task and source"));
    expect(frame).toContain("retail.track #0");
    expect(frame.split("\n").find((line) => line.startsWith("›"))).toContain("e4 tool");
    await ui.press(KEY.ESCAPE);
    frame = await ui.waitFor((f) => f.includes("showing"));
    expect(frame).toContain("filters: none · sort: scenario · showing 2 of 2");
  });
});

describe("undo and redo", () => {
  it("undo says what it undid and goes there; redo gives it again, until something new is given", async () => {
    const { run } = await standardRun(await tempRunsDir());
    const ui = await openReview(run);
    await ui.waitFor((f) => f.includes("of 4 reviewed"));
    await ui.press(KEY.ENTER, "1");
    await ui.waitFor((f) => f.includes("1/3 graded"));
    await ui.press(KEY.ESCAPE, "j");
    await ui.waitFor((f) => f.includes("filters:"));
    await ui.press("u");
    let frame = await ui.waitFor((f) => f.includes("undid correct on e4"));
    expect(frame).toContain("0/3 graded");
    expect(frame.split("\n").find((line) => line.startsWith("›"))).toContain("e4 tool");
    await ui.press("U");
    frame = await ui.waitFor((f) => f.includes("redid correct on e4"));
    expect(frame).toContain("1/3 graded");
    const records = await ui.waitForRecords((list) => list.length === 3);
    expect(records.map((r) => [r.verdict, r.cleared])).toEqual([
      ["correct", false],
      [null, true],
      ["correct", false],
    ]);
    await ui.press("u", "2", KEY.ESCAPE, "U");
    await ui.waitFor((f) => f.includes("nothing to redo"));
  });
});

describe("the save status", () => {
  it("says NOT SAVED, and nothing else about saving, while a write fails; saved once it goes through", async () => {
    const { run } = await standardRun(await tempRunsDir());
    const ui = await openReview(run);
    await ui.waitFor((f) => f.includes("of 4 reviewed"));
    // A folder where the reviewer's file should be: appending fails (even as root) until it is gone.
    await mkdir(ui.session.files[0]!);
    await ui.press(KEY.ENTER, "1");
    const status = (frame: string): string => frame.split("\n").at(-1) ?? "";
    let frame = await ui.waitFor((f) => status(f).includes("NOT SAVED"));
    expect(status(frame)).toMatch(/^e4 correct +NOT SAVED \(1\): .*(EISDIR|directory)/i);
    expect(status(frame).toLowerCase().split("saved")).toHaveLength(2);
    await rmdir(ui.session.files[0]!);
    await ui.press("1");
    frame = await ui.waitFor((f) => /saved \d\d:\d\d:\d\d$/.test(status(f)));
    expect(status(frame)).not.toContain("NOT SAVED");
    expect((await ui.waitForRecords((list) => list.length === 2)).map((r) => r.target.kind === "step" && r.target.eventId)).toEqual([
      "e4",
      "e6",
    ]);
  });
});

describe("time per item", () => {
  it("gives each record the active seconds spent on its target, a long pause counting as a minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-20T10:00:00Z"));
    const { run } = await standardRun(await tempRunsDir());
    const ui = await openReview(run);
    await ui.waitFor((f) => f.includes("of 4 reviewed"));
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("0/3 graded"));
    vi.setSystemTime(new Date("2026-11-20T10:00:07Z"));
    await ui.press("1");
    await ui.waitFor((f) => f.includes("1/3 graded"));
    // Away for ten minutes: a minute of it counts.
    vi.setSystemTime(new Date("2026-11-20T10:10:07Z"));
    await ui.press("1");
    const records = await ui.waitForRecords((list) => list.length === 2);
    expect(records.map((r) => r.activeSeconds)).toEqual([7, 60]);
  });

  it("puts an accepted suggestion's time on its step's record, not on the suggestion's", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-20T10:00:00Z"));
    const { run } = await standardRun(await tempRunsDir());
    const ui = await openReview(run);
    await ui.waitFor((f) => f.includes("of 4 reviewed"));
    await ui.press("j", KEY.ENTER);
    await ui.waitFor((f) => f.includes("0/4 graded"));
    vi.setSystemTime(new Date("2026-11-20T10:00:03Z"));
    await ui.press("1");
    await ui.waitFor((f) => f.includes("1/4 graded"));
    vi.setSystemTime(new Date("2026-11-20T10:00:08Z"));
    await ui.press("a");
    const records = await ui.waitForRecords((list) => list.length === 3);
    expect(records.map((r) => [r.target.kind, r.activeSeconds])).toEqual([
      ["step", 3],
      ["suggestion", null],
      ["step", 5],
    ]);
  });

  it("shows each reviewer's throughput in `list runs` and `report`, and names the runs a reviewer left unfinished", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const session = await ReviewSession.open({ runs: [run], reviewer: "ana", lock: false });
    session.activity.focusOn("tr-ref-cancel#plan");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-20T10:00:00Z"));
    session.activity.tick();
    vi.setSystemTime(new Date("2026-11-20T10:00:45Z"));
    session.activity.tick();
    vi.useRealTimers();
    await session.give([{ trajectoryId: "tr-ref-cancel", target: { kind: "plan" }, rating: 4, score: 0.75, verdict: "pass" }]);
    session.activity.focusOn("tr-waste-cancel#step:e4");
    await session.give([stepJudgement("tr-waste-cancel", "e4", undefined, { verdict: "correct" })]);
    await session.close();
    const written = await readReviewRecords(ReviewFile.pathFor(run, "ana"));
    expect(written[0]!.activeSeconds).toBe(45);

    expect(await unfinishedRuns([run], "ana")).toMatchObject([{ runId: "run-1", done: 1, total: 4 }]);
    const list = await trajlab(["list", "runs", "--runs-dir", runsDir], { cwd: runsDir });
    expect(list.stdout).toMatch(/ana \(1 done, 1 in progress, <1 min active\)/);
    const json = JSON.parse((await trajlab(["list", "runs", "--json", "--runs-dir", runsDir], { cwd: runsDir })).stdout) as {
      reviewing: unknown[];
    }[];
    expect(json[0]!.reviewing).toEqual([
      expect.objectContaining({ reviewer: "ana", done: 1, inProgress: 1, activeSeconds: 45, perHour: null }),
    ]);
    const report = await trajlab(["report", "run-1", "--runs-dir", runsDir], { cwd: runsDir });
    expect(report.stdout).toContain(
      "\n\nreviewer throughput (trajectories signed off; active time, where a pause counts for at most a minute)\n  ana: 1 done, 1 in progress, <1 min active",
    );
    const reportJson = JSON.parse((await trajlab(["report", "run-1", "--json", "--runs-dir", runsDir], { cwd: runsDir })).stdout) as {
      throughput: unknown[];
    };
    expect(reportJson.throughput).toEqual([expect.objectContaining({ reviewer: "ana", done: 1, inProgress: 1, activeSeconds: 45 })]);
    // A run whose every grade was undone has nothing in progress.
    const { run: undone } = await standardRun(runsDir, "run-2");
    const second = await ReviewSession.open({ runs: [undone], reviewer: "ana", lock: false });
    await second.give([stepJudgement("tr-waste-cancel", "e4", undefined, { verdict: "correct" })]);
    await second.undo()?.saved;
    await second.close();
    expect(await unfinishedRuns([run, undone], "ana")).toMatchObject([{ runId: "run-1" }]);
  });
});
