import { describe, expect, it } from "vitest";
import type { RunDirectory } from "../../harness/core.js";
import { resolveLatest, type ReviewRecord } from "../../reviews/index.js";
import { makeGrade, makeTrajectory, standardRun, tempRunsDir, writeRun } from "./fixtures.js";
import { KEY, openReview } from "./render.js";

/**
 * Records the review once saved that were not what the reviewer meant: each
 * test gives the judgement the way a reviewer would and reads the file.
 */

const REPEAT_REASON = "repeats e4 (find_customer with the same arguments) and nothing changed in between";
const EXTRA_REASON = "find_customer again with the arguments of e4, which already stands for a reference call";

/** A wasteful trajectory: e6 repeats e4 (two graders agree), e10 is only an extra call against the reference. */
async function wastefulRun(): Promise<RunDirectory> {
  const lookup = { name: "find_customer", args: { email: "ana@example.com" }, result: { customerId: "C-1" } };
  const policy = { name: "get_policy", args: {}, result: { days: 30 } };
  const orders = { name: "list_orders", args: { customerId: "C-1" }, result: [{ orderId: "O-1" }] };
  const trajectory = makeTrajectory({
    id: "tr-waste",
    model: "policy:wasteful",
    calls: [lookup, lookup, orders, policy],
    reference: [lookup, orders],
  });
  return writeRun(
    await tempRunsDir(),
    "run-1",
    [trajectory],
    [
      makeGrade("tr-waste", "outcome"),
      makeGrade("tr-waste", "repeated-calls", [{ eventId: "e6", label: "skippable", reason: REPEAT_REASON }]),
      makeGrade("tr-waste", "trajectory-match", [
        { eventId: "e6", label: "extra_call", reason: EXTRA_REASON },
        { eventId: "e10", label: "extra_call", reason: "get_policy {} is not in the reference plan" },
      ]),
    ],
  );
}

const latest = (records: readonly ReviewRecord[], eventId: string): ReviewRecord | undefined =>
  [...resolveLatest(records).values()].find((r) => r.target.kind === "step" && r.target.eventId === eventId);
const cursorLine = (frame: string): string => frame.split("\n").find((line) => line.startsWith("›")) ?? "";

describe("records that say what the reviewer meant", () => {
  it("accepting what two agreeing graders suggest keeps the definite verdict, with both graders and both reasons", async () => {
    const ui = await openReview(await wastefulRun());
    await ui.waitFor((f) => f.includes("of 1 reviewed"));
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("0/4 graded"));
    await ui.press("j", "j");
    await ui.waitFor((f) => cursorLine(f).includes("e6"));
    await ui.press("a");
    const records = await ui.waitForRecords((list) => latest(list, "e6")?.verdict !== undefined);
    const step = latest(records, "e6")!;
    expect(step.verdict).toBe("skippable");
    expect(step.labels).toEqual(["suggested-by:repeated-calls", "suggested-by:trajectory-match"]);
    expect(step.note).toBe(`${REPEAT_REASON}\n${EXTRA_REASON}`);
    // Both graders' labels are decided by that one key: nothing is left open on the step.
    const decisions = records.filter((r) => r.target.kind === "suggestion" && r.target.eventId === "e6");
    expect(decisions.map((r) => [r.target.kind === "suggestion" && r.target.grader, r.verdict])).toEqual([
      ["repeated-calls", "accepted"],
      ["trajectory-match", "accepted"],
    ]);
    const frame = await ui.waitFor((f) => /~ +e6 tool.*⚐/.test(f));
    expect(frame).not.toMatch(/e6 tool.*⚑/);
  });

  it("records every grader whose suggestion was accepted, and the note is theirs, in the same order", async () => {
    const ui = await openReview(await wastefulRun());
    await ui.waitFor((f) => f.includes("of 1 reviewed"));
    await ui.press(KEY.ENTER, "j", "j");
    await ui.waitFor((f) => cursorLine(f).includes("e6"));
    // Accept what is suggested on the step for as long as something on it is still open.
    for (let presses = 0; presses < 2 && /e6 tool.*⚑/.test(cursorLine(ui.frame())); presses += 1) {
      const before = ui.frame();
      await ui.press("a");
      await ui.waitFor((f) => f !== before);
    }
    const records = await ui.waitForRecords((list) => latest(list, "e6")?.verdict !== undefined);
    const step = latest(records, "e6")!;
    expect(step.labels.length).toBeGreaterThan(1);
    const graders = step.labels.map((label) => label.replace("suggested-by:", ""));
    const reasons = step.note!.split("\n");
    expect(graders).toHaveLength(reasons.length);
    const reasonOf: Record<string, string> = { "repeated-calls": REPEAT_REASON, "trajectory-match": EXTRA_REASON };
    expect(graders.map((grader) => reasonOf[grader])).toEqual(reasons);
  });

  it("attaches a pair's why to the pair just judged, not to the next one on screen", async () => {
    const { run } = await standardRun(await tempRunsDir());
    const ui = await openReview(run);
    await ui.waitFor((f) => f.includes("of 4 reviewed"));
    await ui.press("c");
    await ui.waitFor((f) => f.includes("pair 1 of 2") && f.includes("retail.cancel-order"));
    await ui.press("1");
    await ui.waitFor((f) => f.includes("pair 2 of 2"));
    await ui.press("e");
    const form = await ui.waitFor((f) => f.includes("Why?"));
    expect(form).toContain("pair 1 of 2 · retail.cancel-order");
    await ui.press(..."shorter", KEY.ENTER);
    const records = await ui.waitForRecords((list) => list.some((r) => r.note === "shorter"));
    const noted = records.find((r) => r.note === "shorter")!;
    expect(noted.verdict).not.toBeNull();
    expect(noted.target).toEqual(records[0]!.target);
    expect(records.filter((r) => r.target.kind === "pair")).toHaveLength(2);
    // The screen stays on the next pair, still to be judged.
    await ui.waitFor((f) => f.includes("pair 2 of 2") && f.includes("your choice: none yet"));
  });

  it("counts a plan as reviewed only once it passes or fails, not after a score alone", async () => {
    const { run } = await standardRun(await tempRunsDir());
    const ui = await openReview(run);
    await ui.waitFor((f) => f.includes("of 4 reviewed"));
    await ui.press("p");
    await ui.waitFor((f) => f.includes("score (1-5)"));
    await ui.press("4");
    await ui.waitForRecords((list) => list.length === 1);
    await ui.waitFor((f) => f.includes("0 of 4 reviewed (1 in progress)"));
    await ui.press(KEY.ESCAPE, KEY.ESCAPE);
    await ui.waitFor((f) => /^› ◐/m.test(f), "the queue row marked in progress");
    await ui.press("p", "y");
    await ui.waitFor((f) => f.includes("1 of 4 reviewed"));
  });

  it("counts in the queue the same flags the timeline marks", async () => {
    const ui = await openReview(await wastefulRun(), { size: { columns: 100, rows: 40 } });
    const queue = await ui.waitFor((f) => f.includes("of 1 reviewed"));
    const queued = Number(/⚑(\d+)/.exec(cursorLine(queue))?.[1] ?? 0);
    await ui.press(KEY.ENTER);
    const frame = await ui.waitFor((f) => f.includes("0/4 graded"));
    const timelineFlags = frame.split("\n").filter((line) => /^.. +e\d+ /.test(line) && line.includes("⚑")).length;
    expect(queued).toBe(1);
    expect(timelineFlags).toBe(queued);
    // The extra call alone is noted, not flagged.
    expect(frame).toMatch(/e10 tool +get_policy\(\) +i/);
  });
});
