import type { Command } from "commander";
import { REVIEW_EXPORT_LINES } from "../../reviews/help.js";
import { collect, share } from "../options.js";
import type { ExportOptions } from "./export-start.js";

/**
 * Every kind `trajlab export` writes, by name, with its line in `--help`:
 * training data from reviews (reviews/export/), and trajectories in other
 * formats (harness/export/). Add a kind here and in export-start.ts's EXPORT_KINDS.
 */
export const EXPORT_KIND_LINES = {
  ...REVIEW_EXPORT_LINES,
  openai: "each trajectory as an OpenAI chat-completions conversation ({ id, model, tools, metadata, messages })",
  otel: "each trajectory as one OTLP/JSON trace request (GenAI semantic conventions; the Collector's file format, which trajlab import otel reads)",
} as const;

/** `trajlab export <kind> [runs...]`. */
export function registerExport(program: Command): void {
  const kinds = Object.entries(EXPORT_KIND_LINES);
  const width = Math.max(...kinds.map(([id]) => id.length));
  program
    .command("export <kind> [runs...]")
    .description("write reviews as training data (SFT, DPO, KTO, step rewards) or trajectories in other formats, one JSON object per line")
    .option("-o, --out <file>", "write to this file (default: standard output)")
    .option("--reviewers <names>", "only these reviewers' judgements (comma-separated or repeated)", collect)
    .option(
      "--min-agreement <share>",
      "only targets at least this share of whose reviewers (two or more) agree, e.g. 0.8; adjudicated targets pass",
      share,
    )
    .option("--settled-only", "only targets an adjudicator settled or two or more reviewers agree on")
    .option("--include-graders", "where no review gives a value, use grader labels as weak labels (marked weak in the provenance)")
    .option("--scenario <glob>", "only these scenarios, e.g. 'retail.*'")
    .option("--domain <domain>", "only this domain")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .addHelpText(
      "after",
      `
Kinds:
${kinds.map(([id, line]) => `  ${id.padEnd(width)}  ${line}`).join("\n")}

Every record carries "provenance": run, trajectory, event ids, reviewers, adjudicators, agreement
and each judged target. A target's value is its adjudicated value, else the reviewers' when they
agree; disputed targets are left out. docs/export.md shows a record of each kind.

Examples:
  trajlab export sft --out sft.jsonl
  trajlab export dpo run-a run-b --settled-only
  trajlab export prm --include-graders --domain retail`,
    )
    .action(async (kindName: string, runArgs: string[], options: ExportOptions) => {
      const { exportCommand } = await import("./export-start.js");
      await exportCommand(kindName, runArgs, options);
    });
}
