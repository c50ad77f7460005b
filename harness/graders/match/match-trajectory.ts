import { TrajlabError } from "../../../errors/index.js";
import { isPromise } from "../../util/promise.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { bestMatching, longestIncreasingRun, maximumMatchingSize } from "./assignment.js";
import { ArgumentTexts, normalizeInput, type CallRef, type MatchInput, type MessageShape, type NormalizedInput } from "./normalize.js";
import {
  argDifferences,
  isToolArgsMode,
  jsonEqual,
  matcherFor,
  type ArgDifference,
  type ToolArgsMode,
  type ToolArgsOverrides,
} from "./tool-args.js";

/**
 * How an actual trajectory must relate to the reference:
 * - `strict`: the same calls in the same order (for two message lists, the
 *   same messages: roles, and per message the same tool calls in any order);
 * - `unordered`: the same calls in any order;
 * - `subset`: no call beyond the reference's (some may be missing);
 * - `superset`: every reference call (extra calls allowed).
 */
export type TrajectoryMatchMode = "strict" | "unordered" | "subset" | "superset";

/** Options of {@link matchTrajectory}. */
export interface MatchOptions {
  /** Default `strict`. */
  readonly mode?: TrajectoryMatchMode;
  /** How arguments are compared; default `exact`. */
  readonly toolArgs?: ToolArgsMode;
  /** Per-tool comparison: a mode, a list of (dotted) keys that must be equal, or a function. */
  readonly overrides?: ToolArgsOverrides;
}

/** A reference call matched by an actual call. */
export interface MatchedCall {
  readonly actual: number;
  readonly reference: number;
  readonly name: string;
  readonly eventId: string | null;
}

/** An actual call to the right tool whose arguments did not match the reference call it stands for. */
export interface MismatchedCall extends MatchedCall {
  readonly differences: ArgDifference[];
}

/** A call on one side only. */
export interface UnmatchedCall {
  /** Index into that side's calls. */
  readonly index: number;
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly eventId: string | null;
}

/** What {@link matchTrajectory} found: the verdict, partial credit and the diff. */
export interface TrajectoryMatch {
  readonly pass: boolean;
  readonly mode: TrajectoryMatchMode;
  readonly toolArgs: ToolArgsMode;
  /** Partial credit in 0..1: the F1 of tool calls. */
  readonly score: number;
  /** Matched actual calls / actual calls (1 when there are none). */
  readonly precision: number;
  /** Matched reference calls / reference calls (1 when there are none). */
  readonly recall: number;
  readonly f1: number;
  /** Share of matched calls that keep the reference's relative order (longest increasing run); 1 with fewer than two matches. */
  readonly orderScore: number;
  readonly counts: { readonly actual: number; readonly reference: number; readonly matched: number };
  readonly matched: MatchedCall[];
  /** Reference calls no actual call stands for. */
  readonly missing: UnmatchedCall[];
  /** Actual calls that stand for no reference call. */
  readonly extra: UnmatchedCall[];
  /** Calls to the right tool with other arguments, paired with the reference call they most likely meant. */
  readonly mismatchedArgs: MismatchedCall[];
  /** Why `pass` is false, one readable sentence each (empty when it passes). */
  readonly reasons: string[];
}

/**
 * Compares an actual trajectory with a reference, with the semantics of
 * agentevals' trajectory-match evaluators (any pair agentevals passes passes
 * here; with `exact` or `ignore` arguments the verdicts are the same) but
 * with maximum bipartite matching instead of greedy first-fit, and with a
 * diff and partial credit.
 *
 * Either side may be a trajlab trajectory, a reference plan, OpenAI
 * chat-format messages or `{ name, args }` calls. Custom argument matchers
 * must be synchronous here; use {@link matchTrajectoryAsync} for async ones.
 *
 * @example
 * const result = matchTrajectory(trajectory, trajectory.reference, { mode: "superset", toolArgs: "subset" });
 * if (!result.pass) console.log(result.reasons, result.missing);
 */
export function matchTrajectory(actual: MatchInput, reference: MatchInput | null, options: MatchOptions = {}): TrajectoryMatch {
  const sides = prepare(actual, reference, options);
  if (sameCalls(sides)) return sameCallsResult(sides);
  const context = byTool(sides);
  const forward = compatibility(context, false, synchronous);
  const backward = needsBackward(context) ? compatibility(context, true, synchronous) : forward;
  return decide(context, forward, backward);
}

