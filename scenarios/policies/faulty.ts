import type { PlanContext, Scenario } from "../define.js";
import { executePlan, isHandoffStep, referenceExecution } from "../execute.js";
import { handoffTarget, handoffToolName, SUPERVISOR, teamOf, type Team } from "../team.js";
import {
  FAULT_KINDS,
  isScriptAsk,
  type ExpectedCall,
  type FaultKind,
  type InjectedFault,
  type Policy,
  type PolicyScript,
  type ScriptAction,
  type ScriptStep,
} from "./policy.js";
import { pick, seededRandom } from "./random.js";
import { routeScript } from "./routing.js";

/** Probability of each fault kind per trial. */
export type FaultRates = Readonly<Partial<Record<FaultKind, number>>>;

/**
 * Default rates: about two faults per trial, terminal ones (loops, premature
 * answers) rarer because they end the run.
 */
export const DEFAULT_FAULT_RATES: Readonly<Record<FaultKind, number>> = {
  repeated_call: 0.35,
  unused_read: 0.35,
  wrong_tool: 0.25,
  wrong_args: 0.25,
  missing_step: 0.2,
  premature_answer: 0.1,
  loop: 0.05,
  pass_through_handoff: 0.5,
  wrong_specialist: 0.3,
  ping_pong: 0.3,
};

/** Faults in how a team hands control around; a single agent replaying the script skips them. */
const HANDOFF_FAULTS: ReadonlySet<FaultKind> = new Set(["pass_through_handoff", "wrong_specialist", "ping_pong"]);

/** Options of {@link faultyPolicy}. */
export interface FaultyPolicyOptions {
  /** Policy id (default `faulty`); give variants distinct ids. */
  readonly id?: string;
  readonly description?: string;
  /** Per-kind probabilities; kinds left out use {@link DEFAULT_FAULT_RATES}. Use 0 to turn a kind off. */
  readonly rates?: FaultRates;
  /** Inject only these kinds (each at rate 1 unless `rates` says otherwise). */
  readonly only?: readonly FaultKind[];
  /** When the rates pick nothing, inject this many applicable faults anyway (default 1). */
  readonly minFaults?: number;
}

/** What a faulty script answers when the reference answer cannot be computed: a claim of success. */
export const UNFOUNDED_ANSWER = "All done: I have taken care of your request.";

/**
 * A policy that follows the reference plan and injects defects on top of it,
 * chosen with a seeded random generator keyed by seed, policy id and scenario:
 * the same seed always gives the same script. Each injected fault is listed
 * with the steps it consists of, which the runner turns into ground truth.
 *
 * - `repeated_call`: a read made again with identical arguments, before any write;
 * - `unused_read`: one of the scenario's distractors, whose result is never used;
 * - `wrong_tool` / `wrong_args`: a read made with another tool that accepts the
 *   same arguments, or with one argument changed, then the right call;
 * - `missing_step`: a write left out (one no later step depends on);
 * - `premature_answer`: the answer given before the plan is done;
 * - `loop`: a read repeated until the step limit ends the run;
 * - `pass_through_handoff` (teams): the supervisor hands to a member that
 *   only hands on to the member that does the work;
 * - `wrong_specialist` (teams): the supervisor first hands the work to a
 *   member that does none of it and hands back;
 * - `ping_pong` (teams): right after a member hands back, the supervisor
 *   hands to it again, and it hands back with nothing more to do.
 *
 * Loops and premature answers end the plan, so at most one of them is used
 * and other faults are placed before it.
 */
export function faultyPolicy(options: FaultyPolicyOptions = {}): Policy {
  const id = options.id ?? "faulty";
  const base = options.only
    ? Object.fromEntries(FAULT_KINDS.map((kind) => [kind, options.only!.includes(kind) ? 1 : 0]))
    : DEFAULT_FAULT_RATES;
  const rates = { ...base, ...options.rates } as Record<FaultKind, number>;
  const minFaults = options.minFaults ?? 1;
  return {
    id,
    description:
      options.description ??
      "the reference plan with seeded injected faults (repeats, unused reads, wrong tools or args, missing steps, premature answers, loops, pass-through handoffs), recorded as ground truth",
    script(scenario, { seed }) {
      return injectFaults(scenario, id, seededRandom(`${seed}\u0000${id}\u0000${scenario.id}`), rates, minFaults);
    },
  };
}

