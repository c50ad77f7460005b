import { describe, expect, it } from "vitest";
import type { RunDirectory } from "../../harness/core.js";
import { resolveLatest, type ReviewRecord } from "../../reviews/index.js";
import { makeGrade, makeTrajectory, tempRunsDir, writeRun, type CallSpec } from "./fixtures.js";
import { KEY, openReview, type ReviewHarness } from "./render.js";

/** Tool-call event ids in fixture trajectories: the n-th call (from 1) is e(2 + 2n). */
const callId = (n: number): string => `e${2 + 2 * n}`;

/** A wasteful trajectory of 14 calls: call 2 repeats call 1, call 13's result is never used; graders flag both. */
async function wastefulRun(): Promise<RunDirectory> {
  const calls: CallSpec[] = Array.from({ length: 14 }, (_, i) => ({ name: `step_${i + 1}`, args: { n: i + 1 }, result: { ok: i + 1 } }));
  calls[1] = calls[0]!;
  const reference = calls.filter((_, i) => i !== 1 && i !== 12).map((call) => ({ name: call.name, args: call.args ?? {} }));
  const trajectory = makeTrajectory({ id: "tr-waste", model: "policy:wasteful", calls, reference });
  return writeRun(
    await tempRunsDir(),
    "run-1",
    [trajectory],
    [
      makeGrade("tr-waste", "outcome"),
      makeGrade("tr-waste", "repeated-calls", [{ eventId: callId(2), label: "skippable", reason: `repeats ${callId(1)}` }]),
      makeGrade("tr-waste", "unused-results", [{ eventId: callId(13), label: "unused_result", reason: "nothing used its result" }]),
      makeGrade("tr-waste", "trajectory-match", [
        { eventId: callId(2), label: "extra_call", reason: "not in the reference plan" },
        { eventId: callId(13), label: "extra_call", reason: "not in the reference plan" },
      ]),
    ],
  );
}

/** A supervisor hands to billing, whose two calls are both flagged; billing hands back; the answer follows. */
async function handoffRun(): Promise<RunDirectory> {
  const trajectory = makeTrajectory({
    id: "tr-team",
    calls: [
      { name: "route", agent: "supervisor" },
      { name: "list_invoices", agent: "billing", args: { month: 11 } },
      { name: "list_plans", agent: "billing" },
    ],
    finalAnswer: "Your invoice is 55.50.",
  });
  // Events: e5 handoff supervisor → billing, e7 list_invoices, e9 list_plans, e10 the answer.
  return writeRun(
    await tempRunsDir(),
    "run-1",
    [trajectory],
    [
      makeGrade("tr-team", "repeated-calls", [{ eventId: "e7", label: "skippable", reason: "known already" }]),
      makeGrade("tr-team", "unused-results", [{ eventId: "e9", label: "unused_result", reason: "never used" }]),
    ],
  );
}

const cursorLine = (frame: string): string => frame.split("\n").find((line) => line.startsWith("›")) ?? "";
const current = (records: readonly ReviewRecord[]): ReviewRecord[] => [...resolveLatest(records).values()];
const stepRecord = (records: readonly ReviewRecord[], eventId: string): ReviewRecord | undefined =>
  current(records).find((r) => r.target.kind === "step" && r.target.eventId === eventId);

/** Presses keys one at a time, each after the frame has taken the one before, and counts them. */
async function typeCounted(ui: ReviewHarness, keys: readonly string[]): Promise<number> {
  for (const key of keys) await ui.press(key);
  return keys.length;
}

async function open(run: RunDirectory, size?: { columns: number; rows: number }): Promise<ReviewHarness> {
  const ui = await openReview(run, size ? { size } : {});
  await ui.waitFor((f) => f.includes("reviewed"));
  return ui;
}

