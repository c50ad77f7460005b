/**
 * The reviews folder's light face for commands' help: what
 * `trajlab export --help` lists (the kinds of training data), without loading
 * the exporters, zod or the harness.
 */
export { REVIEW_EXPORT_LINES } from "./export/kind-lines.js";
