import type { z } from "zod";

/** Whether a tool only reads the environment or changes it. */
export type ToolEffect = "read" | "write";

/**
 * A failure a tool reports on purpose ("order O-9 not found"). The agent sees
 * the message as the tool's error; the trajectory records it as a tool error.
 */
export class ToolFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolFailure";
  }
}

/** A deterministic tool over an environment's state. */
export interface ToolDefinition<S = any> {
  readonly name: string;
  readonly description: string;
  /** zod object schema of the arguments; also what the model is shown. */
  readonly args: z.ZodObject;
  readonly effect: ToolEffect;
  /** Runs the tool: reads or mutates `state` in place, returns a JSON-serialisable result. */
  readonly run: (args: any, state: S) => unknown;
}

/**
 * Defines a tool. `run` must be deterministic: the same arguments over the
 * same state give the same result and the same state change. Throw
 * {@link ToolFailure} for errors the agent should see.
 */
export function defineTool<A extends z.ZodObject, S>(definition: {
  name: string;
  description: string;
  args: A;
  effect: ToolEffect;
  run: (args: z.infer<A>, state: S) => unknown;
}): ToolDefinition<S> {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(definition.name)) {
    throw new TypeError(
      `defineTool: name ${JSON.stringify(definition.name)} is not a valid tool name; use 1-64 letters, digits, "_" or "-"`,
    );
  }
  return Object.freeze({ ...definition });
}

/** A stateful world agents act in: its initial state and the tools over it. */
export interface Environment<S = any> {
  readonly id: string;
  readonly description: string;
  /** System prompt given to agents in this environment. */
  readonly instructions: string;
  readonly initialState: S;
  readonly tools: readonly ToolDefinition<S>[];
}

/** Defines an environment. The initial state is never mutated: each trial gets a deep copy. */
export function defineEnvironment<S>(environment: Environment<S>): Environment<S> {
  const names = new Set<string>();
  for (const tool of environment.tools) {
    if (names.has(tool.name)) {
      throw new TypeError(`defineEnvironment "${environment.id}": tool "${tool.name}" is defined twice`);
    }
    names.add(tool.name);
  }
  return Object.freeze({ ...environment, initialState: deepFreeze(structuredClone(environment.initialState)) });
}

/** One call already made in a plan, with what it returned. */
export interface StepResult {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  /** The tool's result (parsed JSON), or undefined when the call failed. */
  readonly result: any;
  readonly error: string | null;
}

/** What argument functions of plan steps can read. */
export interface PlanContext {
  /** Calls made so far, in order. */
  readonly results: readonly StepResult[];
  /** The result of the latest successful call to `tool`; throws if there is none. */
  result(tool: string): any;
}

/** A tool call in a plan. Arguments may be computed from earlier results. */
export interface PlanStep {
  readonly tool: string;
  readonly args: Record<string, unknown> | ((context: PlanContext) => Record<string, unknown>);
}

/** A scenario's check over the final state and answer, beyond the built-in ones. */
export interface OutcomeCheckInput<S> {
  readonly finalState: S;
  readonly initialState: S;
  readonly finalAnswer: string | null;
}

/** Result of a custom check: a boolean, or a pass flag with a message. */
export type CustomCheckResult = boolean | { pass: boolean; message: string };

/** An evaluation task: a request to an agent in an environment, with its expected outcome. */
export interface Scenario<S = any> {
  /** Unique id, `<domain>.<name>`, e.g. `retail.cancel-pending-order`. */
  readonly id: string;
  readonly domain: string;
  readonly title: string;
  readonly environment: Environment<S>;
  /** The user's request that starts the conversation. */
  readonly task: string;
  /** Adjusts the (already copied) initial state for this scenario. */
  readonly setup?: (state: S) => void;
  /** The tool calls a good agent makes, in order, and the answer it gives. */
  readonly reference: {
    readonly calls: readonly PlanStep[];
    readonly answer: (context: PlanContext) => string;
  };
  /** Reads that are tempting here but unnecessary; offline policies use them as detours. */
  readonly distractors: readonly PlanStep[];
  readonly expect: {
    /**
     * Compare the final state with the state the reference plan leaves
     * (τ-bench style). On by default.
     */
    readonly stateMatchesReference: boolean;
    /** Facts the final answer must mention (case-insensitive). */
    readonly answerIncludes: readonly string[];
    /** Extra checks, each named. */
    readonly checks: Readonly<Record<string, (input: OutcomeCheckInput<S>) => CustomCheckResult>>;
  };
  readonly tags: readonly string[];
  /** LangGraph superstep budget (recursion limit). */
  readonly maxSteps: number;
  /** Source file that defined the scenario, for error messages. */
  readonly source?: string;
}

