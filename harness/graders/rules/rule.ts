import { TrajlabError } from "../../../errors/index.js";
import type { GradableTrajectory, RuleReference } from "../../trajectory/schema.js";
import type { Certainty, LabelDeclaration, NotApplicable } from "../grade.js";

/** One step that breaks a rule, with the evidence. */
export interface RuleViolation {
  readonly eventId: string;
  /** What the step did and which part of the rule it broke. */
  readonly reason: string;
  /** Other events the evidence points at (the message the user answered, the earlier call). */
  readonly related?: readonly string[];
  /** `candidate` when the rule cannot be sure from the trajectory alone; definite by default. */
  readonly certainty?: Certainty;
}

/**
 * A policy rule checked on every step of a trajectory (a rule-based reward:
 * each step either keeps it or breaks it). Its id is the label its
 * violations get; `label` says what a violation means (by default a flagged
 * step standing for the review verdict `harmful`).
 */
export interface PolicyRule {
  readonly id: string;
  readonly description: string;
  readonly label?: Partial<LabelDeclaration>;
  /**
   * The steps that break the rule, given the options the rule was declared
   * with; or `notApplicable(reason)` when the trajectory lacks what the rule
   * is about (a conversation, a kind of step), so keeping it proves nothing.
   */
  check(trajectory: GradableTrajectory, options: Readonly<Record<string, unknown>>): readonly RuleViolation[] | NotApplicable;
}

/**
 * Declares a policy rule; scenarios (`rules: ["my_rule"]`), importers (a
 * trajectory's `rules`) and `trajlab grade --rule` then say where it applies,
 * and trajlab.config.ts registers it (`rules: [myRule]`).
 *
 * @example
 * const refundsNeedAnOrder = defineRule({
 *   id: "refund_without_order",
 *   description: "a refund is only issued after the order was looked up",
 *   check(trajectory) {
 *     const calls = trajectory.events.filter((e) => e.kind === "tool_call");
 *     return calls
 *       .filter((call, i) => call.name === "issue_refund" && !calls.slice(0, i).some((c) => c.name === "get_order"))
 *       .map((call) => ({ eventId: call.id, reason: "refund issued before the order was looked up" }));
 *   },
 * });
 */
export function defineRule(rule: PolicyRule): PolicyRule {
  if (!rule || typeof rule.id !== "string" || !/^[a-z][a-z0-9_]*$/.test(rule.id)) {
    throw new TrajlabError("BAD_GRADER", `defineRule: id ${JSON.stringify(rule?.id)} must be snake_case, e.g. "unconfirmed_write"`, {
      hint: "the id names the label the rule's violations get, so it is written like one",
    });
  }
  if (typeof rule.check !== "function") {
    throw new TrajlabError("BAD_GRADER", `rule "${rule.id}": check is not a function`, {
      hint: "check(trajectory, options) returns the violating steps: [{ eventId, reason }]",
    });
  }
  return rule;
}

/** A rule reference as id and options. */
export function ruleRef(reference: RuleReference): { readonly rule: string; readonly options: Readonly<Record<string, unknown>> } {
  return typeof reference === "string" ? { rule: reference, options: {} } : { rule: reference.rule, options: reference.options ?? {} };
}
