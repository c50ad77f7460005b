import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assignTrajectories, assignmentProgress, readAssignment, writeAssignment, withAdjudicators } from "../../reviews/index.js";
import { planRecord, stepRecord, byReviewer } from "./agreement/records.js";
import { standardRun, tempRunsDir } from "./fixtures.js";
import { openReview } from "./render.js";

const ids = Array.from({ length: 40 }, (_, i) => `tr-${i}`);

describe("assigning trajectories to reviewers", () => {
  it("gives every trajectory `overlap` different reviewers, loads within one, and every two reviewers trajectories in common", () => {
    const assignment = assignTrajectories({ trajectoryIds: ids, reviewers: ["ana", "bo", "cy", "di"], overlap: 2, seed: 3 });
    expect(assignment.items.map((item) => item.trajectoryId)).toEqual(ids);
    for (const item of assignment.items) expect(new Set(item.reviewers).size).toBe(2);
    const loads = assignment.reviewers.map((r) => assignment.items.filter((item) => item.reviewers.includes(r)).length);
    // 40 trajectories x 2 reviewers over 4 reviewers: 20 each.
    expect(loads).toEqual([20, 20, 20, 20]);
    const shared = (a: string, b: string) =>
      assignment.items.filter((item) => item.reviewers.includes(a) && item.reviewers.includes(b)).length;
    const pairs = [
      shared("ana", "bo"),
      shared("ana", "cy"),
      shared("ana", "di"),
      shared("bo", "cy"),
      shared("bo", "di"),
      shared("cy", "di"),
    ];
    // 40 pairs of reviewers over 6 pairs: 6 or 7 each.
    expect(Math.min(...pairs)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...pairs)).toBeLessThanOrEqual(7);
  });

  it("is the same for the same seed and differs for another", () => {
    const options = { trajectoryIds: ids, reviewers: ["ana", "bo", "cy"], overlap: 2 };
    const one = assignTrajectories({ ...options, seed: 1, now: new Date(0) });
    expect(assignTrajectories({ ...options, seed: 1, now: new Date(0) })).toEqual(one);
    expect(assignTrajectories({ ...options, seed: 2, now: new Date(0) }).items).not.toEqual(one.items);
  });

  it("refuses what cannot be met or would mix roles, saying how to fix it", () => {
    expect(() => assignTrajectories({ trajectoryIds: ids, reviewers: ["ana", "bo"], overlap: 3 })).toThrow(
      /--overlap 3 cannot be met by 2 reviewer/,
    );
    expect(() => assignTrajectories({ trajectoryIds: ids, reviewers: ["ana", "ana"], overlap: 1 })).toThrow(/listed twice/);
    expect(() => assignTrajectories({ trajectoryIds: ids, reviewers: ["ana", "bo"], overlap: 2, adjudicators: ["bo"] })).toThrow(
      /bo cannot both review and adjudicate/,
    );
    expect(() => assignTrajectories({ trajectoryIds: ids, reviewers: ["a/b"], overlap: 1 })).toThrow(/cannot name a file/);
    expect(() => withAdjudicators(null, ["ok", "bad name"])).toThrow(/cannot name a file/);
  });

  it("counts each reviewer's assigned trajectories done (plan graded) and started", () => {
    const assignment = assignTrajectories({ trajectoryIds: ["t1", "t2", "t3"], reviewers: ["ana", "bo"], overlap: 2 });
    const records = byReviewer([
      planRecord("ana", "t1", "pass", 4),
      stepRecord("ana", "t2", "e4", "correct"),
      planRecord("ana", "t9", "pass", 5),
    ]);
    expect(assignmentProgress(assignment, records)).toEqual([
      { reviewer: "ana", assigned: 3, done: 1, started: 1 },
      { reviewer: "bo", assigned: 3, done: 0, started: 0 },
    ]);
  });
});

describe("the review with an assignment", () => {
  it("lists the reviewer's assigned trajectories first and says how many are done", async () => {
    const { run, trajectories } = await standardRun(await tempRunsDir());
    const ids = trajectories.map((t) => t.id);
    // The last two trajectories of the run are ana's.
    const assignment = assignTrajectories({ trajectoryIds: ids, reviewers: ["ana", "bo"], overlap: 1 });
    const mine = { ...assignment, items: ids.map((id, i) => ({ trajectoryId: id, reviewers: [i >= 2 ? "ana" : "bo"] })) };
    await writeAssignment(run, mine);
    expect((await readAssignment(run))!.items).toEqual(mine.items);
    await writeFile(
      join(run.file("reviews"), "ana.jsonl"),
      `${JSON.stringify({ ...planRecord("ana", ids[3]!, "pass", 4), runId: run.id, scenarioId: trajectories[3]!.scenarioId })}\n`,
    );
    const ui = await openReview(run);
    const frame = await ui.waitFor((f) => f.includes("assigned done"));
    expect(frame).toContain("1 of 4 reviewed · 1 of 2 assigned done");
    expect(ui.session.entries.map((entry) => entry.id)).toEqual([ids[2], ids[3], ids[0], ids[1]]);
  });
});
