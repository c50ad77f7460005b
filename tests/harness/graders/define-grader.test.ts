import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildReport,
  defineGrader,
  faultLabelRules,
  flaggedEventIds,
  gradeTrajectory,
  skippableEventIds,
  summarise,
  type Grader,
} from "../../../harness/index.js";
import { defaultCandidates } from "../../../harness/experiments/replay/replay-grader.js";
import { ExportLabels, ReviewLedger, settleStep, timelineOf } from "../../../reviews/index.js";
import { builtinScenarios } from "../../../scenarios/index.js";
import { trajlab } from "../../support/cli.js";
import { projectWith } from "../../support/project.js";
import { buildTrajectory } from "./support/build-trajectory.js";

/** A user's grader whose own label means "skippable": nothing in trajlab names `slow_lookup`. */
const slowLookups: Grader = defineGrader({
  id: "slow-lookups",
  description: "lookups of something the user already gave",
  labels: {
    slow_lookup: { flagged: true, skippable: true, verdict: "skippable", description: "looked up what the user had said" },
    maybe_slow: { flagged: true, skippable: true, verdict: "skippable", description: "perhaps looked up what the user had said" },
    fine: { flagged: false, verdict: "correct", description: "a lookup that told the agent something new" },
  },
  grade(trajectory) {
    const calls = trajectory.events.filter((event) => event.kind === "tool_call");
    return {
      score: 0.5,
      pass: false,
      comment: "",
      steps: calls.map((call, index) =>
        index === 0
          ? { eventId: call.id, label: "slow_lookup", reason: "the user gave the order id" }
          : index === 1
            ? { eventId: call.id, label: "maybe_slow", reason: "the user may have given it", certainty: "candidate" as const }
            : { eventId: call.id, label: "fine", reason: "new" },
      ),
    };
  },
});

const trajectory = buildTrajectory([
  { call: "lookup", args: { id: "A-1" }, result: { status: "sent" } },
  { call: "lookup", args: { id: "A-2" }, result: { status: "held" } },
  { call: "lookup", args: { id: "A-3" }, result: { status: "lost" } },
]);