/** The base plan with positions and facts the injections need. */
interface Plan {
  readonly scenario: Scenario;
  readonly team: Team;
  readonly steps: readonly ScriptAction[];
  /** Reference call (tool, resolved args, agent) of each environment tool step, by step. */
  readonly expected: ReadonlyMap<ScriptAction, ExpectedCall>;
  readonly reads: readonly ScriptStep[];
  readonly writes: readonly ScriptStep[];
}

/** One way to inject a fault, ready to apply. */
interface Injection {
  readonly fault: InjectedFault;
  apply(edits: Edits): void;
  /** A step the fault needs to stay in the plan (a ping-pong needs the member's last step). */
  readonly needs?: ScriptAction;
}

/** Edits to the base plan, keyed by the step they are anchored to. */
interface Edits {
  before: Map<ScriptAction, ScriptAction[]>;
  after: Map<ScriptAction, ScriptAction[]>;
  replace: Map<ScriptAction, ScriptAction[]>;
  remove: Set<ScriptAction>;
}

const TERMINAL: ReadonlySet<FaultKind> = new Set(["loop", "premature_answer"]);

function injectFaults(
  scenario: Scenario,
  id: string,
  random: () => number,
  rates: Record<FaultKind, number>,
  minFaults: number,
): PolicyScript {
  const team = teamOf(scenario);
  const routed = routeScript({ policy: id, steps: [...scenario.reference.calls], answer: scenario.reference.answer }, team);
  const plan = describePlan(scenario, team, routed.steps);
  const answer = (context: PlanContext): string => {
    try {
      return scenario.reference.answer(context);
    } catch {
      return UNFOUNDED_ANSWER;
    }
  };

  // Which kinds: each applicable kind by its rate, then enough to reach minFaults. Handoff
  // faults do not count towards it: a single agent replaying the script skips handoffs.
  const applicable = FAULT_KINDS.filter((kind) => candidates(plan, kind, plan.steps.length).length > 0);
  let chosen = applicable.filter((kind) => random() < (rates[kind] ?? 0));
  const spare = applicable.filter((kind) => !chosen.includes(kind) && (rates[kind] ?? 0) > 0);
  const anyAgent = (kinds: readonly FaultKind[]) => kinds.filter((kind) => !HANDOFF_FAULTS.has(kind));
  while (anyAgent(chosen).length < minFaults && anyAgent(spare).length > 0) {
    const kind = pick(random, anyAgent(spare));
    spare.splice(spare.indexOf(kind), 1);
    chosen.push(kind);
  }
  if (chosen.length < minFaults && spare.length > 0) chosen.push(pick(random, spare));
  const terminals = chosen.filter((kind) => TERMINAL.has(kind));
  if (terminals.length > 1) {
    const keep = pick(random, terminals);
    chosen = chosen.filter((kind) => !TERMINAL.has(kind) || kind === keep);
  }

  // The terminal fault first: it decides where the plan ends.
  const edits: Edits = { before: new Map(), after: new Map(), replace: new Map(), remove: new Set() };
  const faults: InjectedFault[] = [];
  let cut = plan.steps.length;
  const terminal = chosen.find((kind) => TERMINAL.has(kind));
  if (terminal) {
    const injection = pick(random, candidates(plan, terminal, cut));
    injection.apply(edits);
    faults.push(injection.fault);
    cut = cutIndex(plan, edits);
  }
  for (const kind of FAULT_KINDS) {
    if (!chosen.includes(kind) || TERMINAL.has(kind)) continue;
    const options = candidates(plan, kind, cut).filter((option) => option.needs === undefined || !edits.remove.has(option.needs));
    if (options.length === 0) continue;
    const injection = pick(random, options);
    injection.apply(edits);
    faults.push(injection.fault);
  }
  const steps = pruneIdleHandoffs(applyEdits(plan.steps, edits, cut), new Set(faults.flatMap((fault) => fault.steps)));
  return { policy: id, steps, answer, faults, routed: true };
}

