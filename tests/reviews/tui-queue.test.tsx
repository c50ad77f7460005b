import { describe, expect, it } from "vitest";
import { ReviewSession } from "../../reviews/index.js";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTrajectory, standardRun, tempRunsDir, writeRun } from "./fixtures.js";
import { eventually, KEY, openReview, type ReviewHarness } from "./render.js";

async function start(props: Parameters<typeof openReview>[1] = {}): Promise<ReviewHarness> {
  const { run } = await standardRun(await tempRunsDir());
  const harness = await openReview(run, props);
  await harness.waitFor((frame) => frame.includes("of 4 reviewed"));
  return harness;
}

const selected = (frame: string): string => frame.split("\n").find((line) => line.startsWith("›")) ?? "";

describe("queue", () => {
  it("lists every trajectory with status, outcome and grader flags, and shows progress", async () => {
    const ui = await start();
    const frame = ui.frame();
    expect(frame).toContain("0 of 4 reviewed");
    expect(frame).toContain("retail.cancel-order");
    expect(frame).toContain("FAIL");
    expect(frame).toContain("⚑1");
    expect(selected(frame)).toContain("policy:reference");
  });

  it("moves with j/k and the arrows, also when keys arrive together", async () => {
    const ui = await start();
    await ui.press("j");
    await ui.waitFor((f) => selected(f).includes("policy:wasteful"));
    await ui.press(KEY.DOWN, "k");
    await ui.waitFor((f) => selected(f).includes("policy:wasteful") && selected(f).includes("cancel"));
    await ui.press("jj");
    await ui.waitFor((f) => selected(f).includes("FAIL"), "two moves from one chunk");
  });

  it("filters: failed only, flagged only, then clear", async () => {
    const ui = await start();
    await ui.press("f");
    await ui.waitFor((f) => f.includes("failed outcome only"));
    await ui.press("j", " ");
    await ui.waitFor((f) => f.includes("[x] failed outcome only"));
    await ui.press(KEY.ESCAPE);
    const frame = await ui.waitFor((f) => f.includes("showing 1 of 4"));
    expect(frame).toContain("filters: failed");
    await ui.press("f", "j", " ", "j", " ");
    await ui.waitFor((f) => f.includes("[ ] failed outcome only") && f.includes("[x] flagged by graders only"));
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("showing 2 of 4") && f.includes("filters: flagged"));
    await ui.press("f", "jjjjjjj", " ", KEY.ESCAPE);
    await ui.waitFor((f) => f.includes("showing 4 of 4") && f.includes("filters: none"));
  });

  it("searches by text as you type, and sorts", async () => {
    const ui = await start();
    await ui.press("/", "t", "r", "a", "c", "k");
    await ui.waitFor((f) => f.includes("showing 2 of 4"));
    await ui.press(KEY.ENTER, "s", "s", "s", "s");
    const frame = await ui.waitFor((f) => f.includes("sort: failed first"));
    expect(selected(frame)).toContain("FAIL");
  });

  it("jumps to the next unreviewed trajectory with n", async () => {
    const ui = await start();
    await ui.session.give([{ trajectoryId: "tr-waste-cancel", target: { kind: "plan" }, rating: 5, score: 1, verdict: "pass" }]);
    await ui.waitFor((f) => f.includes("1 of 4 reviewed"));
    await ui.press("n");
    await ui.waitFor((f) => selected(f).includes("track-order") && selected(f).includes("policy:reference"));
  });

  it("shows every key from the key table with ?", async () => {
    const ui = await start();
    await ui.press("?");
    const frame = await ui.waitFor((f) => f.includes("Keys"));
    expect(frame).toContain("Queue (here)");
    expect(frame).toContain("next unreviewed trajectory");
    // Esc and a key in one chunk (fast typing, tmux send-keys) read as Alt+key: the router makes them Esc, then the key.
    await ui.press(`${KEY.ESCAPE}j`);
    await ui.waitFor((f) => !f.includes("Queue (here)") && selected(f).includes("policy:wasteful"));
  });
});

describe("damaged trajectories", () => {
  it("names the file, line and field of a trajectory that does not validate, and keeps the rest reviewable", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const { readFile, writeFile } = await import("node:fs/promises");
    const lines = (await readFile(run.file("trajectories"), "utf8")).split("\n");
    lines[1] = lines[1]!.replace('"kind":"tool_call"', '"kind":"tool_kall"');
    await writeFile(run.file("trajectories"), lines.join("\n"));
    const harness = await openReview(run);
    await harness.waitFor((f) => f.includes("of 4 reviewed"));
    await harness.press("j", KEY.ENTER);
    const frame = await harness.waitFor((f) => f.includes("trajectories.jsonl:2"));
    expect(frame).toMatch(/events\[\d+\]/);
    await harness.press("j", KEY.ENTER);
    await harness.waitFor((f) => /\d+\/\d+ graded/.test(f));
  });
});

describe("resuming", () => {
  it("starts the queue cursor on the first trajectory not yet done", async () => {
    const { run } = await standardRun(await tempRunsDir());
    const first = await ReviewSession.open({ runs: [run], reviewer: "ana" });
    await first.give([{ trajectoryId: "tr-ref-cancel", target: { kind: "plan" }, rating: 5, score: 1, verdict: "pass" }]);
    await first.close();
    const harness = await openReview(run);
    const frame = await harness.waitFor((f) => f.includes("1 of 4 reviewed"));
    expect(selected(frame)).toContain("policy:wasteful");
  });
});

describe("several runs", () => {
  it("queues the trajectories of every run, says which run each is from, and writes each grade to its own run's file", async () => {
    const runsDir = await tempRunsDir();
    const { run: first } = await standardRun(runsDir, "20261120-run-a");
    const second = await writeRun(runsDir, "20261120-run-b", [
      makeTrajectory({ id: "tr-b", runId: "20261120-run-b", scenarioId: "travel.book", calls: [{ name: "search" }] }),
    ]);
    const harness = await openReview([first, second]);
    const frame = await harness.waitFor((f) => f.includes("of 5 reviewed"));
    expect(frame).toContain("run-b ");
    await harness.press("G", KEY.ENTER);
    await harness.waitFor((f) => f.includes("travel.book"));
    await harness.press("1");
    await eventually(
      async () => (await readFile(join(second.path, "reviews", "ana.jsonl"), "utf8").catch(() => "")).includes('"trajectoryId":"tr-b"'),
      () => "the grade in run b's file",
    );
    expect(
      existsSync(join(first.path, "reviews", "ana.jsonl")) ? await readFile(join(first.path, "reviews", "ana.jsonl"), "utf8") : "",
    ).toBe("");
  });
});
