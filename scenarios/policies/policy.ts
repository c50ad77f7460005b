import { errorMessage } from "../../errors/index.js";
import {
  planContext,
  resolveArgs,
  resolveAsk,
  type AskStep,
  type PlanContext,
  type PlanStep,
  type Scenario,
  type StepResult,
} from "../define.js";

/**
 * Offline policies are scripted agents for running trajlab with no model and
 * no network. A policy turns a scenario into a {@link PolicyScript}: the tool
 * calls to make (and questions to ask the user), in order, and the answer to
 * give. The policy chat model (agents/) replays a script one move per turn,
 * reading earlier tool results and user replies out of the conversation, so
 * its reply is a pure function of the messages.
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
  | "pass_through_handoff"
  | "wrong_specialist"
  | "ping_pong";

/** Every fault kind, in the order the faulty policy considers them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  "repeated_call",
  "unused_read",
  "wrong_tool",
  "wrong_args",
  "missing_step",
  "premature_answer",
  "loop",
  "pass_through_handoff",
  "wrong_specialist",
  "ping_pong",
];

/** A tool call of a script, possibly one a policy added on purpose. */
export interface ScriptStep extends PlanStep {
  /** Set when the step is a deliberate defect; such steps never feed later arguments. */
  readonly fault?: FaultKind;
  /** Repeat this identical call until the step limit stops the run. */
  readonly loop?: boolean;
}

/** A question to the user in a script. */
export interface ScriptAsk extends AskStep {
  readonly fault?: FaultKind;
}

/** One move of a script. */
export type ScriptAction = ScriptStep | ScriptAsk;

/** A call, as the reference plan makes it, that a fault replaced or left out. */
export interface ExpectedCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly agent?: string;
}

/**
 * A defect injected into a script, described by the steps that make it up.
 * Steps are referenced by identity, so they stay found when handoffs are
 * inserted around them.
 */
export interface InjectedFault {
  readonly kind: FaultKind;
  /** Steps whose calls (or handoffs) are the fault; for a loop, repetitions after the first call are. */
  readonly steps: readonly ScriptAction[];
  readonly detail: string;
  /** The reference call a wrong tool or wrong arguments stood in for, or the step left out. */
  readonly expected?: ExpectedCall;
  /** The fault is the final answer itself (premature answer). */
  readonly answer?: boolean;
}

export interface PolicyScript {
  readonly policy: string;
  readonly steps: readonly ScriptAction[];
  readonly answer: (context: PlanContext) => string;
  /** Faults made of several steps or of none; single-step faults may just set `fault` on the step. */
  readonly faults?: readonly InjectedFault[];
  /** True once every step names its agent and handoffs between agents are explicit steps. */
  readonly routed?: boolean;
}

/** A question the agent asked and the user's reply, as found in the conversation. */
export interface AskRecord {
  readonly ask: string;
  readonly reply: string;
}

/** What a policy has done so far: tool calls with their outcomes, and questions with replies. */
export type HistoryEntry = StepResult | AskRecord;

/** What a policy does next, given what it has done so far. */
export type PolicyAction =
  | {
      kind: "call";
      /** Index of the script step. */
      index: number;
      /** How many times this step's call was made before (loops repeat one step). */
      repetition: number;
      tool: string;
      args: Record<string, unknown>;
      agent?: string;
      fault?: FaultKind;
    }
  | { kind: "ask"; index: number; text: string; agent?: string }
  | { kind: "answer"; text: string };

/** True for script moves that ask the user. */
export function isScriptAsk(action: ScriptAction): action is ScriptAsk {
  return action.ask !== undefined;
}

/**
 * Decides the next move of a script from what was done so far.
 * `history[i]` is the outcome of the i-th move; a looping step takes every
 * move from its first call on. Steps marked as faults are hidden from
 * argument functions, so an injected detour never changes the rest of the plan.
 */
export function nextAction(script: PolicyScript, history: readonly HistoryEntry[], userTexts: readonly string[] = []): PolicyAction {
  const useful: StepResult[] = [];
  let index = 0;
  let repetition = 0;
  for (; index < history.length && index < script.steps.length; index++) {
    const step = script.steps[index]!;
    const entry = history[index]!;
    if (!step.fault && "tool" in entry) useful.push(entry);
    if (!isScriptAsk(step) && step.loop) {
      repetition = history.length - index;
      break;
    }
  }
  const context = planContext(useful, userTexts);
  const step = script.steps[index];
  if (!step) {
    try {
      return { kind: "answer", text: script.answer(context) };
    } catch (error) {
      return { kind: "answer", text: `I could not complete the request: ${errorMessage(error)}.` };
    }
  }
  try {
    if (isScriptAsk(step)) return { kind: "ask", index, text: resolveAsk(step, context), agent: step.agent };
    return {
      kind: "call",
      index,
      repetition,
      tool: step.tool,
      args: resolveArgs(step, context),
      agent: step.agent,
      ...(step.fault ? { fault: step.fault } : {}),
    };
  } catch (error) {
    return { kind: "answer", text: `I could not complete the request: a needed value was missing (${errorMessage(error)}).` };
  }
}

/**
 * Every fault of a script: its `faults` list, plus a one-step fault for each
 * step marked with `fault` that the list does not already cover.
 */
export function faultsOf(script: PolicyScript): InjectedFault[] {
  const listed = [...(script.faults ?? [])];
  const covered = new Set(listed.flatMap((fault) => fault.steps));
  for (const step of script.steps) {
    if (step.fault && !covered.has(step)) {
      listed.push({ kind: step.fault, steps: [step], detail: isScriptAsk(step) ? "question" : `${step.tool} call` });
    }
  }
  return listed;
}