function describePlan(scenario: Scenario, team: Team, steps: readonly ScriptAction[]): Plan {
  const reference = referenceExecution(scenario);
  const effects = new Map(scenario.environment.tools.map((tool) => [tool.name, tool.effect]));
  const expected = new Map<ScriptAction, ExpectedCall>();
  const reads: ScriptStep[] = [];
  const writes: ScriptStep[] = [];
  let ordinal = 0;
  for (const step of steps) {
    if (isScriptAsk(step) || isHandoffStep(scenario, step.tool)) continue;
    const result = reference.results[ordinal++];
    if (!result || result.error !== null) break;
    expected.set(step, { tool: step.tool, args: result.args, ...(scenario.team && step.agent ? { agent: step.agent } : {}) });
    (effects.get(step.tool) === "write" ? writes : reads).push(step);
  }
  return { scenario, team, steps, expected, reads, writes };
}

/** Every way to inject `kind` using steps before index `cut`. */
function candidates(plan: Plan, kind: FaultKind, cut: number): Injection[] {
  const within = (step: ScriptAction): boolean => plan.steps.indexOf(step) < cut;
  const reads = plan.reads.filter(within);
  switch (kind) {
    case "repeated_call":
      return reads.map((step) => {
        const copy: ScriptStep = { ...step, fault: "repeated_call" };
        return {
          fault: { kind, steps: [copy], detail: `${step.tool} called again with identical arguments` },
          apply: (edits) => push(edits.after, step, copy),
        };
      });
    case "unused_read":
      return unusedReads(plan, cut);
    case "wrong_tool":
      return reads.flatMap((step) => wrongTools(plan, step));
    case "wrong_args":
      return reads.flatMap((step) => wrongArgs(plan, step));
    case "missing_step":
      return plan.writes
        .filter(within)
        .filter((step) => leavesPlanRunnable(plan, step))
        .map((step) => ({
          fault: { kind, steps: [], detail: `${step.tool} was never called`, expected: plan.expected.get(step)! },
          apply: (edits) => edits.remove.add(step),
        }));
    case "premature_answer": {
      const toolSteps = [...plan.expected.keys()].filter(within);
      return toolSteps.map((step, position) => ({
        fault: {
          kind,
          steps: [],
          answer: true,
          detail: `answered after ${position} of ${toolSteps.length} tool calls; next was ${(step as ScriptStep).tool}`,
        },
        apply: (edits) => edits.replace.set(step, [CUT]),
      }));
    }
    case "loop":
      return reads.map((step) => {
        const looping: ScriptStep = { ...step, loop: true };
        return {
          fault: { kind, steps: [looping], detail: `${step.tool} repeated with identical arguments until the step limit` },
          apply: (edits) => edits.replace.set(step, [looping, CUT]),
        };
      });
    case "pass_through_handoff":
      return passThroughs(plan, cut);
    case "wrong_specialist":
      return wrongSpecialists(plan, cut);
    case "ping_pong":
      return pingPongs(plan, cut);
  }
}

/** Marks the end of the plan inside a replacement. */
const CUT: ScriptAction = Object.freeze({ ask: "(end of plan)" });

function unusedReads(plan: Plan, cut: number): Injection[] {
  const anchors = [...plan.expected.keys()].filter((step) => plan.steps.indexOf(step) < cut) as ScriptStep[];
  const injections: Injection[] = [];
  for (const distractor of plan.scenario.distractors) {
    for (const anchor of anchors) {
      const agent = anchor.agent;
      if (plan.scenario.team && agent !== undefined && !holds(plan.team, agent, distractor.tool)) continue;
      const step: ScriptStep = { ...distractor, ...(agent !== undefined ? { agent } : {}), fault: "unused_read" };
      injections.push({
        fault: { kind: "unused_read", steps: [step], detail: `${distractor.tool} read but its result never used` },
        apply: (edits) => push(edits.before, anchor, step),
      });
    }
  }
  return injections;
}

