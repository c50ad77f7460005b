import { appendFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  alignPlan,
  indexTrajectories,
  loadTrajectory,
  nextUnreviewed,
  OPEN_FILTER,
  pairsOf,
  queueOf,
  readLeadingFields,
  readTrailingField,
  reviewProgress,
  ReviewLedger,
  settleStep,
  timelineOf,
  toolCallsOf,
  type EntryFacts,
  type TrajectoryEntry,
} from "../../reviews/index.js";
import { detailLines } from "../../reviews/tui/pane-lines.js";
import { makeTrajectory, standardRun, tempRunsDir, writeRun } from "./fixtures.js";

describe("trajectory index", () => {
  it("reads each line's labels from its ends, matching a full parse, and loads one trajectory by offset", async () => {
    const { run, trajectories } = await standardRun(await tempRunsDir());
    const entries = await indexTrajectories(run);
    expect(entries.map((e) => [e.id, e.scenarioId, e.model, e.pass, e.toolCalls, e.line])).toEqual(
      trajectories.map((t, i) => [t.id, t.scenarioId, t.model, t.outcome!.pass, t.usage.toolCalls, i + 1]),
    );
    expect(loadTrajectory(entries[1]!).id).toBe("tr-waste-cancel");
  });

  it("falls back to a full parse when fields come in another order", async () => {
    const runsDir = await tempRunsDir();
    const run = await writeRun(runsDir, "run-1", []);
    const { outcome, id, ...rest } = makeTrajectory({ id: "tr-odd", pass: false });
    await writeFile(run.file("trajectories"), `${JSON.stringify({ outcome, ...rest, id })}\n`);
    const [entry] = await indexTrajectories(run);
    expect(entry).toMatchObject({ id: "tr-odd", pass: false });
  });

  it("skips a torn last line with a warning; a bad line elsewhere is an error naming file and line", async () => {
    const runsDir = await tempRunsDir();
    const { run } = await standardRun(runsDir);
    await appendFile(run.file("trajectories"), '{"schemaVersion":1,"id":"tr-torn","ru');
    const warnings: string[] = [];
    expect(await indexTrajectories(run, { onWarning: (w) => warnings.push(`${w.line}: ${w.message}`) })).toHaveLength(4);
    expect(warnings).toEqual([expect.stringContaining("5: skipped a torn last line")]);
    await writeFile(
      run.file("trajectories"),
      `${JSON.stringify(makeTrajectory())}\nnot json\n${JSON.stringify(makeTrajectory({ id: "tr-2" }))}\n`,
    );
    await expect(indexTrajectories(run)).rejects.toThrow(/trajectories\.jsonl:2: not valid JSON/);
  });

  it("never takes a nested key for a top-level one", () => {
    const text = JSON.stringify({ id: "t", outcome: { pass: true }, reference: { args: { outcome: { pass: false } } } });
    expect(readTrailingField(text, "outcome")).toEqual({ found: true, value: { pass: true } });
    expect(readLeadingFields('{"a":1,"b":{"c":"}"},"d":"x', new Set(["a", "b", "d"]))).toEqual(
      new Map<string, unknown>([
        ["a", 1],
        ["b", { c: "}" }],
      ]),
    );
  });
});

describe("plan comparison", () => {
  it("marks same, other-argument, extra and missing calls in order", () => {
    const trajectory = makeTrajectory({
      calls: [
        { name: "find_customer", args: { email: "a" } },
        { name: "find_customer", args: { email: "a" } },
        { name: "list_orders", args: { customerId: "C-9" } },
      ],
      reference: [
        { name: "find_customer", args: { email: "a" } },
        { name: "list_orders", args: { customerId: "C-1" } },
        { name: "cancel_order", args: { orderId: "O-1" } },
      ],
    });
    const rows = alignPlan(trajectory.reference!.calls, toolCallsOf(trajectory));
    expect(rows.map((row) => row.kind)).toEqual(["same", "extra", "args", "missing"]);
  });
});

