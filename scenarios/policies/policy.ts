import {
  planContext,
  resolveArgs,
  type PlanContext,
  type PlanStep,
  type Scenario,
  type StepResult,
} from "../define.js";

/**
 * Offline policies are scripted agents for running trajlab with no model and
 * no network. A policy turns a scenario into a {@link PolicyScript}: the tool
 * calls to make, in order, and the answer to give. The policy chat model
 * (agents/) replays a script one call per turn, reading earlier tool results
 * out of the conversation, so its reply is a pure function of the messages.
 */
export interface Policy {
  readonly id: string;
  readonly description: string;
  script(scenario: Scenario, options: PolicyOptions): PolicyScript;
}

export interface PolicyOptions {
  /** Seed for policies that make random choices. */
  readonly seed: number;
}

/** Kinds of defect a policy can add on purpose; recorded as ground truth. */
export type FaultKind =
  | "repeated_call"
  | "unused_read"
  | "wrong_tool"
  | "wrong_args"
  | "missing_step"
  | "premature_answer"
  | "loop"
  | "pass_through_handoff";

/** A plan step, possibly one a policy added on purpose. */
export interface ScriptStep extends PlanStep {
  /** Set when the step is a deliberate defect; such steps never feed later arguments. */
  readonly fault?: FaultKind;
}

export interface PolicyScript {
  readonly policy: string;
  readonly steps: readonly ScriptStep[];
  readonly answer: (context: PlanContext) => string;
}

/** What a policy does next, given the calls it has made so far. */
export type PolicyAction =
  | { kind: "call"; index: number; tool: string; args: Record<string, unknown>; fault?: FaultKind }
  | { kind: "answer"; text: string };

/**
 * Decides the next action of a script from the calls already made.
 * `history[i]` is the outcome of `script.steps[i]`. Steps marked as faults are
 * hidden from argument functions, so an injected detour never changes the
 * rest of the plan.
 */
export function nextAction(script: PolicyScript, history: readonly StepResult[]): PolicyAction {
  const useful = history.filter((_, i) => script.steps[i]?.fault === undefined);
  const context = planContext(useful);
  const index = history.length;
  const step = script.steps[index];
  if (!step) {
    try {
      return { kind: "answer", text: script.answer(context) };
    } catch (error) {
      return { kind: "answer", text: `I could not complete the request: ${error instanceof Error ? error.message : String(error)}.` };
    }
  }
  try {
    return { kind: "call", index, tool: step.tool, args: resolveArgs(step, context), fault: step.fault };
  } catch (error) {
    return {
      kind: "answer",
      text: `I could not complete the request: a needed value was missing (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
}
