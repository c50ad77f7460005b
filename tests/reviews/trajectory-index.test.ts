import { appendFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  ReviewSession,
  indexTrajectories,
  loadTrajectory,
  readLeadingFields,
  readTrailingField,
  type ReviewWarning,
} from "../../reviews/index.js";
import { makeGrade, makeTrajectory, tempRunsDir, writeRun } from "./fixtures.js";

/**
 * The review's index reads a few labels from each end of every line; checked
 * against the whole line parsed with JSON.parse, on lines built to trip it:
 * escapes and multi-byte text across the first kilobyte, a nested "outcome"
 * key after the real one, a line longer than the index's read chunk, fields
 * in another order, a null outcome, a torn last line.
 */

/** What the queue should know of a line, from the line parsed whole. */
function expectedEntry(line: string, number: number, offset: number) {
  const t = JSON.parse(line);
  return {
    id: t.id,
    runId: t.runId,
    scenarioId: t.scenarioId,
    domain: t.domain,
    agent: t.agent,
    model: t.model,
    trial: t.trial,
    task: t.task ?? "",
    pass: t.outcome === null ? null : t.outcome.pass,
    termination: t.termination.reason,
    toolCalls: t.usage.toolCalls,
    line: number,
    offset,
    length: Buffer.byteLength(line),
  };
}

describe("the trajectory index", () => {
  it("reads each line's labels as a whole-line parse would, on lines built to trip it", async () => {
    const runsDir = await tempRunsDir();
    const run = await writeRun(runsDir, "run-1", []);
    const tricky = '"quoted" \\ back\\slash, tab\t, é ü 漢字 😀 '.repeat(40); // > 1 KB, multi-byte at the cut
    const huge = "x".repeat(5 * 1024 * 1024); // longer than one read chunk
    const lines = [
      makeTrajectory({ id: "tr-plain" }),
      makeTrajectory({ id: "tr-escapes", task: tricky, scenarioId: 'retail.a"b', pass: false }),
      // A tool result with an "outcome" of its own, and a reference whose arguments have one too.
      makeTrajectory({
        id: "tr-nested",
        pass: true,
        calls: [{ name: "lookup", args: { outcome: { pass: false } }, result: { outcome: { pass: false, score: 0 } } }],
      }),
      makeTrajectory({ id: "tr-huge", calls: [{ name: "dump", result: { text: huge } }], pass: false }),
      { ...makeTrajectory({ id: "tr-null-outcome" }), outcome: null },
    ].map((trajectory) => JSON.stringify(trajectory));
    // Written by another tool: the same fields, the other way round.
    lines.push(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(lines[0]!.replace("tr-plain", "tr-reversed"))).reverse())));
    await writeFile(run.file("trajectories"), `${lines.join("\n")}\n\n`);

    const entries = await indexTrajectories(run);
    let offset = 0;
    const expected = lines.map((line, index) => {
      const entry = expectedEntry(line, index + 1, offset);
      offset += Buffer.byteLength(line) + 1;
      return entry;
    });
    expect(entries.map(({ run: _run, ...entry }) => entry)).toEqual(expected);
    expect(entries.find((entry) => entry.id === "tr-nested")!.pass).toBe(true);
    expect(
      loadTrajectory(entries[3]!).events.some((event) => event.kind === "tool_call" && event.resultText?.length === huge.length + 11),
    ).toBe(true);
  });

  it("skips a torn last line with a warning, and says which line", async () => {
    const runsDir = await tempRunsDir();
    const run = await writeRun(runsDir, "run-1", [makeTrajectory({ id: "tr-1" }), makeTrajectory({ id: "tr-2" })]);
    await appendFile(run.file("trajectories"), JSON.stringify(makeTrajectory({ id: "tr-3" })).slice(0, 700));
    const warnings: ReviewWarning[] = [];
    const entries = await indexTrajectories(run, { onWarning: (warning) => warnings.push(warning) });
    expect(entries.map((entry) => entry.id)).toEqual(["tr-1", "tr-2"]);
    expect(warnings).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining("torn last line") })]);
  });

  it("reads fields from the text it is given, and says when it cannot be sure", () => {
    expect(readLeadingFields('{"a":"x\\"y","n":-1.5e3,"b":true,"c":null,"d":[1,{"e":"]"}]}', new Set(["a", "n", "b", "c", "d"]))).toEqual(
      new Map<string, unknown>([
        ["a", 'x"y'],
        ["n", -1500],
        ["b", true],
        ["c", null],
        ["d", [1, { e: "]" }]],
      ]),
    );
    // The value of "b" runs past the text: what came before it, and no more.
    expect(readLeadingFields('{"a":1,"b":"unfinished', new Set(["a", "b"]))).toEqual(new Map([["a", 1]]));
    expect(readLeadingFields("[1,2]", new Set(["a"]))).toBeUndefined();
    expect(readTrailingField('"outcome":{"pass":false}},"outcome":{"pass":true}}', "outcome")).toEqual({
      found: true,
      value: { pass: true },
    });
    // Only a nested one: not found, rather than the wrong one.
    expect(readTrailingField('{"x":{"outcome":{"pass":false}}}', "outcome")).toEqual({ found: false });
    // Cut off before the value ends.
    expect(readTrailingField('"outcome":{"pass":tr', "outcome")).toEqual({ found: false });
  });
});

describe("the grade index", () => {
  it("counts flags and takes the outcome from grade heads, and checks a trajectory's grades whole when they are asked for", async () => {
    const runsDir = await tempRunsDir();
    const flagging = {
      ...makeGrade("tr-1", "repeated-calls", [{ eventId: "e6", label: "skippable", reason: "repeats e4" }]),
      labels: {
        skippable: {
          flagged: true,
          skippable: true,
          verdict: "skippable",
          faultKinds: [],
          faultUnit: "event" as const,
          alsoTrueOn: [],
          description: "could be skipped",
        },
      },
    };
    const run = await writeRun(
      runsDir,
      "run-1",
      [makeTrajectory({ id: "tr-1", calls: [{ name: "a" }, { name: "a" }] }), makeTrajectory({ id: "tr-2" })],
      [makeGrade("tr-1", "outcome", [], false), flagging, { ...makeGrade("tr-2", "outcome"), score: 7 }],
    );
    await appendFile(run.file("grades"), '{"grader":"outcome","trajectoryId":"tr-2","sco');
    const warnings: ReviewWarning[] = [];
    const session = await ReviewSession.open({ runs: [run], reviewer: "ana", lock: false, onWarning: (warning) => warnings.push(warning) });
    try {
      expect(warnings).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining("torn last line") })]);
      const [first, second] = session.entries;
      expect(session.facts(first!)).toMatchObject({ pass: false, flagged: 1 });
      expect(session.facts(second!)).toMatchObject({ pass: true, flagged: 0 });
      expect(session.grades("tr-1").map((grade) => [grade.grader, grade.comment])).toEqual([
        ["outcome", "0 label(s)"],
        ["repeated-calls", "1 label(s)"],
      ]);
      // The out-of-range score is found when the trajectory's grades are read whole, and its line named.
      expect(() => session.grades("tr-2")).toThrow(/grades\.jsonl:3: score/);
    } finally {
      await session.close();
    }
  });
});
