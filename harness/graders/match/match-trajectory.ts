import { TrajlabError } from "../../../errors/index.js";
import { isPromise } from "../../util/promise.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { bestMatching, longestIncreasingRun, maximumMatchingSize } from "./assignment.js";
import { normalizeInput, type CallRef, type MatchInput, type NormalizedInput } from "./normalize.js";
import { argDifferences, isToolArgsMode, matcherFor, type ArgDifference, type ToolArgsMode, type ToolArgsOverrides } from "./tool-args.js";

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
  const context = prepare(actual, reference, options);
  const forward = compatibilityMatrix(context, false, synchronous);
  const backward = needsBackward(context) ? compatibilityMatrix(context, true, synchronous) : forward;
  return decide(context, forward, backward);
}

/** {@link matchTrajectory} for custom argument matchers that return promises. */
export async function matchTrajectoryAsync(
  actual: MatchInput,
  reference: MatchInput | null,
  options: MatchOptions = {},
): Promise<TrajectoryMatch> {
  const context = prepare(actual, reference, options);
  const forward = await settle(compatibilityMatrix(context, false, (value) => value));
  const backward = needsBackward(context) ? await settle(compatibilityMatrix(context, true, (value) => value)) : forward;
  return decide(context, forward, backward);
}

interface MatchContext {
  readonly mode: TrajectoryMatchMode;
  readonly toolArgs: ToolArgsMode;
  readonly overrides: ToolArgsOverrides | undefined;
  readonly actual: NormalizedInput;
  readonly reference: NormalizedInput;
}

/** `matrix[a][r]`: whether actual call a may stand for reference call r (false across tools). */
type Matrix = boolean[][];
type PendingMatrix = Array<Array<boolean | Promise<boolean>>>;

const MODES: ReadonlySet<string> = new Set(["strict", "unordered", "subset", "superset"]);

function prepare(actual: MatchInput, reference: MatchInput | null, options: MatchOptions): MatchContext {
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
  return {
    mode,
    toolArgs,
    overrides: options.overrides,
    actual: normalizeInput(actual, "actual"),
    reference: normalizeInput(reference, "reference"),
  };
}

/**
 * Which side goes first into the argument comparison. agentevals compares
 * `(actual, reference)` except in `subset` mode, where it checks the
 * reference against the actual calls and so passes `(reference, actual)`;
 * following it keeps asymmetric comparisons (`subset`, `superset`, functions)
 * compatible. `unordered` requires both directions, as agentevals does.
 */
function needsBackward(context: MatchContext): boolean {
  return context.mode === "unordered" || context.mode === "subset";
}

function compatibilityMatrix<T>(
  context: MatchContext,
  backward: boolean,
  check: (value: boolean | Promise<boolean>, tool: string) => T,
): T[][] {
  const { actual, reference } = context;
  const matchers = new Map<string, ReturnType<typeof matcherFor>>();
  return actual.calls.map((a) =>
    reference.calls.map((r) => {
      if (a.name !== r.name) return check(false, a.name);
      let matcher = matchers.get(a.name);
      if (!matcher) {
        matcher = matcherFor(a.name, context.toolArgs, context.overrides);
        matchers.set(a.name, matcher);
      }
      return check(backward ? matcher(r.args, a.args) : matcher(a.args, r.args), a.name);
    }),
  );
}

async function settle(matrix: PendingMatrix): Promise<Matrix> {
  return Promise.all(matrix.map((row) => Promise.all(row.map((value) => Promise.resolve(value)))));
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
  const pairs = bestMatching(
    A,
    R,
    (a, r) => primary[a]![r]!,
    (a, r) => positionGap(a, A, r, R),
  );
  const reasons = verdictReasons(context, forward, backward, pairs.length);
  return buildResult(context, pairs, reasons);
}

function positionGap(a: number, total: number, r: number, referenceTotal: number): number {
  // Relative positions in [0, 1): ties between maximum matchings go to the one nearest the reference order.
  return Math.abs(a / total - r / referenceTotal) * 0.999;
}

