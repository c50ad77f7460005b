import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import {
  ReviewFile,
  ReviewLedger,
  ReviewRecordSchema,
  ReviewSession,
  resolveLatest,
  stepJudgement,
  settleStep,
  targetKey,
  type ReviewRecord,
} from "../../reviews/index.js";
import { readReviewRecords, standardRun, tempRunsDir } from "./fixtures.js";
import { liveHolder } from "../../harness/core.js";

const sessions: ReviewSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

async function open(runsDir: string, reviewer = "ana"): Promise<ReviewSession> {
  const { run } = await standardRun(runsDir);
  const session = await ReviewSession.open({ runs: [run], reviewer });
  sessions.push(session);
  return session;
}

function record(overrides: Partial<ReviewRecord>): ReviewRecord {
  return ReviewRecordSchema.parse({
    schemaVersion: 1,
    reviewer: "ana",
    at: "2026-11-20T10:00:00.000Z",
    runId: "run-1",
    trajectoryId: "tr-1",
    scenarioId: "s",
    target: { kind: "step", eventId: "e4" },
    verdict: "correct",
    labels: [],
    score: null,
    rating: null,
    note: null,
    shouldHaveCalled: null,
    skippable: [],
    missing: [],
    cleared: false,
    undoes: null,
    ...overrides,
  });
}

describe("review records", () => {
  it("rejects a verdict that does not fit the target", () => {
    const result = ReviewRecordSchema.safeParse({ ...record({}), target: { kind: "plan" }, verdict: "skippable" });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("not a plan verdict");
  });

  it("keys a pair the same whichever side is A", () => {
    expect(targetKey("x", { kind: "pair", a: "x", b: "y" })).toBe(targetKey("y", { kind: "pair", a: "y", b: "x" }));
  });

  it("resolves to the latest record per target, and a cleared record removes it", () => {
    const first = record({ verdict: "correct" });
    const second = record({ verdict: "wrong_args" });
    const other = record({ target: { kind: "step", eventId: "e6" } });
    expect([...resolveLatest([first, second, other]).values()].map((r) => r.verdict)).toEqual(["wrong_args", "correct"]);
    const cleared = record({ verdict: null, cleared: true });
    expect(resolveLatest([first, cleared]).size).toBe(0);
    const ledger = new ReviewLedger([first, second]);
    expect(ledger.review("tr-1").steps.get("e4")?.verdict).toBe("wrong_args");
  });
});

describe("review file", () => {
  it("skips a torn last line with a warning, keeps its bytes aside, and appends cleanly after it", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const path = ReviewFile.pathFor(run, "ana");
    await writeFile(path, `${JSON.stringify(record({}))}\n{"schemaVersion":1,"reviewer":"an`);
    const warnings: string[] = [];
    const file = await ReviewFile.open(run, "ana", { onWarning: (warning) => warnings.push(warning.message) });
    expect(file.records).toHaveLength(1);
    expect(warnings.join()).toContain("torn last line");
    expect(await readFile(`${path}.torn`, "utf8")).toContain('"reviewer":"an');
    await file.append([record({ verdict: "harmful" })]);
    await file.close();
    expect((await readReviewRecords(path)).map((r) => r.verdict)).toEqual(["correct", "harmful"]);
  });

  it("refuses a second live session of the same reviewer, and takes over a lock left by a dead one", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const lock = `${ReviewFile.pathFor(run, "ana")}.lock`;
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      await writeFile(lock, JSON.stringify({ pid: child.pid, host: hostname(), reviewer: "ana", since: "then" }));
      await expect(ReviewFile.open(run, "ana")).rejects.toThrow(/open in another trajlab review/);
    } finally {
      child.kill();
    }
    await new Promise((done) => child.once("exit", done));
    const file = await ReviewFile.open(run, "ana");
    expect((await liveHolder(lock))?.pid).toBe(process.pid);
    await file.close();
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock whose process was killed but not yet reaped (a zombie)", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const lock = `${ReviewFile.pathFor(run, "ana")}.lock`;
    // The shell prints its short-lived child's pid, then becomes a process that never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0.1 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const pid = Number(
        await new Promise<string>((done) => parent.stdout!.once("data", (chunk: Buffer) => done(chunk.toString().trim()))),
      );
      const state = () =>
        readFile(`/proc/${pid}/stat`, "utf8").then((stat) => stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
      await expect.poll(state, { timeout: 10_000, interval: 50 }).toBe("Z");
      await writeFile(lock, JSON.stringify({ pid, host: hostname(), reviewer: "ana", since: "then" }));
      const file = await ReviewFile.open(run, "ana");
      expect((await liveHolder(lock))?.pid).toBe(process.pid);
      await file.close();
    } finally {
      parent.kill();
    }
  });

  it("refuses reviewer names that are not safe file names", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    expect(() => ReviewFile.pathFor(run, "../evil")).toThrow(/cannot name a file/);
  });
});

