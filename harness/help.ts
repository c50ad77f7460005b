/**
 * The harness's light face for commands' help: what `trajlab <command> --help`
 * lists from the harness (the import formats), without loading it, zod or
 * LangChain.
 */
export { IMPORT_FORMAT_LINES } from "./import/format-lines.js";