/** {@link matchTrajectory} for custom argument matchers that return promises. */
export async function matchTrajectoryAsync(
  actual: MatchInput,
  reference: MatchInput | null,
  options: MatchOptions = {},
): Promise<TrajectoryMatch> {
  const sides = prepare(actual, reference, options);
  if (sameCalls(sides)) return sameCallsResult(sides);
  const context = byTool(sides);
  const forward = await settle(compatibility(context, false, (value) => value));
  const backward = needsBackward(context) ? await settle(compatibility(context, true, (value) => value)) : forward;
  return decide(context, forward, backward);
}

/** Both sides' calls and what to compare them by. */
interface Sides {
  readonly mode: TrajectoryMatchMode;
  readonly toolArgs: ToolArgsMode;
  readonly overrides: ToolArgsOverrides | undefined;
  readonly actual: NormalizedInput;
  readonly reference: NormalizedInput;
}

interface MatchContext extends Sides {
  /** The calls of each side to each tool: only calls to the same tool can match, so matching works tool by tool. */
  readonly tools: readonly ToolCalls[];
  readonly slots: { readonly actualTool: Int32Array; readonly actualSlot: Int32Array; readonly referenceSlot: Int32Array };
}

/** The calls of both sides to one tool, as indexes into each side's calls. */
interface ToolCalls {
  readonly name: string;
  readonly actual: readonly number[];
  readonly reference: readonly number[];
}

/**
 * Whether actual call a may stand for reference call r, tool by tool:
 * `blocks[t][x][y]` for the x-th actual and y-th reference call to tool t.
 */
interface Compatibility<T> {
  readonly blocks: T[][][];
}

/** A compatibility whose every entry is known. */
type Matrix = Compatibility<boolean>;

const MODES: ReadonlySet<string> = new Set(["strict", "unordered", "subset", "superset"]);

function prepare(actual: MatchInput, reference: MatchInput | null, options: MatchOptions): Sides {
  const mode = options.mode ?? "strict";
  const toolArgs = options.toolArgs ?? "exact";
  if (!MODES.has(mode)) {
    throw new TrajlabError(
      "BAD_MATCH_MODE",
      `matchTrajectory: mode ${JSON.stringify(mode)} is not one of strict, unordered, subset, superset`,
    );
  }
  if (!isToolArgsMode(toolArgs)) {
    throw new TrajlabError(
      "BAD_MATCH_MODE",
      `matchTrajectory: toolArgs ${JSON.stringify(toolArgs)} is not one of exact, ignore, subset, superset`,
    );
  }
  for (const [tool, override] of Object.entries(options.overrides ?? {})) {
    const ok = typeof override === "function" || Array.isArray(override) || isToolArgsMode(override);
    if (!ok) {
      throw new TrajlabError("BAD_MATCH_MODE", `matchTrajectory: override for tool "${tool}" is ${JSON.stringify(override)}`, {
        hint: 'an override is "exact", "ignore", "subset", "superset", a list of keys, or a function (actual, reference) => boolean',
      });
    }
  }
  const texts = new ArgumentTexts();
  const shapes = mode === "strict";
  return {
    mode,
    toolArgs,
    overrides: options.overrides,
    actual: normalizeInput(actual, "actual", texts, shapes),
    reference: normalizeInput(reference, "reference", texts, shapes),
  };
}

/** The sides with their calls grouped tool by tool. */
function byTool(sides: Sides): MatchContext {
  const tools = toolsOf(sides.actual.calls, sides.reference.calls);
  const { mode, toolArgs, overrides, actual, reference } = sides;
  return { mode, toolArgs, overrides, actual, reference, tools, slots: slotsOf(tools, actual.calls.length, reference.calls.length) };
}

/** Whether a tool's calls are compared by a built-in mode (no function or key list), under which equal arguments always match. */
function builtInMode(sides: Sides, tool: string): boolean {
  const { overrides } = sides;
  return !overrides || !Object.hasOwn(overrides, tool) || typeof overrides[tool] === "string";
}

