import * as z from "zod";
import diff from "microdiff";
import { describeValue, errorMessage } from "../errors/index.js";
import {
  initialStateOf,
  isAskStep,
  planContext,
  resolveArgs,
  resolveAsk,
  type PlanAction,
  type PlanContext,
  type Scenario,
  type StepResult,
  type ToolDefinition,
} from "./define.js";
import { handoffTarget } from "./team.js";
import { UserSimulator } from "./users.js";

/** The result of calling a tool definition directly. */
export type ToolOutcome =
  { ok: true; result: unknown } | { ok: false; kind: "unknown_tool" | "invalid_args" | "tool_error"; message: string };

/**
 * Validates arguments against the tool's schema and runs it over `state`.
 * Never throws: failures come back as values, as an agent would see them.
 */
export function callTool<S>(tools: readonly ToolDefinition<S>[], name: string, args: unknown, state: S): ToolOutcome {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) {
    return {
      ok: false,
      kind: "unknown_tool",
      message: `"${name}" is not a tool here; tools: ${tools.map((t) => t.name).join(", ")}`,
    };
  }
  const parsed = tool.args.safeParse(args);
  if (!parsed.success) {
    return { ok: false, kind: "invalid_args", message: z.prettifyError(parsed.error) };
  }
  try {
    return { ok: true, result: normaliseResult(runTool(tool, parsed.data, state)) };
  } catch (error) {
    return { ok: false, kind: "tool_error", message: toolErrorMessage(tool.name, error) };
  }
}

/**
 * Runs a tool definition over `state`. Tools are synchronous (the reference
 * plan and outcome checks execute them directly): one that returns a Promise
 * is refused with an error that says so, instead of its result passing as `{}`.
 */
export function runTool<S>(tool: ToolDefinition<S>, args: unknown, state: S): unknown {
  const result = tool.run(args, state);
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    (result as Promise<unknown>).then(undefined, () => undefined);
    throw new Error(
      `tool "${tool.name}" returned a Promise: tools run synchronously over the environment's state; return the result itself (no async run function)`,
    );
  }
  return result;
}

/** The message of what a tool threw; a thrown non-Error (null, a plain object) is named as such, with the fix. */
export function toolErrorMessage(tool: string, error: unknown): string {
  if (error instanceof Error) return error.message;
  return `tool "${tool}" threw ${describeValue(error)} instead of an Error; throw new ToolFailure("...") for failures the agent should see`;
}