describe("queue", () => {
  const entry = (id: string, scenarioId: string, model: string): TrajectoryEntry => ({
    id,
    scenarioId,
    model,
    domain: scenarioId.split(".")[0]!,
    agent: "react",
    runId: "r",
    trial: 0,
    task: "",
    pass: true,
    termination: "completed",
    toolCalls: 1,
    line: 1,
    offset: 0,
    length: 0,
    run: null as never,
  });
  const entries = [entry("a", "retail.x", "m1"), entry("b", "retail.y", "m2"), entry("c", "travel.z", "m1"), entry("d", "retail.x", "m2")];
  const facts: Record<string, EntryFacts> = {
    a: { status: "done", pass: true, flagged: 0, graded: true },
    b: { status: "new", pass: false, flagged: 2, graded: true },
    c: { status: "partial", pass: true, flagged: 1, graded: true },
    d: { status: "new", pass: true, flagged: 0, graded: true },
  };
  const ids = (list: readonly TrajectoryEntry[]): string[] => list.map((e) => e.id);

  it("filters by status, outcome, flags, scenario glob, labels and text", () => {
    const of = (filter: Partial<typeof OPEN_FILTER>): string[] =>
      ids(queueOf(entries, { ...OPEN_FILTER, ...filter }, "file", (e) => facts[e.id]!));
    expect(of({ unreviewed: true })).toEqual(["b", "c", "d"]);
    expect(of({ failed: true })).toEqual(["b"]);
    expect(of({ flagged: true })).toEqual(["b", "c"]);
    expect(of({ scenario: "retail.*" })).toEqual(["a", "b", "d"]);
    expect(of({ domain: "travel" })).toEqual(["c"]);
    expect(of({ model: "m2", unreviewed: true })).toEqual(["b", "d"]);
    expect(of({ text: "TRAVEL" })).toEqual(["c"]);
  });

  it("sorts, counts progress and finds the next unreviewed", () => {
    expect(ids(queueOf(entries, OPEN_FILTER, "flagged", (e) => facts[e.id]!))).toEqual(["b", "c", "a", "d"]);
    expect(ids(queueOf(entries, OPEN_FILTER, "status", (e) => facts[e.id]!))).toEqual(["b", "d", "c", "a"]);
    expect(reviewProgress(entries, (e) => facts[e.id]!.status)).toEqual({ done: 1, partial: 1, total: 4 });
    expect(nextUnreviewed(entries, 0, (e) => facts[e.id]!.status)).toBe(1);
    expect(nextUnreviewed(entries, 3, (e) => facts[e.id]!.status)).toBe(1);
  });

  it("pairs trajectories of the same scenario across variants, never across scenarios", () => {
    const pairs = pairsOf(entries);
    expect(pairs.map((pair) => [pair.a.id, pair.b.id].sort().join("+"))).toEqual(["a+d"]);
  });
});

