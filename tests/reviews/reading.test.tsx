import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { TrajectorySchema, type RunDirectory, type Trajectory } from "../../harness/core.js";
import { ReviewSession } from "../../reviews/index.js";
import { tableLines, tableOf } from "../../reviews/tui/json-table.js";
import { queueContent, queueWidths } from "../../reviews/tui/queue-columns.js";
import { MONOCHROME_THEME } from "../../reviews/tui/theme.js";
import { makeGrade, makeTrajectory, tempRunsDir, writeRun } from "./fixtures.js";
import { KEY, openReview, type ReviewHarness } from "./render.js";

/** An imported-looking trajectory: provenance, no timing, a result that is a list of records, and a failed call. */
function importedTrajectory(overrides: Partial<Trajectory> = {}): Trajectory {
  const flights = Array.from({ length: 3 }, (_, i) => ({
    flight_number: `HAT0${60 + i}`,
    origin: "JFK",
    destination: "SEA",
    scheduled_departure_time_est: `0${6 + i}:00:00`,
    prices: { economy: 100 + i, business: 400 + i },
  }));
  const base = makeTrajectory({
    id: "tr-imported",
    scenarioId: "tau-bench.task-7",
    trial: 3,
    task: `I want to fly from New York to Seattle on May 20th, ${"but only after eleven in the morning, ".repeat(4)}and economy.`,
    calls: [
      { name: "search_direct_flight", args: { origin: "JFK", destination: "SEA" }, result: JSON.stringify(flights) },
      { name: "book_reservation", args: { flight: "HAT061" }, error: "Error: payment amount does not add up" },
    ],
  });
  return TrajectorySchema.parse({
    ...base,
    durationMs: null,
    events: base.events.map((event) => ({ ...event, startMs: null, durationMs: null })),
    provenance: {
      format: "tau-bench",
      file: "data/gpt-4o-airline.json",
      index: 28,
      line: null,
      originalId: null,
      metadata: { task_id: 7, trial: 3, reward: 0 },
    },
    ...overrides,
  });
}

async function importedRun(): Promise<RunDirectory> {
  const trajectory = importedTrajectory();
  const run = await writeRun(await tempRunsDir(), "imported", [trajectory], [makeGrade(trajectory.id, "outcome")]);
  // As `trajlab import` writes it: no settings, an imported source.
  const manifest = JSON.parse(await readFile(run.file("manifest"), "utf8")) as Record<string, unknown>;
  const imported = { format: "tau-bench", files: [{ path: "data/gpt-4o-airline.json", sha256: "0", records: 1 }], options: {}, models: [] };
  await writeFile(run.file("manifest"), JSON.stringify({ ...manifest, settings: null, imported }));
  return run;
}

const cursorLine = (frame: string): string => frame.split("\n").find((line) => line.startsWith("›")) ?? "";

async function openOn(
  run: RunDirectory | RunDirectory[],
  size = { columns: 80, rows: 24 },
  theme?: typeof MONOCHROME_THEME,
): Promise<ReviewHarness> {
  const ui = await openReview(run, { size, ...(theme ? { theme } : {}) });
  await ui.waitFor((f) => f.includes("reviewed"));
  return ui;
}

