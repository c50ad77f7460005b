/**
 * How two tool calls' arguments are compared when trajectories are matched.
 *
 * The modes follow langchain's agentevals trajectory-match evaluators so that
 * verdicts carry over: `exact` (deep equality), `ignore` (any arguments),
 * `subset` (every argument of the first call appears in the second with an
 * equal value) and `superset` (the reverse). Per-tool overrides are a mode, a
 * list of (dotted) keys that must be equal, or a function.
 */

/** Built-in argument comparison modes. */
export type ToolArgsMode = "exact" | "ignore" | "subset" | "superset";

/** Tool-call arguments as a JSON object. */
export type ToolArgs = Record<string, unknown>;

/**
 * A custom comparison: true when the two calls' arguments count as the same.
 * It receives `(actual, reference)`, except in `subset` trajectory mode where,
 * as in agentevals, it receives `(reference, actual)`.
 */
export type ToolArgsMatcher = (first: ToolArgs, second: ToolArgs) => boolean | Promise<boolean>;

/** A per-tool override: a mode, the keys that must be equal, or a function. */
export type ToolArgsOverride = ToolArgsMode | readonly string[] | ToolArgsMatcher;

/** Per-tool overrides, by tool name. */
export type ToolArgsOverrides = Readonly<Record<string, ToolArgsOverride>>;

/**
 * Deep equality of JSON values. `null` and a missing value are equal (a model
 * that sends `null` for an optional argument meant "not given"); arrays and
 * objects never equal each other.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a == null && b == null) return true;
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const aArray = Array.isArray(a);
  if (aArray !== Array.isArray(b)) return false;
  if (aArray) {
    const left = a as unknown[];
    const right = b as unknown[];
    if (left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++) {
      const value = left[index];
      // A hole on the left is skipped, as Array.prototype.every skips it.
      if (value === undefined && !(index in left)) continue;
      if (!jsonEqual(value, right[index])) return false;
    }
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!Object.hasOwn(right, key) || !jsonEqual(left[key], right[key])) return false;
  return true;
}

/** Every argument of `inner` is present in `outer` with an equal value. */
export function argsContained(inner: ToolArgs, outer: ToolArgs): boolean {
  for (const key of Object.keys(inner)) if (!Object.hasOwn(outer, key) || !jsonEqual(outer[key], inner[key])) return false;
  return true;
}

/** The comparison of each built-in mode, made once. */
const MODE_MATCHERS: { readonly [M in ToolArgsMode]: (first: ToolArgs, second: ToolArgs) => boolean } = {
  exact: jsonEqual,
  ignore: () => true,
  subset: (first, second) => argsContained(first, second),
  superset: (first, second) => argsContained(second, first),
};

function matcherForMode(mode: ToolArgsMode): ToolArgsMatcher {
  return MODE_MATCHERS[mode];
}

function valueAt(args: ToolArgs, path: string): unknown {
  let current: unknown = args;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const MODES: ReadonlySet<string> = new Set(["exact", "ignore", "subset", "superset"]);

/** Whether a value is one of the built-in argument modes. */
export function isToolArgsMode(value: unknown): value is ToolArgsMode {
  return typeof value === "string" && MODES.has(value);
}

/** The comparison to use for calls to `toolName`: its override if any, else the mode. */
export function matcherFor(toolName: string, mode: ToolArgsMode, overrides: ToolArgsOverrides | undefined): ToolArgsMatcher {
  const override = overrides && Object.hasOwn(overrides, toolName) ? overrides[toolName] : undefined;
  if (override === undefined) return matcherForMode(mode);
  if (typeof override === "function") return override;
  if (typeof override === "string") return matcherForMode(override);
  const keys = [...override];
  return (first, second) => keys.every((key) => jsonEqual(valueAt(first, key), valueAt(second, key)));
}

/** One argument that differs between an actual call and the reference call it stands for. */
export interface ArgDifference {
  readonly key: string;
  /** `changed`: both have it with different values; `missing`: only the reference has it; `unexpected`: only the actual call has it. */
  readonly kind: "changed" | "missing" | "unexpected";
  readonly actual?: unknown;
  readonly reference?: unknown;
}

/** Top-level argument differences, keys in sorted order. */
export function argDifferences(actual: ToolArgs, reference: ToolArgs): ArgDifference[] {
  const keys = Object.keys(actual);
  for (const key of Object.keys(reference)) if (!Object.hasOwn(actual, key)) keys.push(key);
  keys.sort();
  const differences: ArgDifference[] = [];
  for (const key of keys) {
    const inActual = Object.hasOwn(actual, key) && actual[key] != null;
    const inReference = Object.hasOwn(reference, key) && reference[key] != null;
    if (inActual && !inReference) differences.push({ key, kind: "unexpected", actual: actual[key] });
    else if (!inActual && inReference) differences.push({ key, kind: "missing", reference: reference[key] });
    else if (inActual && !jsonEqual(actual[key], reference[key]))
      differences.push({ key, kind: "changed", actual: actual[key], reference: reference[key] });
  }
  return differences;
}

/** `orderId: "O-1" instead of "O-2"; reason missing (expected "late")` */
export function describeArgDifferences(differences: readonly ArgDifference[], limit = 3): string {
  const brief = (value: unknown): string => {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  };
  const shown = differences
    .slice(0, limit)
    .map((d) =>
      d.kind === "changed"
        ? `${d.key}: ${brief(d.actual)} instead of ${brief(d.reference)}`
        : d.kind === "missing"
          ? `${d.key} missing (expected ${brief(d.reference)})`
          : `${d.key} not expected (got ${brief(d.actual)})`,
    );
  const more = differences.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}
