/**
 * The import formats by id, each with the line `trajlab import --help` shows
 * for it, read by the command's help without loading any importer
 * (harness/help.ts). IMPORT_FORMATS (import-files.ts) has a format for each
 * of these ids and no other.
 */
export const IMPORT_FORMAT_LINES = {
  "tau-bench": "τ-bench historical trajectories ({ task_id, trial, reward, info, traj }) and τ²-bench simulation results",
  openai: "chat-completions message lists (JSON array, one object per conversation, or JSONL), with tool_calls and tool results",
  otel: "OTLP/JSON traces (the Collector's file exporter), GenAI semantic conventions and OpenInference attributes",
  langsmith: "LangSmith runs (listRuns/readRun: run_type chain/llm/tool, parent_run_id or nested child_runs); one trace is one trajectory",
} as const;