/**
 * Whether the actual calls are the reference's, one for one in the same
 * order: same tools, arguments equal (the same text, or deep equality), each
 * compared by a built-in mode. Then every call matches its counterpart both
 * ways, and the matching nearest the reference order is the identity, with
 * nothing to search for.
 */
function sameCalls(sides: Sides): boolean {
  const actual = sides.actual.calls;
  const reference = sides.reference.calls;
  if (actual.length !== reference.length) return false;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const r = reference[i]!;
    if (a.name !== r.name || !builtInMode(sides, a.name)) return false;
    if (!(a.argsText !== null && a.argsText === r.argsText) && !jsonEqual(a.args, r.args)) return false;
  }
  return true;
}

/** The result when {@link sameCalls}: every call matched to its counterpart; strict mode still compares the messages. */
function sameCallsResult(sides: Sides): TrajectoryMatch {
  const pairs = sides.actual.calls.map((_, i): [number, number] => [i, i]);
  const { actual, reference } = sides;
  const reasons =
    sides.mode === "strict" && actual.messages && reference.messages
      ? strictMessageReasons(actual.messages, reference.messages, (a, r) => a === r)
      : [];
  return buildResult(sides, pairs, reasons);
}

/** The tools both sides call, each with its calls on either side (positions in `actual` and `reference`). */
function toolsOf(actual: readonly CallRef[], reference: readonly CallRef[]): ToolCalls[] {
  const byName = new Map<string, { name: string; actual: number[]; reference: number[] }>();
  for (let x = 0; x < actual.length; x++) {
    const name = actual[x]!.name;
    const found = byName.get(name);
    if (found) found.actual.push(x);
    else byName.set(name, { name, actual: [x], reference: [] });
  }
  const tools: ToolCalls[] = [];
  for (let y = 0; y < reference.length; y++) {
    const found = byName.get(reference[y]!.name);
    if (!found) continue;
    if (found.reference.length === 0) tools.push(found);
    found.reference.push(y);
  }
  return tools;
}

/** Where each call sits in the tool blocks: its tool's index (-1 when the other side never calls it) and its place in that tool's list. */
function slotsOf(tools: readonly ToolCalls[], actual: number, reference: number): MatchContext["slots"] {
  const slots = {
    actualTool: new Int32Array(actual).fill(-1),
    actualSlot: new Int32Array(actual),
    referenceSlot: new Int32Array(reference),
  };
  for (let t = 0; t < tools.length; t++) {
    const tool = tools[t]!;
    for (let x = 0; x < tool.actual.length; x++) {
      slots.actualTool[tool.actual[x]!] = t;
      slots.actualSlot[tool.actual[x]!] = x;
    }
    for (let y = 0; y < tool.reference.length; y++) slots.referenceSlot[tool.reference[y]!] = y;
  }
  return slots;
}

/**
 * Which side goes first into the argument comparison. agentevals compares
 * `(actual, reference)` except in `subset` mode, where it checks the
 * reference against the actual calls and so passes `(reference, actual)`;
 * following it keeps asymmetric comparisons (`subset`, `superset`, functions)
 * compatible. `unordered` requires both directions, as agentevals does.
 */
function needsBackward(context: MatchContext): boolean {
  return (context.mode === "unordered" || context.mode === "subset") && !symmetric(context);
}

/** Whether every tool's comparison gives the same answer both ways (exact or ignore, no function or key list), so one matrix serves. */
function symmetric(context: MatchContext): boolean {
  const { overrides } = context;
  return context.tools.every((tool) =>
    overrides && Object.hasOwn(overrides, tool.name) ? symmetricMode(overrides[tool.name]) : symmetricMode(context.toolArgs),
  );
}

function compatibility<T>(
  context: MatchContext,
  backward: boolean,
  check: (value: boolean | Promise<boolean>, tool: string) => T,
): Compatibility<T> {
  const { actual, reference, overrides } = context;
  const blocks: T[][][] = [];
  for (const tool of context.tools) {
    const matcher = matcherFor(tool.name, context.toolArgs, overrides);
    // Under every built-in mode, arguments sent as the same text are equal: no need to parse them.
    const byText = builtInMode(context, tool.name);
    const block: T[][] = [];
    for (const x of tool.actual) {
      const a = actual.calls[x]!;
      const row: T[] = [];
      for (const y of tool.reference) {
        const r = reference.calls[y]!;
        if (byText && a.argsText !== null && a.argsText === r.argsText) row.push(check(true, tool.name));
        else row.push(check(backward ? matcher(r.args, a.args) : matcher(a.args, r.args), tool.name));
      }
      block.push(row);
    }
    blocks.push(block);
  }
  return { blocks };
}