describe("review session", () => {
  it("writes each grade to the reviewer's file the moment it is given", async () => {
    const runsDir = await tempRunsDir();
    const session = await open(runsDir);
    await session.give([stepJudgement("tr-ref-cancel", "e4", undefined, { verdict: "correct" })]);
    const records = await readReviewRecords(session.files[0]!);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      reviewer: "ana",
      trajectoryId: "tr-ref-cancel",
      runId: "run-1",
      scenarioId: "retail.cancel-order",
      target: { kind: "step", eventId: "e4" },
      verdict: "correct",
    });
    expect(session.saveState.lastSavedAt).not.toBeNull();
  });

  it("undoes with a new record that restores what was there, never editing the file", async () => {
    const runsDir = await tempRunsDir();
    const session = await open(runsDir);
    await session.give([stepJudgement("tr-ref-cancel", "e4", undefined, { verdict: "correct" })]);
    await session.give([
      stepJudgement("tr-ref-cancel", "e4", session.ledger.review("tr-ref-cancel").steps.get("e4"), { verdict: "harmful" }),
    ]);
    await session.undo()?.saved;
    expect(session.ledger.review("tr-ref-cancel").steps.get("e4")?.verdict).toBe("correct");
    await session.undo()?.saved;
    expect(session.ledger.review("tr-ref-cancel").steps.has("e4")).toBe(false);
    const records = await readReviewRecords(session.files[0]!);
    expect(records.map((r) => [r.verdict, r.cleared, r.undoes !== null])).toEqual([
      ["correct", false, false],
      ["harmful", false, false],
      ["correct", false, true],
      [null, true, true],
    ]);
  });

  it("undoes grades of an earlier session too, batch by batch, never those already undone", async () => {
    const runsDir = await tempRunsDir();
    const first = await open(runsDir);
    await first.give([stepJudgement("tr-ref-cancel", "e4", undefined, { verdict: "correct" })]);
    await first.give([stepJudgement("tr-ref-cancel", "e4", first.ledger.review("tr-ref-cancel").steps.get("e4"), { verdict: "harmful" })]);
    const repeat = first.load("tr-waste-cancel").timeline.find((step) => step.event.id === "e6")!;
    await first.give(settleStep("tr-waste-cancel", repeat, first.ledger.review("tr-waste-cancel"), {}, "accept"));
    await first.give([stepJudgement("tr-waste-cancel", "e4", undefined, { verdict: "correct" })]);
    await first.undo()?.saved;
    await first.close();

    const again = await ReviewSession.open({ runs: [first.entries[0]!.run], reviewer: "ana" });
    sessions.push(again);
    expect(again.canUndo).toBe(true);
    // The accepted suggestion and the verdict it stands for were one batch: one undo takes back both.
    await again.undo()?.saved;
    const waste = again.ledger.review("tr-waste-cancel");
    expect([waste.suggestions.size, waste.steps.has("e6"), waste.steps.has("e4")]).toEqual([0, false, false]);
    await again.undo()?.saved;
    expect(again.ledger.review("tr-ref-cancel").steps.get("e4")?.verdict).toBe("correct");
    await again.undo()?.saved;
    expect(again.ledger.review("tr-ref-cancel").steps.has("e4")).toBe(false);
    expect(again.canUndo).toBe(false);
    expect(again.undo()).toBeNull();
    const records = await readReviewRecords(again.files[0]!);
    expect(records).toHaveLength(5 + 1 + 2 + 1 + 1);
    expect(records.every((r, i) => i === 0 || r.at >= records[i - 1]!.at)).toBe(true);
  });

  it("accepting a suggestion records the decision and the verdict it stands for", async () => {
    const runsDir = await tempRunsDir();
    const session = await open(runsDir);
    const repeat = session.load("tr-waste-cancel").timeline.find((step) => step.event.id === "e6")!;
    await session.give(settleStep("tr-waste-cancel", repeat, session.ledger.review("tr-waste-cancel"), {}, "accept"));
    const [decision, step] = await readReviewRecords(session.files[0]!);
    expect(decision).toMatchObject({
      target: { kind: "suggestion", eventId: "e6", grader: "repeated-calls", label: "skippable" },
      verdict: "accepted",
    });
    expect(step).toMatchObject({
      target: { kind: "step", eventId: "e6" },
      verdict: "skippable",
      labels: ["suggested-by:repeated-calls"],
      note: "repeats e4 with the same arguments",
    });
  });

  it("reopening shows the grades already given; two reviewers write two files", async () => {
    const runsDir = await tempRunsDir();
    const ana = await open(runsDir, "ana");
    await ana.give([stepJudgement("tr-ref-track", "e4", undefined, { verdict: "wrong_tool" })]);
    await ana.close();
    const bo = await ReviewSession.open({ runs: [ana.entries[0]!.run], reviewer: "bo" });
    sessions.push(bo);
    await bo.give([stepJudgement("tr-ref-track", "e4", undefined, { verdict: "correct" })]);
    const again = await ReviewSession.open({ runs: [ana.entries[0]!.run], reviewer: "ana" });
    sessions.push(again);
    expect(again.ledger.review("tr-ref-track").steps.get("e4")?.verdict).toBe("wrong_tool");
    expect(again.files[0]).not.toBe(bo.files[0]);
    expect((await readReviewRecords(bo.files[0]!)).map((r) => r.reviewer)).toEqual(["bo"]);
  });

  it("keeps records whose write failed and retries them", async () => {
    const runsDir = await tempRunsDir();
    const session = await open(runsDir);
    const path = session.files[0]!;
    // A folder where the file should be: appending fails (even as root) until it is gone.
    await mkdir(path);
    await session.give([stepJudgement("tr-ref-cancel", "e4", undefined, { verdict: "correct" })]);
    expect(session.saveState.unsaved).toBe(1);
    expect(session.saveState.error).toMatch(/EISDIR|directory/i);
    expect(session.ledger.review("tr-ref-cancel").steps.get("e4")?.verdict).toBe("correct");
    await rmdir(path);
    await session.give([stepJudgement("tr-ref-cancel", "e6", undefined, { verdict: "correct" })]);
    expect(session.saveState.unsaved).toBe(0);
    expect((await readReviewRecords(path)).map((r) => r.target.kind === "step" && r.target.eventId)).toEqual(["e4", "e6"]);
  });

  it("never loads ground truth for reviewers", async () => {
    const runsDir = await tempRunsDir();
    const session = await open(runsDir);
    expect("groundTruth" in session.load("tr-ref-cancel").trajectory).toBe(false);
  });
});
