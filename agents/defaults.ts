/**
 * The agents folder's light face: the defaults of calls to real models, for
 * the flags that show them in `trajlab <command> --help`, without loading
 * LangChain or a provider package.
 */
export { DEFAULT_MODEL_CALL_SETTINGS } from "./model-calls/settings.js";
