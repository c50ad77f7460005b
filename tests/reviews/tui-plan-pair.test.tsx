import { describe, expect, it } from "vitest";
import { standardRun, tempRunsDir } from "./fixtures.js";
import { KEY, openReview, type ReviewHarness } from "./render.js";

async function start(props: Parameters<typeof openReview>[1] = {}): Promise<ReviewHarness> {
  const { run } = await standardRun(await tempRunsDir());
  const harness = await openReview(run, props);
  await harness.waitFor((frame) => frame.includes("reviewed"));
  return harness;
}

describe("plan grading", () => {
  it("saves score, pass/fail, skippable ranges, missing steps and critique as they are given", async () => {
    const ui = await start();
    await ui.press("j", "p");
    await ui.waitFor((f) => f.includes("score (1-5)"));
    await ui.press("4");
    let records = await ui.waitForRecords((list) => list.length === 1);
    expect(records[0]).toMatchObject({ trajectoryId: "tr-waste-cancel", target: { kind: "plan" }, rating: 4, score: 0.75, verdict: null });
    await ui.press("y", KEY.TAB, KEY.TAB);
    await ui.waitFor((f) => f.includes("› skippable steps"));
    await ui.press("j", "v", "j", "v");
    records = await ui.waitForRecords((list) => list.at(-1)?.skippable.length === 1);
    expect(records.at(-1)).toMatchObject({ verdict: "pass", skippable: [{ from: "e6", to: "e8" }] });
    await ui.press(KEY.TAB, ..."ask for the order id", KEY.TAB, ..."one lookup too many", KEY.ENTER);
    records = await ui.waitForRecords((list) => list.at(-1)?.note === "one lookup too many");
    expect(records.at(-1)).toMatchObject({
      rating: 4,
      verdict: "pass",
      skippable: [{ from: "e6", to: "e8" }],
      missing: ["ask for the order id"],
      note: "one lookup too many",
    });
    await ui.waitFor((f) => f.includes("1 of 4 reviewed") && !f.includes("score (1-5)"), "the form closed by Enter in its last field");
  });

  it("starts the skippable steps from the reviewer's own skippable verdicts, and the plan comparison's missing calls are listed", async () => {
    const ui = await start();
    await ui.press("j", "j", "j", KEY.ENTER);
    await ui.waitFor((f) => f.includes("graded"));
    await ui.press("j", "j", "2", KEY.ESCAPE);
    // The digit agrees with the grader's suggestion on e6, so it accepts it too.
    const records = await ui.waitForRecords((list) => list.some((r) => r.target.kind === "step"));
    expect(records.map((r) => [r.target.kind, r.verdict])).toEqual([
      ["suggestion", "accepted"],
      ["step", "skippable"],
    ]);
    await ui.press("p");
    const frame = await ui.waitFor((f) => f.includes("score (1-5)"));
    expect(frame).toMatch(/\[x\] e6 get_policy/);
    expect(frame).toContain("missing list_orders");
  });

  it("grading the last step opens the plan; n walks ungraded steps, then the plan, then the next unreviewed trajectory", async () => {
    const ui = await start();
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("0/3 graded"));
    await ui.press("1", "1", "1");
    await ui.waitFor((f) => f.includes("score (1-5)"), "the plan form, opened by the last verdict");
    await ui.press("5", KEY.ESCAPE);
    await ui.waitFor((f) => f.includes("3/3 graded · plan 5/5"));
    await ui.press("n");
    await ui.waitFor((f) => f.includes("score (1-5)"), "the plan again: it has no pass or fail yet");
    await ui.press("y", "n");
    await ui.waitFor((f) => f.includes("policy:wasteful") && f.includes("0/4 graded"));
  });
});

describe("pairwise", () => {
  it("shows two trajectories of a scenario side by side and records A, B or tie", async () => {
    const ui = await start();
    await ui.press("c");
    let frame = await ui.waitFor((f) => f.includes("pair 1 of 2"));
    expect(frame).toContain("retail.cancel-order");
    expect(frame).toMatch(/── A/);
    expect(frame).toMatch(/── B/);
    await ui.press("1");
    const records = await ui.waitForRecords((list) => list.length === 1);
    const record = records[0]!;
    expect(record.target.kind).toBe("pair");
    expect(record.verdict).toBe("a");
    frame = await ui.waitFor((f) => f.includes("pair 2 of 2"));
    expect(frame).toContain("retail.track-order");
    await ui.press("[");
    await ui.waitFor((f) => f.includes("pair 1 of 2") && f.includes("your choice: A is better"));
    await ui.press("e", ..."shorter", KEY.ENTER);
    const noted = await ui.waitForRecords((list) => list.length === 2);
    expect(noted[1]).toMatchObject({ verdict: "a", note: "shorter" });
  });

  it("starts in pairwise mode when asked", async () => {
    const ui = await start({ pairwise: true });
    await ui.waitFor((f) => f.includes("pair 1 of 2"));
    await ui.press("3");
    const records = await ui.waitForRecords((list) => list.length === 1);
    expect(records[0]!.verdict).toBe("tie");
  });
});