describe("reading real trajectories", () => {
  it("shows a result that is a list of records as a table, scrolled sideways, with the full JSON one key away", async () => {
    const ui = await openOn(await importedRun(), { columns: 80, rows: 40 });
    await ui.press(KEY.ENTER);
    let frame = await ui.waitFor((f) => cursorLine(f).includes("search_direct_flight"));
    expect(frame).toContain("3 rows × 6 columns · t: the full JSON · ←/→: sideways");
    expect(frame).toMatch(/flight_number +origin +destination/);
    expect(frame).toMatch(/HAT060 +JFK +SEA/);
    expect(frame).not.toContain('"flight_number": "HAT060"');
    await ui.press(KEY.RIGHT);
    frame = await ui.waitFor((f) => !/flight_number +origin/.test(f));
    expect(frame).toMatch(/06:00:00 +100 +400/);
    expect(frame).toMatch(/prices.economy +prices.business/);
    await ui.press("t");
    frame = await ui.waitFor((f) => f.includes('"flight_number": "HAT060"'));
    expect(frame).not.toContain("3 rows × 6 columns");
  });

  it("builds tables from the keys of every record, and only from lists of records", () => {
    const table = tableOf('[{"a":1,"b":"x"},{"b":"y","c":[1,2]}]')!;
    expect(table.columns).toEqual(["a", "b", "c"]);
    expect(table.rows).toEqual([
      ["1", "x", ""],
      ["", "y", "[1,2]"],
    ]);
    expect(tableLines(table)).toEqual(["a  b  c", "─  ─  ─────", "1  x", "   y  [1,2]"]);
    expect([tableOf([]), tableOf([1, 2]), tableOf({ a: 1 }), tableOf("not json")]).toEqual([null, null, null, null]);
    // Nested objects spread into columns of their own, two levels deep; arrays and deeper objects stay JSON.
    const nested = tableOf([{ id: 1, price: { economy: 100, fees: { tax: 7, extra: { bag: 30 } } }, legs: [1, 2] }])!;
    expect(nested.columns).toEqual(["id", "price.economy", "price.fees.tax", "price.fees.extra", "legs"]);
    expect(nested.rows).toEqual([["1", "100", "7", '{"bag":30}', "[1,2]"]]);
  });

  it("marks a failed call at the start of its line, without colour too, and shows its error once", async () => {
    const ui = await openOn(await importedRun(), { columns: 80, rows: 30 }, MONOCHROME_THEME);
    await ui.press(KEY.ENTER, "j", "j");
    const frame = await ui.waitFor((f) => cursorLine(f).includes("book_reservation"));
    expect(cursorLine(frame)).toMatch(/^›·✗ *e6 tool +book_reservation\(flight="HAT061"\)/);
    expect(frame.split("Error: payment amount does not add up")).toHaveLength(2);
    expect(frame).not.toContain("── result");
    // On 80 columns the header still says where the trajectory came from.
    expect(frame).toContain("✗1 failed · from tau-bench");
    expect(frame).toContain("time not recorded");
    expect(frame).not.toContain("0ms");
  });

  it("says where an imported trajectory came from, its trial, and the task in full", async () => {
    const ui = await openOn(await importedRun(), { columns: 100, rows: 40 });
    const queue = ui.frame();
    // One source for the whole queue: the header names it, the rows leave it out.
    expect(queue).toContain("trajlab review · imported · from tau-bench · ana");
    expect(queue).toMatch(/scenario +# +agent +model +out/);
    expect(cursorLine(queue)).toMatch(/tau-bench\.task-7 +#3 .* pass +2 +✗1 +I want to fly from New/);
    expect(queue).toMatch(/flg +task/);
    await ui.press(KEY.ENTER);
    let frame = await ui.waitFor((f) => f.includes("graded"));
    expect(frame).toContain("tau-bench.task-7 #3 · PASS");
    expect(frame).toContain("(i: in full)");
    await ui.press("i");
    frame = await ui.waitFor((f) => f.includes("task and source"));
    expect(frame.replace(/\s+/g, " ")).toContain(importedTrajectory().task!);
    expect(frame).toContain("imported from tau-bench: data/gpt-4o-airline.json (record 28)");
    expect(frame).toContain("task_id: 7");
    expect(frame).toContain("took     time not recorded");
  });
});

describe("the queue", () => {
  async function twoRuns(): Promise<RunDirectory[]> {
    const dir = await tempRunsDir();
    const make = (runId: string, id: string, scenarioId: string, model: string) =>
      makeTrajectory({ id, runId, scenarioId, model, calls: [{ name: "lookup" }] });
    return [
      await writeRun(dir, "run-a", [
        make("run-a", "tr-a1", "retail.cancel", "policy:reference"),
        make("run-a", "tr-a2", "travel.book", "policy:reference"),
      ]),
      await writeRun(dir, "run-b", [
        make("run-b", "tr-b1", "retail.cancel", "policy:wasteful"),
        make("run-b", "tr-b2", "travel.book", "policy:wasteful"),
      ]),
    ];
  }

  it("has a source column only when the open trajectories come from more than one source", async () => {
    const session = await ReviewSession.open({ runs: await twoRuns(), reviewer: "ana", lock: false });
    await session.close();
    const entries = session.entries;
    const one = queueWidths(
      queueContent(entries, () => "recorded", 2),
      100,
    );
    const two = queueWidths(
      queueContent(entries, (entry) => (entry.run.id === "run-a" ? "recorded" : "tau-bench"), 2),
      100,
    );
    expect([one.source, two.source]).toEqual([0, "tau-bench".length]);
    // The room the source column leaves goes to the scenario (and, past its longest id, to the task).
    expect(one.scenario + one.task).toBeGreaterThan(two.scenario + two.task);
  });

  it("filters by run; a value can be typed, values go both ways, and Enter on clear clears", async () => {
    const ui = await openOn(await twoRuns());
    await ui.press("f");
    await ui.waitFor((f) => f.includes("run: any"));
    // unreviewed, failed, flagged, run: the fourth row.
    await ui.press("j", "j", "j", " ");
    await ui.waitFor((f) => f.includes("run: run-a"));
    await ui.press(KEY.RIGHT);
    await ui.waitFor((f) => f.includes("run: run-b"));
    await ui.press(KEY.LEFT);
    await ui.waitFor((f) => f.includes("run: run-a"));
    await ui.press("j", KEY.ENTER, ..."trav");
    await ui.waitFor((f) => f.includes("→ travel.book"));
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("scenario: travel.book"));
    await ui.press(KEY.ESCAPE);
    const frame = await ui.waitFor((f) => f.includes("showing 1 of 4"));
    expect(frame).toContain("filters: scenario=travel.book · run=run-a");
    expect(cursorLine(frame)).toContain("travel.book");
    await ui.press("f", ..."jjjjjjjj");
    await ui.waitFor((f) => cursorLine(f).includes("clear every filter"));
    await ui.press(KEY.ENTER);
    await ui.waitFor((f) => f.includes("showing 4 of 4") && f.includes("filters: none"));
  });
});
