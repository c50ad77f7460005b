import { writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ReviewFile, ReviewSession, stepJudgement, settleStep } from "../../reviews/index.js";
import { readReviewRecords, standardRun, tempRunsDir } from "./fixtures.js";

const sessions: ReviewSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});

async function reopen(runsDir: string): Promise<ReviewSession> {
  const { run } = await standardRun(runsDir);
  const session = await ReviewSession.open({ runs: [run], reviewer: "ana" });
  sessions.push(session);
  return session;
}

const LEGACY = JSON.stringify({
  schemaVersion: 1,
  reviewer: "ana",
  at: "@AT",
  runId: "run-1",
  trajectoryId: "tr-ref-cancel",
  scenarioId: "retail.cancel-order",
  target: { kind: "step", eventId: "@EVENT" },
  verdict: "@VERDICT",
  labels: [],
  score: null,
  rating: null,
  note: null,
  shouldHaveCalled: null,
  skippable: [],
  missing: [],
  cleared: false,
  undoes: null,
});
const EPOCH = Date.UTC(2026, 0, 1);

/** A record as trajlab wrote them before batch ids: records given together shared their `at`. */
function legacyRecord(index: number, eventId: string, verdict: string): string {
  return LEGACY.replace("@AT", new Date(EPOCH + index).toISOString())
    .replace("@EVENT", eventId)
    .replace("@VERDICT", verdict);
}

describe("reviewer files", () => {
  it("opens a reviewer's file of more than 130,000 records, and undo still reaches the last of them", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const count = 131_072;
    const verdicts = ["correct", "skippable", "wrong_args", "other"];
    const eventOf = (i: number): string => `e${4 + 2 * (i % 3)}`;
    const verdictOf = (i: number): string => verdicts[i % verdicts.length]!;
    const lines = Array.from({ length: count }, (_, i) => legacyRecord(i, eventOf(i), verdictOf(i)));
    /** The newest record for an event among the first `end` records. */
    const newest = (eventId: string, end = count): number => {
      for (let i = end - 1; i >= 0; i -= 1) if (eventOf(i) === eventId) return i;
      return -1;
    };
    await writeFile(ReviewFile.pathFor(run, "ana"), `${lines.join("\n")}\n`);

    const session = await ReviewSession.open({ runs: [run], reviewer: "ana" });
    sessions.push(session);
    const review = session.ledger.review("tr-ref-cancel");
    expect(review.steps.get("e4")?.verdict).toBe(verdictOf(newest("e4")));
    // A new grade comes after every old one, and undo takes it back, then the newest old one.
    await session.give([stepJudgement("tr-ref-cancel", "e4", review.steps.get("e4"), { verdict: "harmful" })]);
    const written = session.ledger.review("tr-ref-cancel").steps.get("e4")!;
    expect(written.at > new Date(EPOCH + count).toISOString()).toBe(true);
    await session.undo()?.saved;
    expect(session.ledger.review("tr-ref-cancel").steps.get("e4")?.verdict).toBe(verdictOf(newest("e4")));
    // The newest old record goes next: its step returns to the record before it.
    const last = eventOf(count - 1);
    await session.undo()?.saved;
    expect(session.ledger.review("tr-ref-cancel").steps.get(last)?.verdict).toBe(verdictOf(newest(last, count - 1)));
  }, 60_000);

  it("gives each batch of records an id of its own, so records given in the same millisecond stay apart and those given together undo together", async () => {
    const runsDir = await tempRunsDir();
    const first = await reopen(runsDir);
    const repeat = first.load("tr-waste-cancel").timeline.find((step) => step.event.id === "e6")!;
    await first.give(settleStep("tr-waste-cancel", repeat, first.ledger.review("tr-waste-cancel"), {}, "accept"));
    await first.give([stepJudgement("tr-waste-cancel", "e4", undefined, { verdict: "correct" })]);
    await first.close();
    const records = await readReviewRecords(first.files[0]!);
    expect(records.map((r) => r.schemaVersion)).toEqual([2, 2, 2]);
    expect(records[0]!.batch).toBe(records[1]!.batch);
    expect(records[2]!.batch).not.toBe(records[0]!.batch);
    // Batches are told apart by id even where their clocks agree (a copied file, a coarse clock).
    const sameClock = records.map((r) => JSON.stringify({ ...r, at: records[0]!.at }));
    await writeFile(first.files[0]!, `${sameClock.join("\n")}\n`);

    const again = await reopen(runsDir);
    await again.undo()?.saved;
    expect(again.ledger.review("tr-waste-cancel").steps.has("e4")).toBe(false);
    expect(again.ledger.review("tr-waste-cancel").steps.get("e6")?.verdict).toBe("skippable");
    await again.undo()?.saved;
    expect(again.ledger.review("tr-waste-cancel").steps.has("e6")).toBe(false);
    expect(again.ledger.review("tr-waste-cancel").suggestions.size).toBe(0);
    const undone = (await readReviewRecords(again.files[0]!)).slice(3);
    expect(undone.map((r) => r.undoes)).toEqual([records[2]!.batch, records[0]!.batch, records[0]!.batch]);
  });

  it("still reads files written before batch ids, grouping their records by time as then", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    const together = [legacyRecord(0, "e4", "correct"), legacyRecord(0, "e6", "correct"), legacyRecord(5, "e8", "correct")];
    await writeFile(ReviewFile.pathFor(run, "ana"), `${together.join("\n")}\n`);
    const session = await reopen(runsDir);
    await session.undo()?.saved;
    expect([...session.ledger.review("tr-ref-cancel").steps.keys()]).toEqual(["e4", "e6"]);
    await session.undo()?.saved;
    expect(session.ledger.review("tr-ref-cancel").steps.size).toBe(0);
    const undone = (await readReviewRecords(session.files[0]!)).slice(3);
    expect(undone.map((r) => r.undoes)).toEqual([
      together.map((line) => JSON.parse(line).at)[2],
      ...[0, 1].map(() => JSON.parse(together[0]!).at),
    ]);
  });
});
