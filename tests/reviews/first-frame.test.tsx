import { describe, expect, it, onTestFinished } from "vitest";
import { OPEN_FILTER, ReviewSession } from "../../reviews/index.js";
import { tempRunsDir, writeRecordedSizeRun } from "./fixtures.js";
import { eventually, KEY, renderReview } from "./render.js";

/**
 * A large run's queue is drawn before the run is indexed: the first
 * screenful, with the indexing shown, then the full count once the rest is
 * read. Keys pressed while it reads are never lost: those that need what is
 * not read yet wait, in order, and then do what they would have done.
 */

/** 2,000 trajectories of recorded size (about 50 MB): a dozen chunks of the file after the first. */
const COUNT = 2_000;

async function startLargeReview(props: Parameters<typeof renderReview>[1] = {}) {
  const runsDir = await tempRunsDir();
  const run = await writeRecordedSizeRun(runsDir, "run-large", COUNT);
  const session = await ReviewSession.start({ runs: [run], reviewer: "ana", firstRows: 24 });
  onTestFinished(() => session.close());
  const review = renderReview(session, props);
  onTestFinished(() => review.unmount());
  return { session, review };
}

describe("the first frame of a large run", () => {
  it("shows the first screenful while indexing, says so, and shows the full count once the run is read", async () => {
    const { session, review } = await startLargeReview();
    expect(session.progress.done).toBe(false);
    const first = review.frame();
    expect(first).toContain("indexing grades…");
    expect(first).toMatch(/0 of \d+ reviewed so far/);
    // The first rows are there; what grades say of them is not claimed before the grades are read.
    expect(first).toContain("› ○ retail.where-is-my-order");
    expect(first).not.toContain(`of ${COUNT}`);

    const last = await review.waitFor((frame) => frame.includes(`0 of ${COUNT} reviewed`) && !frame.includes("indexing"), "the full count");
    expect(last).toContain(`showing ${COUNT} of ${COUNT}`);
    expect(last).not.toContain("so far");
    // The grades are read: the recorded-size run's outcome grader passes every trajectory.
    expect(last).toContain(" pass ");
    expect(session.progress).toEqual({ trajectories: COUNT, graded: true, done: true });
  }, 60_000);

  it("keeps every key pressed while indexing: moves at once, opens and grades once the grades are read, opens the filters once all is read", async () => {
    const { session, review } = await startLargeReview();
    // Down twice, open the trajectory, give its first step a verdict, back to the queue, open the filters.
    await review.press("j", "j", KEY.ENTER, "1", KEY.ESCAPE, "f");
    // All of them were pressed before the run was read to its end.
    expect(session.progress.done).toBe(false);

    const records = await review.waitForRecords((list) => list.length > 0);
    expect(records).toEqual([
      expect.objectContaining({ trajectoryId: "tr-0000002", target: { kind: "step", eventId: "e4" }, verdict: "correct" }),
    ]);
    const filters = await review.waitFor((frame) => frame.includes("Filters"), "the filter panel");
    expect(session.progress.done).toBe(true);
    expect(filters).not.toContain("indexing");
  }, 60_000);

  it("quits at once on q while it returns to a saved trajectory the index has not reached, and keeps that place", async () => {
    const last = `tr-${String(COUNT - 1).padStart(7, "0")}`;
    const saved = {
      version: 1 as const,
      savedAt: "2026-11-20T10:00:00.000Z",
      screen: "trajectory" as const,
      trajectoryId: last,
      eventId: "e4",
      pane: "task" as const,
      pair: null,
      filter: OPEN_FILTER,
      sort: "file" as const,
    };
    const positions: unknown[] = [];
    const { session, review } = await startLargeReview({ resume: saved, onPosition: (position) => positions.push(position) });
    await review.press("q");
    await eventually(
      () => review.exited(),
      () => "the review to quit",
    );
    // It did not wait for the index to reach the saved trajectory, near the end of the run.
    expect(session.progress.done).toBe(false);
    expect(session.entries.some((entry) => entry.id === last)).toBe(false);
    // Nothing but the saved place was offered as the place to come back to.
    for (const position of positions) expect(position).toMatchObject({ trajectoryId: last });
  }, 60_000);
});
