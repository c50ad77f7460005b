import type { Scenario } from "../../scenarios/index.js";
import { TrajlabError, errorMessage } from "../../errors/index.js";
import { isPromise } from "../util/promise.js";
import { stripGroundTruth, type GradableTrajectory, type Trajectory } from "../trajectory/schema.js";
import { detoursGrader } from "./detours.js";
import { futileCallsGrader } from "./futile-calls.js";
import { parseLabels } from "./define.js";
import { isNotApplicable, type Grade, type Grader, type GraderResult, type LabelMeaning } from "./grade.js";
import { outcomeGrader } from "./outcome.js";
import { repeatedCallsGrader } from "./repeated-calls.js";
import { policyRulesDefault } from "./rules/rules-grader.js";
import { trajectoryMatchDefault } from "./trajectory-match.js";
import { undoneWritesGrader } from "./undone-writes.js";
import { unusedResultsGrader } from "./unused-results.js";

/**
 * Graders that ship with trajlab, in the order they run. All are pure and
 * synchronous; the LLM judge and replay verification are opt-in
 * (`trajlab grade --judge`, `--replay`).
 */
export const builtinGraders: readonly Grader[] = [
  outcomeGrader,
  trajectoryMatchDefault,
  repeatedCallsGrader,
  unusedResultsGrader,
  futileCallsGrader,
  undoneWritesGrader,
  detoursGrader,
  policyRulesDefault,
];

/** A built-in grader by id, or an error listing the ids. */
export function builtinGrader(id: string): Grader {
  const found = builtinGraders.find((grader) => grader.id === id);
  if (!found) {
    throw new TrajlabError("UNKNOWN_GRADER", `no built-in grader "${id}"`, {
      hint: `built-in graders: ${builtinGraders.map((g) => g.id).join(", ")}`,
    });
  }
  return found;
}

/**
 * Checks a list of graders (built-ins plus those from trajlab.config.ts):
 * each has an id, a grade function, and ids are unique.
 */
export function checkGraders(graders: readonly Grader[], source = "the grader list"): readonly Grader[] {
  const seen = new Set<string>();
  graders.forEach((grader, index) => {
    if (!grader || typeof grader.id !== "string" || grader.id === "" || typeof grader.grade !== "function") {
      throw new TrajlabError("BAD_GRADER", `${source}: graders[${index}] is not a grader`, {
        hint: "make graders with defineGrader({ id, description, labels, grade(trajectory, scenario) { return { score, pass, comment, steps } } })",
      });
    }
    if (seen.has(grader.id)) {
      throw new TrajlabError("DUPLICATE_GRADER", `${source}: two graders have the id "${grader.id}"`, {
        hint: "give each grader its own id; ids name the grades in grades.jsonl",
      });
    }
    seen.add(grader.id);
    declaredLabels(grader);
  });
  return graders;
}

const declared = new WeakMap<Grader, Readonly<Record<string, LabelMeaning>> | null>();

/**
 * A grader's label meanings, checked and with defaults filled in (graders
 * written as plain objects may declare labels without defineGrader), or null
 * when it declares none.
 */
export function declaredLabels(grader: Grader): Readonly<Record<string, LabelMeaning>> | null {
  if (!declared.has(grader)) declared.set(grader, grader.labels ? parseLabels(grader.id, grader.labels) : null);
  return declared.get(grader)!;
}

/**
 * Grades one trajectory with every grader, synchronously. Ground truth is
 * stripped first, so no grader can read injected faults. A grader that
 * throws, returns something that is not a grade, or returns a promise (use
 * {@link gradeTrajectoryAsync} for those) yields a failing grade that says
 * so, rather than stopping the run.
 */
export function gradeTrajectory(
  trajectory: Trajectory,
  scenario: Scenario | undefined,
  graders: readonly Grader[] = builtinGraders,
): Grade[] {
  const visible = stripGroundTruth(trajectory);
  return gradersFor(graders, visible, scenario).map((grader) => {
    try {
      const result = grader.grade(visible, scenario);
      if (isPromise(result)) {
        void result.catch(() => undefined);
        return failed(grader, trajectory, "grader is asynchronous; grade with gradeTrajectoryAsync or `trajlab grade`");
      }
      return complete(grader, trajectory, result);
    } catch (error) {
      return failed(grader, trajectory, `grader failed: ${errorMessage(error)}`);
    }
  });
}

/** {@link gradeTrajectory} for graders that may return promises (LLM judges). Graders run one after another. */
export async function gradeTrajectoryAsync(
  trajectory: Trajectory,
  scenario: Scenario | undefined,
  graders: readonly Grader[] = builtinGraders,
): Promise<Grade[]> {
  const visible: GradableTrajectory = stripGroundTruth(trajectory);
  const grades: Grade[] = [];
  for (const grader of gradersFor(graders, visible, scenario)) {
    try {
      grades.push(complete(grader, trajectory, await grader.grade(visible, scenario)));
    } catch (error) {
      grades.push(failed(grader, trajectory, `grader failed: ${errorMessage(error)}`));
    }
  }
  return grades;
}

/** The graders with something to check on the trajectory (a grader whose `hasChecksFor` throws is kept, to fail visibly). */
function gradersFor(graders: readonly Grader[], trajectory: GradableTrajectory, scenario: Scenario | undefined): readonly Grader[] {
  return graders.filter((grader) => {
    try {
      return grader.hasChecksFor?.(trajectory, scenario) ?? true;
    } catch {
      return true;
    }
  });
}

function complete(grader: Grader, trajectory: Trajectory, result: GraderResult): Grade {
  if (result && isNotApplicable(result)) {
    return {
      grader: grader.id,
      trajectoryId: trajectory.id,
      score: null,
      pass: null,
      applicable: false,
      comment: result.notApplicable,
      steps: [],
    };
  }
  if (!result || typeof result.score !== "number" || typeof result.pass !== "boolean" || !Array.isArray(result.steps)) {
    return failed(grader, trajectory, "grader returned neither { score, pass, comment, steps } nor notApplicable(reason)");
  }
  const score = Number.isFinite(result.score) ? Math.min(1, Math.max(0, result.score)) : 0;
  const grade: Grade = {
    grader: grader.id,
    trajectoryId: trajectory.id,
    score,
    pass: result.pass,
    comment: String(result.comment ?? ""),
    steps: result.steps,
  };
  const labels = declaredLabels(grader);
  if (!labels) return grade;
  const used = [...new Set(result.steps.map((step) => step.label))].sort();
  const undeclared = used.filter((label) => !Object.hasOwn(labels, label));
  if (undeclared.length > 0) {
    return failed(
      grader,
      trajectory,
      `grader gave label(s) it does not declare: ${undeclared.join(", ")} (declared: ${Object.keys(labels).join(", ") || "none"}); add them to its labels`,
    );
  }
  return used.length === 0 ? grade : { ...grade, labels: Object.fromEntries(used.map((label) => [label, labels[label]!])) };
}

function failed(grader: Grader, trajectory: Trajectory, comment: string): Grade {
  return { grader: grader.id, trajectoryId: trajectory.id, score: 0, pass: false, comment, steps: [] };
}
