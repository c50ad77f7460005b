/**
 * trajlab's errors: one error class and the catalogue of its codes. This
 * folder imports nothing of ours, so every layer (scenarios, agents, harness,
 * reviews, CLI) may import it.
 */
export { ERROR_CODES } from "./codes.js";
export type { ErrorCode } from "./codes.js";
export { TrajlabError, describeThrown, describeValue, errorMessage, isTrajlabError } from "./trajlab-error.js";
export type { TrajlabErrorOptions } from "./trajlab-error.js";
