import type * as z from "zod";
import { TrajlabError } from "../errors/index.js";
import type { Team } from "./team.js";
import type { SimulatedUser } from "./users.js";

/** Whether a tool only reads the environment or changes it. */
export type ToolEffect = "read" | "write";

/**
 * A failure a tool reports on purpose ("order O-9 not found"). The agent sees
 * the message as the tool's error; the trajectory records it as a tool error.
 * It is the environment's answer to the agent, not an error of trajlab's, so it
 * is no TrajlabError.
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
    throw new TrajlabError(
      "BAD_TOOL",
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
      throw new TrajlabError("DUPLICATE_TOOL", `defineEnvironment "${environment.id}": tool "${tool.name}" is defined twice`, {
        hint: "give each tool of an environment its own name",
      });
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
  /** What the user has said so far: the task, then each reply of a simulated user. */
  readonly userTexts: readonly string[];
  /** The result of the latest successful call to `tool`; throws if there is none. */
  result(tool: string): any;
  /**
   * The first match of `pattern` in what the user said (latest reply first,
   * the task last), or its capture group `group`; throws if the user never said it.
   */
  fromUser(pattern: RegExp, group?: number): string;
}

/** A tool call in a plan. Arguments may be computed from earlier results. */
export interface PlanStep {
  readonly tool: string;
  readonly args: Record<string, unknown> | ((context: PlanContext) => Record<string, unknown>);
  /** Agent that makes the call in a multi-agent scenario; defaults to a team member that has the tool. */
  readonly agent?: string;
  readonly ask?: undefined;
}

/**
 * A question to the user in a plan: the agent replies with this text instead
 * of calling a tool, and the scenario's simulated user answers it.
 */
export interface AskStep {
  readonly ask: string | ((context: PlanContext) => string);
  /** Asks always come from the agent that talks to the user (the supervisor in a team). */
  readonly agent?: string;
  readonly tool?: undefined;
  readonly args?: undefined;
}

/** One move of a plan: a tool call or a question to the user. */
export type PlanAction = PlanStep | AskStep;

/** True for plan moves that ask the user something. */
export function isAskStep(action: PlanAction): action is AskStep {
  return action.ask !== undefined;
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
  /** The tool calls (and questions to the user) a good agent makes, in order, and the answer it gives. */
  readonly reference: {
    readonly calls: readonly PlanAction[];
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
  /** Specialist agents and their tools; present for multi-agent scenarios. */
  readonly team?: Team;
  /** A simulated user who answers the agent's questions; present for multi-turn scenarios. */
  readonly user?: SimulatedUser;
  /** Policy rules checked on every step of its runs (by the `rules` grader), e.g. `["unconfirmed_write"]`. */
  readonly rules: readonly RuleReference[];
  /** Where the scenario was defined (`file:line`), for error messages. */
  readonly source?: string;
}

/**
 * A policy rule that applies to a scenario's or an imported trajectory's
 * steps: its id (a built-in rule such as `unconfirmed_write`, or one a
 * trajlab.config.ts defines), with options when the rule takes some.
 */
export type RuleReference = string | { readonly rule: string; readonly options?: Readonly<Record<string, unknown>> };

/** What `defineScenario` accepts: {@link Scenario} with defaults for the optional parts. */
export interface ScenarioInput<S> {
  id: string;
  title: string;
  environment: Environment<S>;
  task: string;
  setup?: (state: S) => void;
  reference: {
    calls: PlanAction[];
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
  team?: Team;
  user?: SimulatedUser;
  /** Policy rules checked on every step (default none). */
  rules?: RuleReference[];
  /** Defaults to the file and line that called `defineScenario`. */
  source?: string;
}

const SCENARIO_BRAND = Symbol.for("trajlab.scenario");

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
    throw new TrajlabError(
      "BAD_SCENARIO",
      `defineScenario: id ${JSON.stringify(input.id)} must look like "<domain>.<name>" in lower case, e.g. "retail.cancel-order"`,
    );
  }
  const answer = input.reference.answer;
  return Object.freeze({
    [SCENARIO_BRAND]: true,
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
    rules: Object.freeze([...(input.rules ?? [])]),
    ...(input.team ? { team: input.team } : {}),
    ...(input.user ? { user: input.user } : {}),
    source: input.source ?? callerLocation(),
  });
}

/** True for values made by {@link defineScenario} (used to find scenarios in user modules). */
export function isScenario(value: unknown): value is Scenario {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SCENARIO_BRAND] === true;
}

/**
 * `file:line` of the code that called defineScenario, relative to the working
 * directory, so `trajlab check` can point at the scenario to fix.
 */
function callerLocation(): string | undefined {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  for (const frame of frames) {
    const match = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?\s*$/.exec(frame.trim());
    if (!match) continue;
    let file = match[1]!.replace(/^file:\/\//, "");
    if (/[\\/]scenarios[\\/]define\.[cm]?[jt]s$/.test(file) || file.startsWith("node:")) continue;
    const cwd = process.cwd();
    if (file.startsWith(`${cwd}/`)) file = file.slice(cwd.length + 1);
    return `${file}:${match[2]}`;
  }
  return undefined;
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
export function planContext(results: readonly StepResult[], userTexts: readonly string[] = []): PlanContext {
  return {
    results,
    userTexts,
    result(tool: string) {
      for (let i = results.length - 1; i >= 0; i--) {
        const step = results[i]!;
        if (step.tool === tool && step.error === null) return step.result;
      }
      throw new TrajlabError("PLAN_VALUE_MISSING", `no successful "${tool}" call yet`);
    },
    fromUser(pattern: RegExp, group = 0) {
      for (let i = userTexts.length - 1; i >= 0; i--) {
        const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(userTexts[i]!);
        if (match && match[group] !== undefined) return match[group]!;
      }
      throw new TrajlabError("PLAN_VALUE_MISSING", `the user has not said anything matching ${pattern}`);
    },
  };
}

/** Resolves a plan step's arguments against earlier results. */
export function resolveArgs(step: PlanStep, context: PlanContext): Record<string, unknown> {
  return typeof step.args === "function" ? step.args(context) : structuredClone(step.args);
}

/** Resolves the text of a question to the user. */
export function resolveAsk(step: AskStep, context: PlanContext): string {
  return typeof step.ask === "function" ? step.ask(context) : step.ask;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