describe("defineGrader: label meanings declared once", () => {
  it("stores the meanings of the labels a grade uses in the grade itself", () => {
    const [grade] = gradeTrajectory(trajectory, undefined, [slowLookups]);
    expect(grade!.labels).toEqual({
      fine: expect.objectContaining({ flagged: false, skippable: false, verdict: "correct" }),
      maybe_slow: expect.objectContaining({ flagged: true, skippable: true }),
      slow_lookup: {
        flagged: true,
        skippable: true,
        verdict: "skippable",
        faultKinds: [],
        faultUnit: "event",
        alsoTrueOn: [],
        description: "looked up what the user had said",
      },
    });
  });

  it("makes a user's skippable label count in the report and summary, definite labels only, candidates apart", () => {
    const grades = gradeTrajectory(trajectory, undefined, [slowLookups]);
    expect(skippableEventIds(grades)).toEqual(new Set(["e3"]));
    expect(skippableEventIds(grades, "any")).toEqual(new Set(["e3", "e5"]));
    expect(flaggedEventIds(grades)).toEqual(new Set(["e3"]));
    const report = buildReport("run-test", [trajectory], grades);
    expect(report.overall).toMatchObject({ skippableCalls: 1, candidateSkippableCalls: 1, flaggedSteps: 1 });
    expect(report.overall.skippableRate).toBeCloseTo(1 / 3);
    expect(summarise("run-test", [trajectory], grades, 0)).toMatchObject({
      skippableCalls: 1,
      candidateSkippableCalls: 1,
      flaggedCalls: 1,
    });
  });

  it("offers a user's label to reviewers as the verdict it declares, and accepting it records that verdict", () => {
    const steps = timelineOf(trajectory, gradeTrajectory(trajectory, undefined, [slowLookups]));
    const first = steps.find((step) => step.event.id === "e3")!;
    expect(first.suggestions).toEqual([
      expect.objectContaining({ label: "slow_lookup", flagged: true, verdict: "skippable", certainty: "definite" }),
    ]);
    expect(steps.find((s) => s.event.id === "e5")!.suggestion).toMatchObject({ verdict: "skippable", candidate: true });
    expect(first.suggestion).toMatchObject({ verdict: "skippable", definite: true, candidate: false, flagged: true });
    const [decision, step] = settleStep(trajectory.id, first, new ReviewLedger([]).review(trajectory.id), {}, "accept");
    expect(decision).toMatchObject({ target: { kind: "suggestion", label: "slow_lookup" }, verdict: "accepted" });
    expect(step).toMatchObject({ target: { kind: "step", eventId: "e3" }, verdict: "skippable", labels: ["suggested-by:slow-lookups"] });
    expect(steps.find((s) => s.event.id === "e7")!.suggestions[0]).toMatchObject({ verdict: "correct" });
  });

  it("exports a user's label as the weak label of the verdict it declares, with the grader's reason", () => {
    const labels = new ExportLabels([], gradeTrajectory(trajectory, undefined, [slowLookups]), { includeGraders: true });
    expect(labels.step(trajectory.id, "e3")).toMatchObject({
      value: "skippable",
      source: "grader",
      graders: [{ grader: "slow-lookups", label: "slow_lookup", reason: "the user gave the order id" }],
    });
    // A label declared not flagged says the step was fine.
    expect(labels.step(trajectory.id, "e7")).toMatchObject({ value: "correct" });
  });

  it("makes a user's skippable labels replay candidates, and its fault kinds validation rules", () => {
    const scenario = builtinScenarios()[0]!;
    expect(defaultCandidates(trajectory, scenario, [slowLookups])).toEqual(["e3", "e5"]);
    const injected = defineGrader({
      id: "mine",
      description: "",
      labels: { spotted: { flagged: true, faultKinds: ["unused_read"], description: "an unused read" } },
      grade: () => ({ score: 1, pass: true, comment: "", steps: [] }),
    });
    expect(faultLabelRules([injected])).toEqual([
      { kind: "unused_read", kinds: ["unused_read"], alsoTrueOn: [], grader: "mine", label: "spotted", unit: "event", target: 0.9 },
    ]);
  });

  it("fails a grade that uses a label its grader does not declare, saying which", () => {
    const sloppy = defineGrader({
      id: "sloppy",
      description: "",
      labels: { known: { flagged: true, description: "known" } },
      grade: (t) => ({ score: 1, pass: true, comment: "", steps: [{ eventId: t.events[0]!.id, label: "unknown", reason: "" }] }),
    });
    const [grade] = gradeTrajectory(trajectory, undefined, [sloppy]);
    expect(grade).toMatchObject({ pass: false, steps: [] });
    expect(grade!.comment).toContain("grader gave label(s) it does not declare: unknown (declared: known)");
  });

  it("refuses a meaning that is not one, naming the grader, the label and the field", () => {
    const bad = () =>
      defineGrader({
        id: "bad",
        description: "",
        labels: { oops: { flagged: "yes", description: "" } as never },
        grade: () => ({ score: 1, pass: true, comment: "", steps: [] }),
      });
    expect(bad).toThrow(
      expect.objectContaining({ code: "BAD_GRADER", message: expect.stringMatching(/grader "bad": label "oops": .*flagged/s) }),
    );
  });

  it("leaves labels of graders that declare nothing without meaning: shown, never counted", () => {
    const plain: Grader = {
      id: "plain",
      description: "",
      grade: (t) => ({ score: 1, pass: true, comment: "", steps: [{ eventId: t.events[2]!.id, label: "skippable", reason: "" }] }),
    };
    const grades = gradeTrajectory(trajectory, undefined, [plain]);
    expect(grades[0]!.labels).toBeUndefined();
    expect(skippableEventIds(grades, "any").size).toBe(0);
    expect(timelineOf(trajectory, grades).find((s) => s.event.id === "e3")!.suggestions[0]).toMatchObject({
      flagged: false,
      verdict: null,
    });
  });
});

describe("a user's grader from trajlab.config.ts", () => {
  it("is counted by trajlab report and carries its meanings into grades.jsonl", async () => {
    const dir = await projectWith({
      "trajlab.config.ts": `import { defineConfig, defineGrader } from "trajlab";
export default defineConfig({
  graders: [
    defineGrader({
      id: "every-read",
      description: "calls every read skippable",
      labels: { idle_read: { flagged: true, skippable: true, verdict: "skippable", description: "a read" } },
      grade(trajectory) {
        const reads = trajectory.events.filter((e) => e.kind === "tool_call" && e.effect === "read");
        return { score: 1, pass: true, comment: "", steps: reads.map((e) => ({ eventId: e.id, label: "idle_read", reason: "a read" })) };
      },
    }),
  ],
});
`,
    });
    const run = await trajlab(["run", "-s", "retail.where-is-my-order", "--policy", "reference", "--run-id", "r1", "-q"], { cwd: dir });
    expect(run.code).toBe(0);
    const report = await trajlab(["report", "r1", "--json"], { cwd: dir });
    expect(report.code).toBe(0);
    const overall = JSON.parse(report.stdout).overall;
    const grades = (await readFile(join(dir, "runs", "r1", "grades.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    // The reference policy makes no call the built-in graders label: every skippable call is the user's label.
    const mine = grades.filter((grade) => grade.grader === "every-read");
    const labelled = mine.reduce((sum, grade) => sum + grade.steps.length, 0);
    expect(labelled).toBeGreaterThan(0);
    for (const grade of mine) expect(grade.labels.idle_read).toMatchObject({ skippable: true, verdict: "skippable" });
    expect(overall.skippableCalls).toBe(labelled);
  }, 120_000);
});
