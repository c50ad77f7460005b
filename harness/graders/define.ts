import * as z from "zod";
import type { Scenario } from "../../scenarios/index.js";
import { TrajlabError } from "../../errors/index.js";
import type { GradableTrajectory } from "../trajectory/schema.js";
import { LabelMeaningSchema, type Grader, type GraderResult, type LabelDeclaration, type LabelMeaning } from "./grade.js";

/** What {@link defineGrader} takes: a grader with the meaning of every label it gives. */
export interface GraderDefinition {
  readonly id: string;
  readonly description: string;
  /** Every label the grader gives, with what it means (see {@link LabelMeaningSchema}). */
  readonly labels: Readonly<Record<string, LabelDeclaration>>;
  /** Whether there is anything to check on this trajectory (default: always); see {@link Grader.hasChecksFor}. */
  hasChecksFor?(trajectory: GradableTrajectory, scenario: Scenario | undefined): boolean;
  grade(trajectory: GradableTrajectory, scenario: Scenario | undefined): GraderResult | Promise<GraderResult>;
}

/**
 * Declares a grader and what its labels mean. The meanings are checked here
 * (a bad one is an error naming the grader and the label), travel with every
 * grade into `grades.jsonl`, and are all the report, the review, replay and
 * validation know about a label: a label declared `skippable` is counted in
 * the skippable-call rate, offered to reviewers as the verdict it stands for,
 * and replayed, with no table to extend anywhere else.
 *
 * @example
 * const noRefunds = defineGrader({
 *   id: "no-refunds",
 *   description: "the agent never issues a refund",
 *   labels: {
 *     refund: { flagged: true, verdict: "harmful", description: "a refund, which needs a human" },
 *   },
 *   grade(trajectory) {
 *     const refunds = trajectory.events.filter((e) => e.kind === "tool_call" && e.name === "issue_refund");
 *     return {
 *       score: refunds.length === 0 ? 1 : 0,
 *       pass: refunds.length === 0,
 *       comment: refunds.length === 0 ? "no refund" : `${refunds.length} refund(s)`,
 *       steps: refunds.map((e) => ({ eventId: e.id, label: "refund", reason: "refunds need a human" })),
 *     };
 *   },
 * });
 */
export function defineGrader(definition: GraderDefinition): Grader {
  if (!definition || typeof definition.id !== "string" || definition.id === "") {
    throw new TrajlabError("BAD_GRADER", "defineGrader: the grader has no id", {
      hint: "give it an id: defineGrader({ id: 'my-grader', description, labels, grade })",
    });
  }
  if (typeof definition.grade !== "function") {
    throw new TrajlabError("BAD_GRADER", `grader "${definition.id}": grade is not a function`, {
      hint: "grade(trajectory, scenario) returns { score, pass, comment, steps }",
    });
  }
  return {
    id: definition.id,
    description: definition.description ?? "",
    labels: parseLabels(definition.id, definition.labels),
    grade: definition.grade.bind(definition),
    ...(definition.hasChecksFor ? { hasChecksFor: definition.hasChecksFor.bind(definition) } : {}),
  };
}

/** Checks and completes label declarations; an error names the grader, the label and the field. */
export function parseLabels(graderId: string, labels: unknown): Readonly<Record<string, LabelMeaning>> {
  if (!labels || typeof labels !== "object" || Array.isArray(labels)) {
    throw new TrajlabError("BAD_GRADER", `grader "${graderId}": labels must be an object of label → meaning`, {
      hint: 'e.g. labels: { skippable: { flagged: true, skippable: true, verdict: "skippable", description: "could have been left out" } }',
    });
  }
  const meanings: Record<string, LabelMeaning> = {};
  for (const [label, declaration] of Object.entries(labels as Record<string, unknown>)) {
    const parsed = LabelMeaningSchema.safeParse(declaration);
    if (!parsed.success) {
      throw new TrajlabError("BAD_GRADER", `grader "${graderId}": label "${label}": ${z.prettifyError(parsed.error)}`, {
        hint: "a label meaning is { flagged: boolean, skippable?: boolean, verdict?: string | null, faultKinds?: string[], description: string }",
      });
    }
    meanings[label] = parsed.data;
  }
  return meanings;
}
