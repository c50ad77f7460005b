/** Exit status when a command ran to the end (failed outcomes are results, not errors). */
export const EXIT_OK = 0;
/** Exit status for an unexpected internal error: a bug. */
export const EXIT_INTERNAL = 1;
/** Exit status for bad input (flags, files, specs); the message says how to fix it. */
export const EXIT_BAD_INPUT = 2;
/** Exit status when a command ran but a check it was asked to enforce failed (e.g. `validate-graders --check`). */
export const EXIT_CHECK_FAILED = 3;
/** Exit status of a run interrupted by Ctrl-C (128 + SIGINT); what finished is kept, and `run --resume` finishes it. */
export const EXIT_INTERRUPTED = 130;