async function settle(pending: Compatibility<boolean | Promise<boolean>>): Promise<Matrix> {
  return {
    blocks: await Promise.all(
      pending.blocks.map((block) => Promise.all(block.map((row) => Promise.all(row.map((value) => Promise.resolve(value)))))),
    ),
  };
}

/** Whether actual call a may stand for reference call r (false across tools). */
function compatible(context: MatchContext, matrix: Matrix, a: number, r: number): boolean {
  if (context.actual.calls[a]!.name !== context.reference.calls[r]!.name) return false;
  const { actualTool, actualSlot, referenceSlot } = context.slots;
  return matrix.blocks[actualTool[a]!]![actualSlot[a]!]![referenceSlot[r]!]!;
}

/** A maximum matching in each tool's block, with the least total cost among maximum ones; `[actual, reference]` pairs, by actual index. */
function matchingByTool(context: MatchContext, matrix: Matrix, cost: (a: number, r: number) => number): Array<[number, number]> {
  const partner = new Int32Array(context.actual.calls.length).fill(-1);
  context.tools.forEach((tool, t) => {
    const block = matrix.blocks[t]!;
    for (const [x, y] of bestMatching(
      tool.actual.length,
      tool.reference.length,
      (x, y) => block[x]![y]!,
      (x, y) => cost(tool.actual[x]!, tool.reference[y]!),
    )) {
      partner[tool.actual[x]!] = tool.reference[y]!;
    }
  });
  return pairsByActual(partner);
}

/** `[actual, reference]` pairs in the order of the actual calls, from each actual call's partner (-1 for none). */
function pairsByActual(partner: Int32Array): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < partner.length; a++) if (partner[a]! >= 0) pairs.push([a, partner[a]!]);
  return pairs;
}

/** The size of a maximum matching: the sum over tools. */
function coverByTool(context: MatchContext, matrix: Matrix): number {
  return context.tools.reduce((sum, tool, t) => {
    const block = matrix.blocks[t]!;
    return sum + maximumMatchingSize(tool.actual.length, tool.reference.length, (x, y) => block[x]![y]!);
  }, 0);
}

function symmetricMode(mode: unknown): boolean {
  return mode === "exact" || mode === "ignore";
}

/** A matcher's verdict, refusing promises (those need {@link matchTrajectoryAsync}). */
function synchronous(value: boolean | Promise<boolean>, tool: string): boolean {
  if (isPromise(value)) throw asyncMatcherError(tool);
  return value;
}

function asyncMatcherError(tool: string): TrajlabError {
  return new TrajlabError("ASYNC_MATCHER", `matchTrajectory: the argument matcher for tool "${tool}" returned a promise`, {
    hint: "use matchTrajectoryAsync for asynchronous matchers",
  });
}

function decide(context: MatchContext, forward: Matrix, backward: Matrix): TrajectoryMatch {
  const { mode, actual, reference } = context;
  const A = actual.calls.length;
  const R = reference.calls.length;
  // The diff and partial credit come from one matching, in the direction the
  // mode compares arguments; subset mode's pass depends on the backward one.
  const primary = mode === "subset" ? backward : forward;
  const pairs = matchingByTool(context, primary, (a, r) => positionGap(a, A, r, R));
  const reasons = verdictReasons(context, forward, backward, pairs.length);
  return buildResult(context, pairs, reasons);
}

function positionGap(a: number, total: number, r: number, referenceTotal: number): number {
  // Relative positions in [0, 1): ties between maximum matchings go to the one nearest the reference order;
  // the square, far too small to outweigh a difference of gaps, settles ties of gaps for order (a crossing
  // pair of matches has larger squares than the same matches uncrossed).
  const gap = a / total - r / referenceTotal;
  return Math.abs(gap) * 0.998 + gap * gap * 1e-6;
}