function wrongTools(plan: Plan, step: ScriptStep): Injection[] {
  const expected = plan.expected.get(step)!;
  return plan.scenario.environment.tools
    .filter((tool) => tool.effect === "read" && tool.name !== step.tool && tool.args.safeParse(expected.args).success)
    .filter((tool) => step.agent === undefined || holds(plan.team, step.agent, tool.name))
    .map((tool) => {
      const wrong: ScriptStep = {
        tool: tool.name,
        args: step.args,
        ...(step.agent !== undefined ? { agent: step.agent } : {}),
        fault: "wrong_tool",
      };
      return {
        fault: {
          kind: "wrong_tool" as const,
          steps: [wrong],
          detail: `called ${tool.name} where ${step.tool} was needed, then ${step.tool}`,
          expected,
        },
        apply: (edits: Edits) => push(edits.before, step, wrong),
      };
    });
}

function wrongArgs(plan: Plan, step: ScriptStep): Injection[] {
  const expected = plan.expected.get(step)!;
  return Object.keys(expected.args)
    .sort()
    .filter((key) => perturb(expected.args[key]) !== undefined)
    .map((key) => {
      const wrong: ScriptStep = {
        tool: step.tool,
        args: (context) => {
          const args = typeof step.args === "function" ? step.args(context) : structuredClone(step.args);
          return { ...args, [key]: perturb(args[key]) ?? args[key] };
        },
        ...(step.agent !== undefined ? { agent: step.agent } : {}),
        fault: "wrong_args",
      };
      const changed = JSON.stringify(perturb(expected.args[key]));
      return {
        fault: {
          kind: "wrong_args" as const,
          steps: [wrong],
          detail: `${step.tool} called with ${key}=${changed} instead of ${JSON.stringify(expected.args[key])}, then correctly`,
          expected,
        },
        apply: (edits: Edits) => push(edits.before, step, wrong),
      };
    });
}

/**
 * A plausible wrong value: an id with its last digit changed, a letter swap
 * in other text, a number off by a tenth. Undefined when there is nothing to change.
 */
export function perturb(value: unknown): unknown {
  if (typeof value === "number") return Math.round(value * 110) / 100 + (value === 0 ? 1 : 0);
  if (typeof value === "boolean") return !value;
  if (Array.isArray(value)) {
    const first = value.length === 0 ? undefined : perturb(value[0]);
    return first === undefined ? undefined : [first, ...value.slice(1)];
  }
  if (typeof value !== "string" || value.length < 2) return undefined;
  const digit = /\d(?=\D*$)/.exec(value);
  if (digit) return value.slice(0, digit.index) + String((Number(digit[0]) + 1) % 10) + value.slice(digit.index + 1);
  const middle = Math.floor(value.length / 2);
  const swapped = value.slice(0, middle - 1) + value[middle] + value[middle - 1] + value.slice(middle + 1);
  return swapped === value ? `${value}x` : swapped;
}

/** Leaving out `step` still lets every later step compute its arguments and succeed. */
function leavesPlanRunnable(plan: Plan, step: ScriptStep): boolean {
  const execution = executePlan(
    plan.scenario,
    plan.steps.filter((candidate) => candidate !== step),
  );
  return execution.failure === null;
}

/** The supervisor's handoffs before `cut`: each step, its index in the plan, and the member it hands to. */
function supervisorHandoffs(plan: Plan, cut: number): Array<{ step: ScriptAction; index: number; target: string }> {
  if (!plan.scenario.team) return [];
  return plan.steps.slice(0, cut).flatMap((step, index) => {
    if (isScriptAsk(step) || step.agent !== SUPERVISOR) return [];
    const target = handoffTarget(step.tool);
    return target === null ? [] : [{ step, index, target }];
  });
}

function passThroughs(plan: Plan, cut: number): Injection[] {
  return supervisorHandoffs(plan, cut).flatMap(({ step, target }) =>
    plan.team.members
      .filter((middle) => middle.name !== target && middle.handoffs.includes(target))
      .map((middle): Injection => {
        const into: ScriptStep = { tool: handoffToolName(middle.name), args: {}, agent: SUPERVISOR, fault: "pass_through_handoff" };
        const on: ScriptStep = { tool: handoffToolName(target), args: {}, agent: middle.name, fault: "pass_through_handoff" };
        return {
          fault: {
            kind: "pass_through_handoff",
            steps: [into, on],
            detail: `${SUPERVISOR} → ${middle.name} → ${target}, where ${middle.name} does nothing; ${SUPERVISOR} → ${target} is direct`,
          },
          apply: (edits) => edits.replace.set(step, [into, on]),
        };
      }),
  );
}