describe("timeline", () => {
  it("indents sub-agents by depth and attaches grader suggestions", () => {
    const trajectory = makeTrajectory({
      calls: [
        { name: "route", agent: "supervisor" },
        { name: "lookup", agent: "billing" },
      ],
    });
    const steps = timelineOf(trajectory, [
      {
        grader: "repeated-calls",
        trajectoryId: trajectory.id,
        score: 0,
        pass: false,
        comment: "",
        steps: [{ eventId: "e7", label: "skippable", reason: "why" }],
      },
    ]);
    const lookup = steps.find((step) => step.event.kind === "tool_call" && step.event.name === "lookup")!;
    expect(lookup.depth).toBe(1);
    expect(lookup.suggestions).toEqual([
      {
        eventId: "e7",
        grader: "repeated-calls",
        label: "skippable",
        reason: "why",
        flagged: true,
        verdict: "skippable",
        certainty: "definite",
      },
    ]);
    expect(steps.find((step) => step.event.kind === "handoff")?.gradable).toBe(true);
  });

  it("shows the events a suggestion's evidence points at when its reason does not name them", () => {
    const trajectory = makeTrajectory({ calls: [{ name: "lookup" }, { name: "lookup" }] });
    const grade = {
      grader: "detours",
      trajectoryId: trajectory.id,
      score: 0,
      pass: false,
      comment: "",
      steps: [{ eventId: "e6", label: "ping_pong", reason: "repeats e4 and bounces", related: ["e4", "e3"] }],
    };
    const step = timelineOf(trajectory, [grade]).find((s) => s.event.id === "e6")!;
    expect(step.suggestions[0]!.related).toEqual(["e4", "e3"]);
    const text = detailLines(step, new ReviewLedger([]).review(trajectory.id), 200, false)
      .map((line) => line.text)
      .join("\n");
    expect(text).toContain("detours · ping_pong: repeats e4 and bounces (related: e3)");
  });

  it("puts a step's definite suggestions (skippable, wrong tool...) before vague ones (an extra call), keeping grader order otherwise", () => {
    const trajectory = makeTrajectory({ calls: [{ name: "lookup" }, { name: "lookup" }] });
    const grade = (grader: string, label: string) => ({
      grader,
      trajectoryId: trajectory.id,
      score: 0,
      pass: false,
      comment: "",
      steps: [{ eventId: "e6", label, reason: grader }],
    });
    const steps = timelineOf(trajectory, [
      grade("trajectory-match", "extra_call"),
      grade("repeated-calls", "skippable"),
      grade("unused-results", "unused_result"),
      grade("detours", "wrong_specialist"),
    ]);
    const repeat = steps.find((step) => step.event.id === "e6")!;
    expect(repeat.suggestions.map((s) => s.grader)).toEqual(["repeated-calls", "unused-results", "detours", "trajectory-match"]);
  });

  it("merges a step's labels into one suggestion: agreeing graders together, vague ones only in support, the graver verdict on a tie", () => {
    const trajectory = makeTrajectory({ calls: [{ name: "lookup" }, { name: "lookup" }] });
    const grade = (grader: string, label: string) => ({
      grader,
      trajectoryId: trajectory.id,
      score: 0,
      pass: false,
      comment: "",
      steps: [{ eventId: "e6", label, reason: `${grader} says ${label}` }],
    });
    const stepOf = (...grades: ReturnType<typeof grade>[]) => timelineOf(trajectory, grades).find((s) => s.event.id === "e6")!;
    const merged = (...grades: ReturnType<typeof grade>[]) => stepOf(...grades).suggestion!;
    const labelled = stepOf(
      grade("trajectory-match", "extra_call"),
      grade("repeated-calls", "skippable"),
      grade("outcome", "wrong_write"),
      grade("unused-results", "unused_result"),
    );
    const agreeing = labelled.suggestion!;
    expect(agreeing.verdict).toBe("skippable");
    expect(agreeing.sources.map((s) => s.grader)).toEqual(["repeated-calls", "unused-results", "trajectory-match"]);
    expect(agreeing.dissent.map((s) => s.grader)).toEqual(["outcome"]);
    expect(merged(grade("repeated-calls", "skippable"), grade("outcome", "wrong_write")).verdict).toBe("wrong_args");
    const vague = merged(grade("trajectory-match", "extra_call"));
    expect([vague.verdict, vague.definite, vague.flagged]).toEqual(["other", false, false]);
    // A grader's candidate never outweighs a definite label, and a suggestion resting on candidates says so.
    const unsure = {
      ...grade("unused-results", "unused_result"),
      steps: [{ eventId: "e6", label: "unused_result", reason: "maybe", certainty: "candidate" as const }],
    };
    expect(merged(unsure, grade("outcome", "wrong_write"))).toMatchObject({ verdict: "wrong_args", candidate: false });
    expect(merged(unsure)).toMatchObject({ verdict: "skippable", definite: true, candidate: true });

    const [repeat, unused, match, outcome, step] = settleStep(
      trajectory.id,
      labelled,
      new ReviewLedger([]).review(trajectory.id),
      {},
      "accept",
    );
    expect([repeat, unused, match, outcome].map((r) => r!.verdict)).toEqual(["accepted", "accepted", "accepted", "rejected"]);
    expect(step).toMatchObject({
      verdict: "skippable",
      labels: ["suggested-by:repeated-calls", "suggested-by:unused-results", "suggested-by:trajectory-match"],
      note: "repeated-calls says skippable\nunused-results says unused_result\ntrajectory-match says extra_call",
    });
  });
});
