import { describe, expect, it } from "vitest";
import {
  applies,
  builtinGrader,
  builtinGraders,
  checkGraders,
  defineGrader,
  gradeTrajectory,
  gradeTrajectoryAsync,
  notApplicable,
  TrajlabError,
  type Grader,
} from "../../../harness/index.js";
import { buildTrajectory } from "./support/build-trajectory.js";

const withFault = () =>
  buildTrajectory([{ call: "get", args: { id: 1 }, result: { v: "A-1" } }], {
    groundTruth: { faults: [{ kind: "unused_read", eventIds: ["e3"] }] },
  });

describe("grader registry", () => {
  it("registers the built-in graders by id", () => {
    expect(builtinGraders.map((g) => g.id)).toEqual([
      "outcome",
      "trajectory-match",
      "repeated-calls",
      "unused-results",
      "futile-calls",
      "undone-writes",
      "detours",
      "rules",
    ]);
    expect(builtinGrader("detours").id).toBe("detours");
    expect(() => builtinGrader("nope")).toThrow(
      expect.objectContaining({ code: "UNKNOWN_GRADER", hint: expect.stringContaining("built-in graders: outcome") }),
    );
  });

  it("never lets a grader see ground truth", () => {
    let seen: unknown = "unset";
    const spy: Grader = {
      id: "spy",
      description: "",
      grade: (t) => ((seen = (t as { groundTruth?: unknown }).groundTruth), { score: 1, pass: true, comment: "", steps: [] }),
    };
    gradeTrajectory(withFault(), undefined, [spy]);
    expect(seen).toBeUndefined();
  });

  it("turns a throwing, malformed or asynchronous grader into a failing grade that says so", async () => {
    const throwing: Grader = {
      id: "throws",
      description: "",
      grade: () => {
        throw new Error("boom");
      },
    };
    const malformed: Grader = { id: "bad", description: "", grade: () => ({ nope: true }) as never };
    const later: Grader = { id: "later", description: "", grade: async () => ({ score: 0.25, pass: false, comment: "judged", steps: [] }) };
    const grades = gradeTrajectory(withFault(), undefined, [throwing, malformed, later]);
    expect(grades.map((g) => [g.grader, g.pass, g.comment])).toEqual([
      ["throws", false, "grader failed: boom"],
      ["bad", false, "grader returned neither { score, pass, comment, steps } nor notApplicable(reason)"],
      ["later", false, "grader is asynchronous; grade with gradeTrajectoryAsync or `trajlab grade`"],
    ]);
    const asyncGrades = await gradeTrajectoryAsync(withFault(), undefined, [later]);
    expect(asyncGrades[0]).toEqual({ grader: "later", trajectoryId: "tr-test", score: 0.25, pass: false, comment: "judged", steps: [] });
  });

  it("records a grader that does not apply as not applicable, with no score or pass, and skips one with nothing to check", () => {
    const needsReference = defineGrader({
      id: "needs-reference",
      description: "",
      labels: {},
      grade: (t) => (t.reference ? { score: 1, pass: true, comment: "", steps: [] } : notApplicable("no reference plan")),
    });
    const declaredOnly = defineGrader({
      id: "declared-only",
      description: "",
      labels: {},
      hasChecksFor: (t) => t.rules !== undefined && t.rules.length > 0,
      grade: () => ({ score: 1, pass: true, comment: "checked", steps: [] }),
    });
    const grades = gradeTrajectory(withFault(), undefined, [needsReference, declaredOnly]);
    expect(grades).toEqual([
      {
        grader: "needs-reference",
        trajectoryId: "tr-test",
        score: null,
        pass: null,
        applicable: false,
        comment: "no reference plan",
        steps: [],
      },
    ]);
    expect(applies(grades[0]!)).toBe(false);
    const declared = gradeTrajectory({ ...withFault(), rules: ["unconfirmed_write"] }, undefined, [declaredOnly]);
    expect(declared.map((g) => [g.grader, g.pass])).toEqual([["declared-only", true]]);
    expect(applies(declared[0]!)).toBe(true);
  });

  it("is deterministic: the same trajectory grades to the same bytes", () => {
    const t = withFault();
    expect(JSON.stringify(gradeTrajectory(t, undefined))).toBe(JSON.stringify(gradeTrajectory(structuredClone(t), undefined)));
  });

  it("rejects duplicate ids and things that are not graders", () => {
    expect(() => checkGraders([...builtinGraders, builtinGraders[0]!], "trajlab.config.ts")).toThrow(/two graders have the id "outcome"/);
    expect(() => checkGraders([{ id: "x" } as never])).toThrow(TrajlabError);
  });
});