/** Tool results travel as JSON; round-trip them so direct and recorded runs agree. */
export function normaliseResult(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** What executing a plan directly against the environment produced. */
export interface PlanExecution<S> {
  readonly state: S;
  /** Tool calls made, in order (questions to the user and handoffs are not tool calls). */
  readonly results: StepResult[];
  /** The task, then each answer the simulated user gave. */
  readonly userTexts: string[];
  readonly answer: string | null;
  /** The first step that could not be resolved or failed, if any. */
  readonly failure: { index: number; tool: string; message: string } | null;
}

/**
 * Runs plan steps straight against a fresh copy of the scenario's state, with
 * no model involved: the ground truth that outcome checks and trajectory
 * matching compare against (the τ-bench approach). Questions go to the
 * scenario's simulated user; handoffs between agents change no state and are
 * skipped.
 */
export function executePlan<S>(
  scenario: Scenario<S>,
  steps: readonly PlanAction[],
  answer?: (context: PlanContext) => string,
): PlanExecution<S> {
  const state = initialStateOf(scenario);
  const results: StepResult[] = [];
  const userTexts = [scenario.task];
  const user = scenario.user ? new UserSimulator(scenario.user) : null;
  const fail = (index: number, tool: string, message: string): PlanExecution<S> => ({
    state,
    results,
    userTexts,
    answer: null,
    failure: { index, tool, message },
  });
  for (const [index, step] of steps.entries()) {
    const context = planContext(results, userTexts);
    if (isAskStep(step)) {
      let question: string;
      try {
        question = resolveAsk(step, context);
      } catch (error) {
        return fail(index, "(ask)", `the question could not be computed: ${errorMessage(error)}`);
      }
      if (!user) return fail(index, "(ask)", `the plan asks the user "${question}" but the scenario has no simulated user`);
      const turn = user.respond(question);
      if (turn.kind !== "reply")
        return fail(index, "(ask)", `the simulated user does not answer "${question}" (${turn.reason.replace(/_/g, " ")})`);
      userTexts.push(turn.text);
      continue;
    }
    if (isHandoffStep(scenario, step.tool)) continue;
    let args: Record<string, unknown>;
    try {
      args = resolveArgs(step, context);
    } catch (error) {
      return fail(index, step.tool, `arguments could not be computed: ${errorMessage(error)}`);
    }
    const outcome = callTool(scenario.environment.tools, step.tool, args, state);
    if (!outcome.ok) {
      results.push({ tool: step.tool, args, result: undefined, error: outcome.message });
      return fail(index, step.tool, outcome.message);
    }
    results.push({ tool: step.tool, args, result: outcome.result, error: null });
  }
  let text: string | null = null;
  if (answer) {
    try {
      text = answer(planContext(results, userTexts));
    } catch (error) {
      return fail(steps.length, "(answer)", errorMessage(error));
    }
  }
  return { state, results, userTexts, answer: text, failure: null };
}

/** A `transfer_to_<agent>` step: control flow between agents, not a tool of the environment. */
export function isHandoffStep(scenario: Scenario, tool: string): boolean {
  return handoffTarget(tool) !== null && !scenario.environment.tools.some((candidate) => candidate.name === tool);
}

const referenceCache = new WeakMap<Scenario, PlanExecution<unknown>>();

/** The scenario's reference plan executed directly (memoised per scenario). */
export function referenceExecution<S>(scenario: Scenario<S>): PlanExecution<S> {
  let execution = referenceCache.get(scenario);
  if (!execution) {
    execution = executePlan(scenario, scenario.reference.calls, scenario.reference.answer);
    referenceCache.set(scenario, execution);
  }
  return execution as PlanExecution<S>;
}

/** One difference between two states. */
export interface StateDifference {
  readonly path: string;
  readonly op: "add" | "remove" | "change";
  /** Absent for `add`. */
  readonly before?: unknown;
  /** Absent for `remove`. */
  readonly after?: unknown;
}

/** Structural difference between two JSON-like states, with dotted paths. */
export function diffStates(before: unknown, after: unknown): StateDifference[] {
  if (!isContainer(before) || !isContainer(after)) {
    return Object.is(before, after) ? [] : [{ path: "", op: "change", before, after }];
  }
  return diff(before, after).map((change) => {
    const path = change.path.map(String).join(".");
    if (change.type === "CREATE") return { path, op: "add", after: change.value };
    if (change.type === "REMOVE") return { path, op: "remove", before: change.oldValue };
    return { path, op: "change", before: change.oldValue, after: change.value };
  });
}

/** One named check inside an outcome. */
export interface OutcomeCheckResult {
  readonly name: string;
  readonly pass: boolean;
  readonly message: string;
}

/** Whether a run reached the scenario's goal, check by check. */
export interface OutcomeResult {
  readonly pass: boolean;
  readonly score: number;
  readonly checks: OutcomeCheckResult[];
}

/** What {@link evaluateOutcome} judges. */
export interface OutcomeInput<S> {
  readonly finalState: S;
  readonly finalAnswer: string | null;
  /**
   * The state the run began from, for the scenario's own checks (a recorded
   * trajectory's `environment.before`). Without it, a fresh copy of the
   * scenario's initial state is made, and only when some check is declared.
   */
  readonly initialState?: S;
}

/**
 * Evaluates a scenario's outcome from the final state and the final answer
 * alone, so it can be re-run on a recorded trajectory at any time.
 */
export function evaluateOutcome<S>(scenario: Scenario<S>, input: OutcomeInput<S>): OutcomeResult {
  const checks: OutcomeCheckResult[] = [];
  if (scenario.expect.stateMatchesReference) {
    const reference = referenceExecution(scenario);
    if (reference.failure) {
      checks.push({
        name: "state",
        pass: false,
        message: `the reference plan itself fails at step ${reference.failure.index + 1} (${reference.failure.tool}): ${reference.failure.message}`,
      });
    } else {
      const differences = diffStates(reference.state, input.finalState);
      checks.push({
        name: "state",
        pass: differences.length === 0,
        message:
          differences.length === 0
            ? "final state matches the reference"
            : `final state differs from the reference at ${differences.length} path(s): ${describeDifferences(differences)}`,
      });
    }
  }
  if (scenario.expect.answerIncludes.length > 0) {
    const answer = normaliseText(input.finalAnswer ?? "");
    const missing = scenario.expect.answerIncludes.filter((fact) => !answer.includes(normaliseText(fact)));
    checks.push({
      name: "answer",
      pass: input.finalAnswer !== null && missing.length === 0,
      message:
        input.finalAnswer === null
          ? "no final answer"
          : missing.length === 0
            ? "final answer states every required fact"
            : `final answer lacks: ${missing.map((fact) => JSON.stringify(fact)).join(", ")}`,
    });
  }
  let initialState = input.initialState;
  for (const [name, check] of Object.entries(scenario.expect.checks)) {
    initialState ??= initialStateOf(scenario);
    let result: { pass: boolean; message: string };
    try {
      const raw = check({ finalState: input.finalState, initialState, finalAnswer: input.finalAnswer });
      result = typeof raw === "boolean" ? { pass: raw, message: raw ? "passed" : "failed" } : raw;
    } catch (error) {
      result = { pass: false, message: `check threw: ${errorMessage(error)}` };
    }
    checks.push({ name, ...result });
  }
  const passed = checks.filter((check) => check.pass).length;
  return {
    pass: passed === checks.length,
    score: checks.length === 0 ? 1 : passed / checks.length,
    checks,
  };
}

/** `expected` vs `actual` differences in one readable line each, at most five. */
export function describeDifferences(differences: readonly StateDifference[], limit = 5): string {
  const shown = differences.slice(0, limit).map((d) => {
    if (d.op === "add") return `${d.path}: unexpected ${brief(d.after)}`;
    if (d.op === "remove") return `${d.path}: missing (expected ${brief(d.before)})`;
    return `${d.path}: expected ${brief(d.before)}, got ${brief(d.after)}`;
  });
  const more = differences.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}