function verdictReasons(context: MatchContext, forward: Matrix, backward: Matrix, matchedPrimary: number): string[] {
  const { mode, actual, reference } = context;
  const A = actual.calls.length;
  const R = reference.calls.length;
  const reasons: string[] = [];
  if (mode === "strict") {
    if (actual.messages && reference.messages)
      return strictMessageReasons(actual.messages, reference.messages, (a, r) => compatible(context, forward, a, r));
    if (A !== R) reasons.push(`${A} call(s) where the reference has ${R}`);
    for (let i = 0; i < Math.min(A, R); i++) {
      if (!compatible(context, forward, i, i)) {
        const a = actual.calls[i]!;
        const r = reference.calls[i]!;
        reasons.push(
          a.name === r.name
            ? `call ${i + 1} (${a.name}) has other arguments than the reference`
            : `call ${i + 1} is ${a.name} where the reference has ${r.name}`,
        );
        break;
      }
    }
    return reasons;
  }
  // The primary matching is a maximum one: in every mode but subset it is forward's cover, and, when one matrix serves both ways, backward's too.
  const coverForward = mode === "subset" ? null : matchedPrimary;
  const coverBackward =
    mode === "superset" ? null : mode === "subset" || backward === forward ? matchedPrimary : coverByTool(context, backward);
  if (coverForward !== null && coverForward < R) reasons.push(`${R - coverForward} reference call(s) not made`);
  if (coverBackward !== null && coverBackward < A) {
    reasons.push(
      mode === "subset"
        ? `${A - coverBackward} call(s) beyond the reference`
        : `${A - coverBackward} call(s) with no counterpart in the reference`,
    );
  }
  return reasons;
}

/**
 * agentevals' strict comparison of two message lists, with bipartite matching
 * inside each message; `compatible(a, r)` says whether actual call a may stand
 * for reference call r.
 */
function strictMessageReasons(
  left: readonly MessageShape[],
  right: readonly MessageShape[],
  compatible: (a: number, r: number) => boolean,
): string[] {
  if (left.length !== right.length) return [`${left.length} message(s) where the reference has ${right.length}`];
  for (let i = 0; i < left.length; i++) {
    const a = left[i]!;
    const r = right[i]!;
    if (a.role !== r.role) return [`message ${i + 1} is from ${a.role} where the reference has ${r.role}`];
    if ((a.calls === null) !== (r.calls === null))
      return [
        `message ${i + 1} ${a.calls === null ? "has no" : "has"} tool calls where the reference ${r.calls === null ? "has none" : "has some"}`,
      ];
    if (a.calls === null || r.calls === null) continue;
    if (a.calls.length !== r.calls.length)
      return [`message ${i + 1} makes ${a.calls.length} tool call(s) where the reference makes ${r.calls.length}`];
    const ac = a.calls;
    const rc = r.calls;
    const size = maximumMatchingSize(ac.length, rc.length, (x, y) => compatible(ac[x]!, rc[y]!));
    if (size < ac.length) return [`message ${i + 1}: ${ac.length - size} tool call(s) differ from the reference's`];
  }
  return [];
}

/**
 * Whether a call repeats a matched call: the same tool with the same
 * arguments (by canonical JSON; the same argument text is the same too, and
 * spares parsing). Computed only for calls left over.
 */
function repeatOfMatched(calls: readonly CallRef[], pairs: ReadonlyArray<[number, number]>): (call: CallRef) => boolean {
  const matched = new Map<string, CallRef[]>();
  for (const [a] of pairs) {
    const call = calls[a]!;
    const same = matched.get(call.name);
    if (same) same.push(call);
    else matched.set(call.name, [call]);
  }
  const canonical = new Map<CallRef, string>();
  return (call) => {
    const same = matched.get(call.name);
    if (!same) return false;
    if (call.argsText !== null && same.some((other) => other.argsText === call.argsText)) return true;
    if (plainJsonText(call) && same.every(plainJsonText)) return same.some((other) => jsonEqual(other.args, call.args));
    const key = canonicalKey(canonical, call);
    return same.some((other) => canonicalKey(canonical, other) === key);
  };
}

/**
 * Whether a call's arguments were parsed from text with no number that
 * overflows to an infinity (an exponent, or 309 digits or more). Such values
 * are plain JSON, for which deep equality is the same test as equal canonical
 * JSON, without serialising either; an infinity is written as null.
 */
