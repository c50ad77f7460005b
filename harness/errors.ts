/**
 * Every error trajlab raises on purpose is a {@link TrajlabError}: it carries a
 * stable string `code` for scripts and a message that names what happened, the
 * offending value and how to fix it. The CLI prints the message and exits
 * non-zero; anything else that escapes is a bug and is printed with its stack.
 */
export class TrajlabError extends Error {
  /** Stable machine-readable code, e.g. `SCENARIO_NOT_FOUND`. */
  readonly code: string;
  /** Optional hint printed on its own line after the message. */
  readonly hint?: string;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TrajlabError";
    this.code = code;
    this.hint = options?.hint;
  }
}

/** True for errors raised deliberately by trajlab (as opposed to bugs). */
export function isTrajlabError(error: unknown): error is TrajlabError {
  return error instanceof TrajlabError;
}

/** The message of anything thrown (an Error's message, or the value as text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