function verdictReasons(context: MatchContext, forward: Matrix, backward: Matrix, matchedPrimary: number): string[] {
  const { mode, actual, reference } = context;
  const A = actual.calls.length;
  const R = reference.calls.length;
  const reasons: string[] = [];
  if (mode === "strict") {
    if (actual.messages && reference.messages) return strictMessageReasons(actual, reference, forward);
    if (A !== R) reasons.push(`${A} call(s) where the reference has ${R}`);
    for (let i = 0; i < Math.min(A, R); i++) {
      if (!forward[i]![i]) {
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
  const coverForward = mode === "subset" ? null : maximumMatchingSize(A, R, (a, r) => forward[a]![r]!);
  const coverBackward =
    mode === "superset" ? null : mode === "subset" ? matchedPrimary : maximumMatchingSize(A, R, (a, r) => backward[a]![r]!);
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

/** agentevals' strict comparison of two message lists, with bipartite matching inside each message. */
function strictMessageReasons(actual: NormalizedInput, reference: NormalizedInput, forward: Matrix): string[] {
  const left = actual.messages!;
  const right = reference.messages!;
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
    const size = maximumMatchingSize(ac.length, rc.length, (x, y) => forward[ac[x]!]![rc[y]!]!);
    if (size < ac.length) return [`message ${i + 1}: ${ac.length - size} tool call(s) differ from the reference's`];
  }
  return [];
}

function callKey(call: CallRef): string {
  return `${call.name}\u0000${canonicalJson(call.args)}`;
}

function buildResult(context: MatchContext, pairs: ReadonlyArray<[number, number]>, reasons: string[]): TrajectoryMatch {
  const { actual, reference } = context;
  const A = actual.calls.length;
  const R = reference.calls.length;
  const matched: MatchedCall[] = pairs.map(([a, r]) => ({
    actual: a,
    reference: r,
    name: actual.calls[a]!.name,
    eventId: actual.calls[a]!.eventId,
  }));
  const usedA = new Set(pairs.map(([a]) => a));
  const usedR = new Set(pairs.map(([, r]) => r));
  // A leftover identical to a matched call is a repeat of it, not an attempt at another reference call.
  const matchedKeys = new Set(pairs.map(([a]) => callKey(actual.calls[a]!)));
  const leftA = actual.calls.filter((call) => !usedA.has(call.index) && !matchedKeys.has(callKey(call)));
  const repeats = actual.calls.filter((call) => !usedA.has(call.index) && matchedKeys.has(callKey(call)));
  const leftR = reference.calls.filter((call) => !usedR.has(call.index));
  // Leftovers to the same tool pair up as argument mismatches, nearest first.
  const sameTool = bestMatching(
    leftA.length,
    leftR.length,
    (x, y) => leftA[x]!.name === leftR[y]!.name,
    (x, y) => positionGap(leftA[x]!.index, A, leftR[y]!.index, R),
  );
  const mismatchedArgs: MismatchedCall[] = sameTool.map(([x, y]) => {
    const a = leftA[x]!;
    const r = leftR[y]!;
    return { actual: a.index, reference: r.index, name: a.name, eventId: a.eventId, differences: argDifferences(a.args, r.args) };
  });
  const pairedA = new Set(sameTool.map(([x]) => x));
  const pairedR = new Set(sameTool.map(([, y]) => y));
  const unmatched = (call: CallRef): UnmatchedCall => ({ index: call.index, name: call.name, args: call.args, eventId: call.eventId });
  const extra = [...leftA.filter((_, x) => !pairedA.has(x)), ...repeats].sort((a, b) => a.index - b.index).map(unmatched);
  const missing = leftR.filter((_, y) => !pairedR.has(y)).map(unmatched);

  const precision = A === 0 ? 1 : pairs.length / A;
  const recall = R === 0 ? 1 : pairs.length / R;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const orderScore = pairs.length < 2 ? 1 : longestIncreasingRun([...pairs].sort((x, y) => x[0] - y[0]).map(([, r]) => r)) / pairs.length;
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
