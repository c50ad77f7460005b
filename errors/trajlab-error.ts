import { ERROR_CODES, type ErrorCode } from "./codes.js";

/** What a {@link TrajlabError} may carry besides its code and message. */
export interface TrajlabErrorOptions {
  /** How to fix it, printed on its own line after the message. */
  readonly hint?: string;
  /** The error that led to this one. */
  readonly cause?: unknown;
}

/**
 * Every error trajlab raises on purpose, in every layer (scenarios, agents,
 * harness, reviews, CLI), is a TrajlabError: a stable `code` from
 * {@link ERROR_CODES} for scripts, a message that names what happened and the
 * offending value, and a `hint` with the fix. The CLI prints message and hint
 * and exits 2; anything else that escapes is a bug and is printed with its stack.
 */
export class TrajlabError extends Error {
  /** Stable machine-readable code, e.g. `RUN_NOT_FOUND`. */
  readonly code: ErrorCode;
  /** How to fix it, printed on its own line after the message. */
  readonly hint?: string;

  /** @param code a code listed in ERROR_CODES (errors/codes.ts); add one there for a new kind of failure. */
  constructor(code: ErrorCode, message: string, options?: TrajlabErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TrajlabError";
    this.code = code;
    this.hint = options?.hint;
  }
}

/**
 * True for errors raised deliberately by trajlab (as opposed to bugs), and
 * with `code`, for that kind only. Errors from another copy of trajlab (a
 * second install loaded by a user's config) count too: they are recognised by
 * name and code, not only by class.
 */
export function isTrajlabError(error: unknown, code?: ErrorCode): error is TrajlabError {
  const deliberate =
    error instanceof TrajlabError ||
    (error instanceof Error && error.name === "TrajlabError" && Object.hasOwn(ERROR_CODES, (error as { code?: unknown }).code as string));
  return deliberate && (code === undefined || (error as TrajlabError).code === code);
}

/**
 * The message of anything thrown: an Error's message, a thrown string, or
 * the value described. Never throws itself, even for values `String()`
 * rejects (`Object.create(null)`).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : describeValue(error);
}

/** What was thrown, for a message: `TypeError: ...` for an Error, else what the value is (`null`, `an object {...}`). */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === "string") return error;
  return `${describeValue(error)} was thrown instead of an Error`;
}

/** A value of unknown shape in words, briefly: `null`, `an array of 2`, `a Promise`, `an object {"a":1}`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof (value as { then?: unknown }).then === "function") return "a Promise";
  if (typeof value === "function") return "a function";
  if (typeof value !== "object") return `${typeof value} ${JSON.stringify(value) ?? ""}`.trim();
  let json: string;
  try {
    json = JSON.stringify(value) ?? "";
  } catch {
    json = "(not serialisable)";
  }
  const kind = Object.getPrototypeOf(value) === null ? "an object with no prototype" : "an object";
  return `${kind} ${json.length > 80 ? `${json.slice(0, 77)}...` : json}`.trim();
}
