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

/** The message of anything thrown (an Error's message, or the value as text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