function plainJsonText(call: CallRef): boolean {
  const text = call.argsText;
  return text !== null && text.length < 309 && !DIGIT_EXPONENT.test(text);
}

const DIGIT_EXPONENT = /[0-9][eE]/;

/** A call's arguments as canonical JSON, computed once per call. */
function canonicalKey(known: Map<CallRef, string>, call: CallRef): string {
  let key = known.get(call);
  if (key === undefined) known.set(call, (key = canonicalJson(call.args)));
  return key;
}

/** A minimum-cost maximum matching of two lists of calls where only calls to the same tool pair up, tool by tool. */
function bestMatchingByName(
  left: readonly CallRef[],
  right: readonly CallRef[],
  cost: (x: number, y: number) => number,
): Array<[number, number]> {
  const partner = new Int32Array(left.length).fill(-1);
  for (const tool of toolsOf(left, right)) {
    for (const [x, y] of bestMatching(
      tool.actual.length,
      tool.reference.length,
      () => true,
      (x, y) => cost(tool.actual[x]!, tool.reference[y]!),
    )) {
      partner[tool.actual[x]!] = tool.reference[y]!;
    }
  }
  return pairsByActual(partner);
}

function unmatched(call: CallRef): UnmatchedCall {
  return { index: call.index, name: call.name, args: call.args, eventId: call.eventId };
}

/** The result of a matching: `pairs` are `[actual, reference]` in the order of the actual calls. */
function buildResult(context: Sides, pairs: ReadonlyArray<[number, number]>, reasons: string[]): TrajectoryMatch {
  const { actual, reference } = context;
  const A = actual.calls.length;
  const R = reference.calls.length;
  const usedA = new Uint8Array(A);
  const usedR = new Uint8Array(R);
  const matched: MatchedCall[] = pairs.map(([a, r]) => {
    usedA[a] = 1;
    usedR[r] = 1;
    return { actual: a, reference: r, name: actual.calls[a]!.name, eventId: actual.calls[a]!.eventId };
  });
  const unused = actual.calls.filter((call) => usedA[call.index] === 0);
  const leftR = reference.calls.filter((call) => usedR[call.index] === 0);
  // A leftover identical to a matched call is a repeat of it, not an attempt at another reference call.
  const leftA: CallRef[] = [];
  const repeats: CallRef[] = [];
  if (unused.length > 0) {
    const isRepeat = repeatOfMatched(actual.calls, pairs);
    for (const call of unused) (isRepeat(call) ? repeats : leftA).push(call);
  }
  // Leftovers to the same tool pair up as argument mismatches, nearest first.
  const sameTool =
    leftA.length === 0 || leftR.length === 0
      ? []
      : bestMatchingByName(leftA, leftR, (x, y) => positionGap(leftA[x]!.index, A, leftR[y]!.index, R));
  const pairedA = new Uint8Array(leftA.length);
  const pairedR = new Uint8Array(leftR.length);
  const mismatchedArgs: MismatchedCall[] = sameTool.map(([x, y]) => {
    const a = leftA[x]!;
    const r = leftR[y]!;
    pairedA[x] = 1;
    pairedR[y] = 1;
    return { actual: a.index, reference: r.index, name: a.name, eventId: a.eventId, differences: argDifferences(a.args, r.args) };
  });
  const extraCalls = leftA.filter((_, x) => pairedA[x] === 0);
  if (repeats.length > 0) {
    extraCalls.push(...repeats);
    extraCalls.sort((a, b) => a.index - b.index);
  }
  const extra = extraCalls.map(unmatched);
  const missing = leftR.filter((_, y) => pairedR[y] === 0).map(unmatched);

  const precision = A === 0 ? 1 : pairs.length / A;
  const recall = R === 0 ? 1 : pairs.length / R;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const orderScore = pairs.length < 2 ? 1 : longestIncreasingRun(pairs.map(([, r]) => r)) / pairs.length;
  return {
    pass: reasons.length === 0,
    mode: context.mode,
    toolArgs: context.toolArgs,
    score: f1,
    precision,
    recall,
    f1,
    orderScore,
    counts: { actual: A, reference: R, matched: pairs.length },
    matched,
    missing,
    extra,
    mismatchedArgs,
    reasons,
  };
}
