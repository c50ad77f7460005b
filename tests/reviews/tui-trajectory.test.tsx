import { describe, expect, it } from "vitest";
import type { RunDirectory } from "../../harness/core.js";
import { ReviewSession } from "../../reviews/index.js";
import { makeTrajectory, standardRun, tempRunsDir, writeRun } from "./fixtures.js";
import { KEY, openReview, type ReviewHarness } from "./render.js";

async function startOn(run: RunDirectory, row: number, props: Parameters<typeof openReview>[1] = {}): Promise<ReviewHarness> {
  const harness = await openReview(run, props);
  await harness.waitFor((frame) => frame.includes("reviewed"));
  await harness.press(..."j".repeat(row), KEY.ENTER);
  await harness.waitFor((frame) => /\d+\/\d+ graded/.test(frame));
  return harness;
}

/** Opens the standard run's trajectory on queue row `row` (0: reference cancel, 1: wasteful cancel, 3: failed track). */
async function start(row: number, props: Parameters<typeof openReview>[1] = {}): Promise<ReviewHarness> {
  const { run } = await standardRun(await tempRunsDir());
  return startOn(run, row, props);
}

const cursorLine = (frame: string): string => frame.split("\n").find((line) => line.startsWith("›")) ?? "";

describe("trajectory view", () => {
  it("shows the timeline with the cursor on the first ungraded call, and the step's arguments and result", async () => {
    const ui = await start(0);
    const frame = ui.frame();
    expect(frame).toContain("retail.cancel-order #0 · PASS · 0/3 graded · plan –");
    expect(frame).toContain("policy:reference");
    expect(cursorLine(frame)).toContain("e4 tool");
    expect(frame).toContain('"email": "ana@example.com"');
    expect(frame).toContain('"customerId": "C-1"');
  });

  it("grades a call with a digit: on disk at once, marked in the timeline, cursor on the next call", async () => {
    const ui = await start(0);
    await ui.press("1");
    const records = await ui.waitForRecords((list) => list.length === 1);
    expect(records[0]).toMatchObject({ trajectoryId: "tr-ref-cancel", target: { kind: "step", eventId: "e4" }, verdict: "correct" });
    const frame = await ui.waitFor((f) => cursorLine(f).includes("e6"));
    expect(frame).toMatch(/✓ +e4 tool/);
    expect(frame).toContain("1/3 graded");
  });

  it("asks why after a negative verdict, inside the detail pane, and saves the reason and what should have been called", async () => {
    const ui = await start(0);
    await ui.press("4");
    const form = await ui.waitFor((f) => f.includes("why · e4"));
    // The step's arguments stay in view under the form, and "should have called" starts from the call.
    expect(form).toContain('"email": "ana@example.com"');
    expect(form).toMatch(/should have called +find_customer\(email="ana@example.com"\)/);
    await ui.press(..."wrong email");
    await ui.press(KEY.TAB, "\u0015", ..."find_customer(email=ana@shop)", KEY.ENTER);
    const records = await ui.waitForRecords((list) => list.some((r) => r.note !== null));
    expect(records.at(-1)).toMatchObject({ verdict: "wrong_args", note: "wrong email", shouldHaveCalled: "find_customer(email=ana@shop)" });
    const frame = await ui.waitFor((f) => !f.includes("why · e4"));
    expect(frame).toMatch(/A +e4 tool/);
  });

  it("keeps what was typed when the reason form is closed with Esc", async () => {
    const ui = await start(0);
    await ui.press("e");
    await ui.waitFor((f) => f.includes("why · e4"));
    await ui.press(..."half a thought", KEY.ESCAPE);
    const records = await ui.waitForRecords((list) => list.length === 1);
    expect(records[0]).toMatchObject({ verdict: null, note: "half a thought" });
  });

  it("shows grader suggestions with their reasons; a accepts and moves on, u undoes and goes back, x rejects and asks why", async () => {
    const ui = await start(1);
    await ui.press("j", "j");
    let frame = await ui.waitFor((f) => cursorLine(f).includes("e6"));
    expect(frame).toContain("⚑ graders suggest skippable [a accept · x reject · m modify]");
    expect(frame).toContain("repeated-calls · skippable: repeats e4");
    await ui.press("a");
    let records = await ui.waitForRecords((list) => list.length === 2);
    expect(records.map((r) => [r.target.kind, r.verdict])).toEqual([
      ["suggestion", "accepted"],
      ["step", "skippable"],
    ]);
    frame = await ui.waitFor((f) => cursorLine(f).includes("e8"));
    expect(frame).toMatch(/~ +e6 tool.*⚐/);
    await ui.press("u");
    records = await ui.waitForRecords((list) => list.length === 4);
    expect(records.slice(2).every((r) => r.cleared && r.undoes !== null)).toBe(true);
    frame = await ui.waitFor((f) => cursorLine(f).includes("e6") && f.includes("[a accept · x reject · m modify]"));
    expect(frame).toContain("undid skippable on e6");
    await ui.press("x");
    records = await ui.waitForRecords((list) => list.length === 6);
    expect(records.slice(4).map((r) => [r.target.kind, r.verdict])).toEqual([
      ["suggestion", "rejected"],
      ["step", "correct"],
    ]);
    expect(records[5]!.labels).toEqual(["rejected:repeated-calls"]);
    await ui.waitFor((f) => f.includes("why · e6"));
    await ui.press(..."the lookup was needed", KEY.ENTER);
    records = await ui.waitForRecords((list) => list.length === 7);
    expect(records[6]).toMatchObject({ verdict: "correct", note: "the lookup was needed" });
    await ui.waitFor((f) => cursorLine(f).includes("e8") && !f.includes("why · e6"));
  });

  it("searches the steps with / and moves between matches with ] and [", async () => {
    const ui = await start(1);
    await ui.press("/", ..."find_customer", KEY.ENTER);
    await ui.waitFor((f) => f.includes('search "find_customer": 4 steps'));
    await ui.press("]");
    const first = cursorLine(await ui.waitFor((f) => cursorLine(f).includes("e5") || cursorLine(f).includes("e6")));
    await ui.press("]");
    await ui.waitFor((f) => cursorLine(f) !== first);
    await ui.press("[");
    await ui.waitFor((f) => cursorLine(f) === first);
  });

  it("sets the reference plan beside the actual calls, and shows the outcome with its state diff", async () => {
    const ui = await start(3);
    await ui.press(KEY.TAB);
    let frame = await ui.waitFor((f) => f.includes("plan vs reference"));
    expect(frame).toMatch(/list_orders.* - +missing/);
    expect(frame).toMatch(/= .*find_customer/);
    expect(frame).toMatch(/\+ e6 get_policy\(\).*extra/);
    await ui.press(KEY.TAB);
    frame = await ui.waitFor((f) => f.includes("outcome and state diff"));
    expect(frame).toContain("outcome FAIL");
    expect(frame).toContain("order O-1 was not cancelled");
    expect(frame).toContain('~ orders.O-1.status: "pending" → "cancelled"');
  });

  it("says how a conversation with the simulated user ended, in the outcome pane (Tab cycles panes from the detail too)", async () => {
    const chat = { ...makeTrajectory({ calls: [{ name: "lookup" }] }), conversation: { userTurns: 2, endedBy: "max_turns" as const } };
    const ui = await startOn(await writeRun(await tempRunsDir(), "run-1", [chat]), 0);
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("Esc back"), "the detail pane focused");
    await ui.press(KEY.TAB);
    await ui.waitFor((f) => f.includes("plan vs reference"));
    await ui.press(KEY.TAB);
    const frame = await ui.waitFor((f) => f.includes("outcome and state diff"));
    expect(frame).toContain("conversation: 2 user replies; ended because the user's turn limit was reached");
  });

  it("lists the graders' grades in the outcome pane, a grader that did not apply with its reason and no score", async () => {
    const t = makeTrajectory({ calls: [{ name: "lookup" }] });
    const grades = [
      { grader: "repeated-calls", trajectoryId: t.id, score: 1, pass: true, comment: "no repeated calls", steps: [] },
      {
        grader: "undone-writes",
        trajectoryId: t.id,
        score: null,
        pass: null,
        applicable: false,
        comment: "needs the scenario's tools to apply the calls again, and the scenario is not loaded",
        steps: [],
      },
    ];
    const ui = await startOn(await writeRun(await tempRunsDir(), "run-1", [t], grades), 0);
    await ui.press(KEY.TAB, KEY.TAB);
    const frame = await ui.waitFor((f) => f.includes("outcome and state diff"));
    expect(frame).toContain("✓ repeated-calls 1.00: no repeated calls");
    expect(frame).toContain("– undone-writes: not applicable: needs the scenario's tools");
  });

  it("scrolls the detail pane and expands long messages", async () => {
    const longText = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of a long answer`).join("\n");
    const run = await writeRun(await tempRunsDir(), "run-1", [
      makeTrajectory({ calls: [{ name: "lookup", result: { rows: Array.from({ length: 30 }, (_, i) => i) } }], assistantText: longText }),
    ]);
    const ui = await startOn(run, 0);
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => /step detail \(Tab\) 1-\d+\/\d+/.test(f));
    await ui.press("j", "j", "j");
    await ui.waitFor((f) => /step detail \(Tab\) 4-/.test(f), "the pane scrolled by three lines");
    await ui.press(KEY.ESCAPE, "G");
    let frame = await ui.waitFor((f) => f.includes("more lines (Space expands)"));
    expect(frame).not.toContain("line 20 of a long answer");
    await ui.press(" ", KEY.ENTER, "G");
    frame = await ui.waitFor((f) => f.includes("line 40 of a long answer"));
    expect(frame).toContain("(Space collapses)");
  });

  it("indents sub-agents and names each agent where it takes over", async () => {
    const run = await writeRun(await tempRunsDir(), "run-1", [
      makeTrajectory({
        calls: [
          { name: "route", agent: "supervisor" },
          { name: "lookup", agent: "billing" },
          { name: "refund", agent: "billing" },
        ],
      }),
    ]);
    const ui = await startOn(run, 0);
    const frame = ui.frame();
    expect(frame).toMatch(/e1 system +supervisor: You are/);
    expect(frame).toMatch(/e5 handoff +supervisor → billing/);
    expect(frame).toMatch(/e6 {3}model {5}billing: → lookup/);
    expect(frame).toMatch(/e7 {3}tool {6}lookup\(\)/);
  });

  it("resumes at the first ungraded step when reopened", async () => {
    const { run } = await standardRun(await tempRunsDir());
    const first = await ReviewSession.open({ runs: [run], reviewer: "ana" });
    await first.give([{ trajectoryId: "tr-ref-cancel", target: { kind: "step", eventId: "e4" }, verdict: "correct" }]);
    await first.close();
    const ui = await startOn(run, 0);
    expect(cursorLine(ui.frame())).toContain("e6 tool");
    expect(ui.frame()).toContain("(1 in progress)");
  });
});