/** What `defineScenario` accepts: {@link Scenario} with defaults for the optional parts. */
export interface ScenarioInput<S> {
  id: string;
  title: string;
  environment: Environment<S>;
  task: string;
  setup?: (state: S) => void;
  reference: {
    calls: PlanStep[];
    answer: string | ((context: PlanContext) => string);
  };
  distractors?: PlanStep[];
  expect?: {
    stateMatchesReference?: boolean;
    answerIncludes?: string[];
    checks?: Record<string, (input: OutcomeCheckInput<S>) => CustomCheckResult>;
  };
  tags?: string[];
  maxSteps?: number;
  source?: string;
}

/** Default superstep budget: room for about 20 tool-calling turns. */
export const DEFAULT_MAX_STEPS = 40;

/**
 * Defines a scenario. The domain is the part of the id before the first dot.
 * Call-site errors (unknown tools, bad ids) are reported by `trajlab check`
 * with the scenario's file; this function only fills in defaults.
 */
export function defineScenario<S>(input: ScenarioInput<S>): Scenario<S> {
  const dot = input.id.indexOf(".");
  if (dot <= 0 || dot === input.id.length - 1 || !/^[a-z0-9][a-z0-9._-]*$/.test(input.id)) {
    throw new TypeError(
      `defineScenario: id ${JSON.stringify(input.id)} must look like "<domain>.<name>" in lower case, e.g. "retail.cancel-order"`,
    );
  }
  const answer = input.reference.answer;
  return Object.freeze({
    id: input.id,
    domain: input.id.slice(0, dot),
    title: input.title,
    environment: input.environment,
    task: input.task,
    setup: input.setup,
    reference: {
      calls: Object.freeze([...input.reference.calls]),
      answer: typeof answer === "string" ? () => answer : answer,
    },
    distractors: Object.freeze([...(input.distractors ?? [])]),
    expect: {
      stateMatchesReference: input.expect?.stateMatchesReference ?? true,
      answerIncludes: Object.freeze([...(input.expect?.answerIncludes ?? [])]),
      checks: Object.freeze({ ...(input.expect?.checks ?? {}) }),
    },
    tags: Object.freeze([...(input.tags ?? [])]),
    maxSteps: input.maxSteps ?? DEFAULT_MAX_STEPS,
    source: input.source,
  });
}

/** A fresh, mutable deep copy of the scenario's starting state. */
export function initialStateOf<S>(scenario: Scenario<S>): S {
  const state = structuredClone(scenario.environment.initialState) as S;
  scenario.setup?.(state);
  return state;
}

/** The tools a scenario's agent is given. */
export function toolsOf<S>(scenario: Scenario<S>): readonly ToolDefinition<S>[] {
  return scenario.environment.tools;
}

/** Builds the {@link PlanContext} that plan-step argument functions read. */
export function planContext(results: readonly StepResult[]): PlanContext {
  return {
    results,
    result(tool: string) {
      for (let i = results.length - 1; i >= 0; i--) {
        const step = results[i]!;
        if (step.tool === tool && step.error === null) return step.result;
      }
      throw new Error(`no successful "${tool}" call yet`);
    },
  };
}

/** Resolves a plan step's arguments against earlier results. */
export function resolveArgs(step: PlanStep, context: PlanContext): Record<string, unknown> {
  return typeof step.args === "function" ? step.args(context) : structuredClone(step.args);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
