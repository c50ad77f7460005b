import type { GradableTrajectory, ToolCallEvent } from "../trajectory/schema.js";

/**
 * What a tool is, told from how its calls behave rather than from its name
 * (names differ from one agent to the next):
 *
 * - `thought`: it records what the agent thinks and nothing else: every call
 *   is given free text and returns nothing (or its own text back), and none
 *   writes. Its arguments are the agent's words, like a message.
 * - `arithmetic`: it computes: every call is given an arithmetic expression
 *   and returns the number the expression evaluates to. Its result is derived
 *   from its arguments, so it reads no state.
 */
export type ToolBehaviour = "thought" | "arithmetic";

/** The behaviour of each tool that shows one in this trajectory, by tool name. */
export function toolBehaviours(trajectory: GradableTrajectory): Map<string, ToolBehaviour> {
  const byTool = new Map<string, ToolCallEvent[]>();
  for (const event of trajectory.events) {
    if (event.kind !== "tool_call" || event.status !== "ok") continue;
    byTool.set(event.name, [...(byTool.get(event.name) ?? []), event]);
  }
  const behaviours = new Map<string, ToolBehaviour>();
  for (const [name, calls] of byTool) {
    if (calls.some((call) => call.effect === "write")) continue;
    if (calls.every(recordsThought)) behaviours.set(name, "thought");
    else if (calls.every(computes)) behaviours.set(name, "arithmetic");
  }
  return behaviours;
}

/**
 * A call given free text (one argument of a few words at least: several
 * short arguments, such as a search's origin, destination and date, are not
 * prose) that returned nothing, or the text it was given.
 */
function recordsThought(call: ToolCallEvent): boolean {
  const texts = Object.values(call.args).filter((value): value is string => typeof value === "string");
  if (!texts.some((text) => text.trim().split(/\s+/).length >= 3)) return false;
  const answer = call.resultText.trim();
  return isEmptyValue(call.result) || answer === "" || texts.some((text) => text.trim() === answer);
}

/** A call given an arithmetic expression whose value is the number it returned. */
function computes(call: ToolCallEvent): boolean {
  const answer = typeof call.result === "number" ? call.result : Number(call.resultText.trim());
  if (!Number.isFinite(answer)) return false;
  return Object.values(call.args).some((value) => {
    if (typeof value !== "string" || !/[-+*/]/.test(value)) return false;
    const computed = evaluate(value);
    return computed !== null && Math.abs(computed - answer) <= Math.max(0.01, Math.abs(answer) * 1e-6);
  });
}

/**
 * The value of an arithmetic expression (numbers, + - * / %, parentheses,
 * unary minus), or null when the text is not one. A small recursive-descent
 * parser: nothing is ever passed to `eval`.
 */
export function evaluate(expression: string): number | null {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/%()]|\S/g);
  if (!tokens) return null;
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const sum = (): number | null => {
    let left = product();
    while (left !== null && (peek() === "+" || peek() === "-")) {
      const op = tokens[at++];
      const right = product();
      if (right === null) return null;
      left = op === "+" ? left + right : left - right;
    }
    return left;
  };
  const product = (): number | null => {
    let left = unary();
    while (left !== null && (peek() === "*" || peek() === "/" || peek() === "%")) {
      const op = tokens[at++];
      const right = unary();
      if (right === null) return null;
      left = op === "*" ? left * right : op === "/" ? left / right : left % right;
    }
    return left;
  };
  const unary = (): number | null => {
    if (peek() === "-") {
      at++;
      const value = unary();
      return value === null ? null : -value;
    }
    if (peek() === "+") at++;
    return atom();
  };
  const atom = (): number | null => {
    const token = tokens[at++];
    if (token === "(") {
      const value = sum();
      return tokens[at++] === ")" ? value : null;
    }
    return token !== undefined && /^\d/.test(token) ? Number(token) : null;
  };
  const value = sum();
  return value !== null && at === tokens.length && Number.isFinite(value) ? value : null;
}

/** True for a result that holds nothing: null, an empty string, list or object. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0 || value.every(isEmptyValue);
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** Short answers that say something is not there. */
const NEGATIVE = /^(?:no\b|none\b|nothing\b|not found\b|0 results?\b|no (?:results?|matches|records?|items?)\b|\w+ not found\b|false$)/i;

/**
 * True when a call informed by what it did not find: an empty result, a
 * `false`, or a short "not found"/"no results" answer. Such a result is
 * news (there is no such flight, no open ticket) even though no value of it
 * can flow anywhere.
 */
export function informsByAbsence(call: ToolCallEvent): boolean {
  if (call.status !== "ok") return false;
  if (isEmptyValue(call.result) || call.result === false) return true;
  const text = call.resultText.trim();
  return text.length <= 80 && NEGATIVE.test(text);
}

/** Errors that say the failure was momentary: a retry of such a call is reasonable. */
const TRANSIENT =
  /time[sd]? ?out|temporar|rate.?limit|too many requests|try again|unavailable|overloaded|busy|connection|network|\b50[234]\b/i;

/** True when a failed call's error reads as momentary (a timeout, a rate limit), not as a refusal that will repeat. */
export function isTransientError(call: ToolCallEvent): boolean {
  return call.status === "error" && TRANSIENT.test(call.error?.message ?? call.resultText);
}