/** Before a supervisor's handoff to the member that does the work, a handoff to another member, which has nothing to do and hands back. */
function wrongSpecialists(plan: Plan, cut: number): Injection[] {
  return supervisorHandoffs(plan, cut).flatMap(({ step, index, target }) => {
    // The member that just handed back already had the task: handing to it again is a ping-pong.
    const previous = plan.steps[index - 1]?.agent;
    return plan.team.members
      .filter((wrong) => wrong.name !== target && wrong.name !== previous)
      .map((wrong): Injection => {
        const detour: ScriptStep = { tool: handoffToolName(wrong.name), args: {}, agent: SUPERVISOR, fault: "wrong_specialist" };
        return {
          fault: {
            kind: "wrong_specialist",
            steps: [detour],
            detail: `${SUPERVISOR} handed to ${wrong.name}, which had nothing to do and handed back, before handing to ${target}`,
          },
          apply: (edits) => push(edits.before, step, detour),
        };
      });
  });
}

/** After a member's last step before it hands back, the supervisor hands to it again; it hands back at once. */
function pingPongs(plan: Plan, cut: number): Injection[] {
  if (!plan.scenario.team) return [];
  const steps = plan.steps.slice(0, cut);
  const injections: Injection[] = [];
  steps.forEach((step, index) => {
    if (isScriptAsk(step) || step.agent === undefined || step.agent === SUPERVISOR || handoffTarget(step.tool) !== null) return;
    // The member's block ends here: the next step (if any) is not its own.
    if (steps[index + 1]?.agent === step.agent) return;
    const again: ScriptStep = { tool: handoffToolName(step.agent), args: {}, agent: SUPERVISOR, fault: "ping_pong" };
    injections.push({
      fault: {
        kind: "ping_pong",
        steps: [again],
        detail: `${step.agent} handed back after ${step.tool}, and ${SUPERVISOR} handed to it again with nothing new for it to do`,
      },
      apply: (edits) => push(edits.after, step, again),
      needs: step,
    });
  });
  return injections;
}

function holds(team: Team, agent: string, tool: string): boolean {
  return team.members.some((member) => member.name === agent && member.tools.includes(tool));
}

function push(map: Map<ScriptAction, ScriptAction[]>, key: ScriptAction, value: ScriptAction): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

/** Index in the base plan of the first step a terminal fault cuts off (or replaces). */
function cutIndex(plan: Plan, edits: Edits): number {
  const index = plan.steps.findIndex((step) => edits.replace.get(step)?.includes(CUT));
  return index === -1 ? plan.steps.length : index;
}

function applyEdits(base: readonly ScriptAction[], edits: Edits, cut: number): ScriptAction[] {
  const steps: ScriptAction[] = [];
  for (const step of base.slice(0, cut + 1)) {
    steps.push(...(edits.before.get(step) ?? []));
    const replacement = edits.replace.get(step);
    if (replacement) {
      const end = replacement.indexOf(CUT);
      steps.push(...(end === -1 ? replacement : replacement.slice(0, end)));
      if (end !== -1) return steps;
    } else if (!edits.remove.has(step)) {
      steps.push(step);
    }
    steps.push(...(edits.after.get(step) ?? []));
  }
  return steps;
}

/**
 * Removes handoffs left with nothing to do (after a step was left out or the
 * plan was cut): a transfer whose target makes no move before control
 * changes again. Fault steps stay.
 */
function pruneIdleHandoffs(steps: ScriptAction[], keep: ReadonlySet<ScriptAction>): ScriptAction[] {
  const result = [...steps];
  for (let i = result.length - 1; i >= 0; i--) {
    const step = result[i]!;
    if (isScriptAsk(step) || keep.has(step)) continue;
    const target = handoffTarget(step.tool);
    if (target === null) continue;
    const next = result[i + 1];
    if (next === undefined || next.agent !== target) result.splice(i, 1);
  }
  return result;
}