describe("one decision per step", () => {
  it("reviews a 14-call wasteful trajectory with two correct flags in at most 18 keys: open, 12 correct, 2 accepts, score, pass", async () => {
    const ui = await open(await wastefulRun());
    const keys = [KEY.ENTER, "1", "a", ..."1".repeat(10), "a", "1", "4", "y"];
    const count = await typeCounted(ui, keys);
    expect(count).toBeLessThanOrEqual(18);
    const records = await ui.waitForRecords((list) => current(list).some((r) => r.target.kind === "plan" && r.verdict === "pass"));
    const steps = current(records).filter((r) => r.target.kind === "step");
    expect(steps).toHaveLength(14);
    expect(steps.filter((r) => r.verdict === "correct")).toHaveLength(12);
    expect([stepRecord(records, callId(2))?.verdict, stepRecord(records, callId(13))?.verdict]).toEqual(["skippable", "skippable"]);
    const decisions = current(records).filter((r) => r.target.kind === "suggestion");
    expect(decisions.map((r) => r.verdict)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
    expect(current(records).find((r) => r.target.kind === "plan")).toMatchObject({
      rating: 4,
      verdict: "pass",
      skippable: [
        { from: callId(2), to: callId(2) },
        { from: callId(13), to: callId(13) },
      ],
    });
    await ui.waitFor((f) => f.includes("1 of 1 reviewed"));
  });

  it("settles a flagged step whose grader is right in one key, and moves on to the next ungraded step", async () => {
    const ui = await open(await wastefulRun());
    await ui.press(KEY.ENTER, "1");
    await ui.waitFor((f) => cursorLine(f).includes(`${callId(2)} tool`));
    const count = await typeCounted(ui, ["a"]);
    expect(count).toBe(1);
    const records = await ui.waitForRecords((list) => stepRecord(list, callId(2)) !== undefined);
    expect(stepRecord(records, callId(2))).toMatchObject({
      verdict: "skippable",
      labels: ["suggested-by:repeated-calls", "suggested-by:trajectory-match"],
    });
    await ui.waitFor((f) => cursorLine(f).includes(`${callId(3)} tool`));
  });

  it("modifies a suggestion: the verdict changed in the form, the reason rewritten, 'should have called' from the reference", async () => {
    const ui = await open(await wastefulRun(), { columns: 100, rows: 36 });
    await ui.press(KEY.ENTER, "1");
    await ui.waitFor((f) => cursorLine(f).includes(`${callId(2)} tool`));
    await ui.press("m");
    let frame = await ui.waitFor((f) => f.includes(`why · ${callId(2)} · modify the suggestion`));
    expect(frame).toMatch(/› verdict +1 correct \[2 skippable\]/);
    expect(frame).toContain(`repeats ${callId(1)}`);
    await ui.press("4");
    frame = await ui.waitFor((f) => f.includes("[4 wrong arguments]"));
    // Wrong arguments: "should have called" starts from the call as made, to be edited.
    expect(frame).toMatch(/should have called +step_1\(n=1\)/);
    await ui.press(KEY.TAB, "\u0015", ..."should have asked for a new month", KEY.TAB, "\u0015", ..."step_2(n=2)", KEY.ENTER);
    const records = await ui.waitForRecords((list) => stepRecord(list, callId(2)) !== undefined);
    expect(stepRecord(records, callId(2))).toMatchObject({
      verdict: "wrong_args",
      note: "should have asked for a new month",
      shouldHaveCalled: "step_2(n=2)",
      labels: ["corrected:repeated-calls", "corrected:trajectory-match"],
    });
    const decisions = current(records).filter((r) => r.target.kind === "suggestion");
    expect(decisions.map((r) => r.verdict)).toEqual(["modified", "modified"]);
    await ui.waitFor((f) => cursorLine(f).includes(`${callId(3)} tool`));
  });

  it("takes notes of several lines, and completes the trajectory's tool names in 'should have called'", async () => {
    const ui = await open(await wastefulRun(), { columns: 100, rows: 36 });
    await ui.press(KEY.ENTER, "e");
    await ui.waitFor((f) => f.includes(`why · ${callId(1)}`));
    await ui.press(..."first line", "\u001B\r", ..."second line", KEY.TAB, ..."step_1");
    const frame = await ui.waitFor((f) => f.includes("Tab completes:"));
    expect(frame).toContain("Tab completes: [step_10] step_11 step_12 step_13 step_14 · ↑↓ choose");
    await ui.press(KEY.DOWN, KEY.TAB, ..."(n=11)", KEY.ENTER);
    const records = await ui.waitForRecords((list) => stepRecord(list, callId(1)) !== undefined);
    expect(stepRecord(records, callId(1))).toMatchObject({
      verdict: null,
      note: "first line\nsecond line",
      shouldHaveCalled: "step_11(n=11)",
    });
  });
});

describe("handoffs and what models said", () => {
  it("suggests a handoff whose receiving agent did only flagged work, and judges handoffs as right, wrong or unnecessary", async () => {
    const ui = await open(await handoffRun(), { columns: 100, rows: 36 });
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => cursorLine(f).includes("e4 tool"));
    await ui.press("1");
    let frame = await ui.waitFor((f) => cursorLine(f).includes("e5 handoff"));
    expect(frame).toContain("graders suggest unnecessary handoff");
    expect(frame.replace(/\s+/g, " ")).toContain(
      "every call billing made after this handoff was flagged: e7 (skippable), e9 (unused_result)",
    );
    expect(frame).toContain("no verdict yet: 1 right agent 2 wrong agent 3 unnecessary handoff 4 other");
    await ui.press("a");
    let records = await ui.waitForRecords((list) => stepRecord(list, "e5") !== undefined);
    expect(stepRecord(records, "e5")).toMatchObject({ verdict: "unnecessary_handoff", labels: ["suggested-by:review.flagged-work"] });
    await ui.press("k", "k");
    await ui.waitFor((f) => cursorLine(f).includes("e5 handoff"));
    await ui.press("2");
    frame = await ui.waitFor((f) => f.includes("why · e5"));
    expect(frame).toContain("[2 wrong agent]");
    await ui.press(KEY.ESCAPE);
    records = await ui.waitForRecords((list) => stepRecord(list, "e5")?.verdict === "wrong_agent");
    expect(current(records).find((r) => r.target.kind === "suggestion")?.verdict).toBe("modified");
  });

  it("judges the final answer: a wrong claim to the user is recorded, without being asked for on every message", async () => {
    const ui = await open(await handoffRun(), { columns: 100, rows: 36 });
    await ui.press(KEY.ENTER, "G");
    let frame = await ui.waitFor((f) => cursorLine(f).includes("e10"));
    expect(frame).toContain("judge it if you like: 1 correct 2 wrong 3 harmful 4 other");
    expect(frame).toContain("0/4 graded");
    await ui.press("2", ..."the invoice is 65.50", KEY.ENTER);
    const records = await ui.waitForRecords(
      (list) => stepRecord(list, "e10")?.note !== undefined && stepRecord(list, "e10")?.note !== null,
    );
    expect(stepRecord(records, "e10")).toMatchObject({ verdict: "wrong", note: "the invoice is 65.50" });
    frame = await ui.waitFor((f) => /X +e10/.test(f));
    expect(frame).toContain("0/4 graded");
  });
});
