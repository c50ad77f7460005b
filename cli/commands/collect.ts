import type { Command } from "commander";
import { duration, groupByOption, port, positiveInt } from "../options.js";
import type { CollectOptions } from "./collect-start.js";

/** `trajlab collect`: an OTLP/HTTP receiver whose traces become a run's trajectories as they finish. */
export function registerCollect(program: Command): void {
  program
    .command("collect")
    .description("receive OpenTelemetry traces over OTLP/HTTP (protobuf or JSON) and write each finished trace to a run as a trajectory")
    .option("--port <n>", "port to listen on (0 picks a free one)", port, 4318)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--run-id <id>", "the run to write; an existing run of otel traces gets only the trajectories it lacks")
    .option("--runs-dir <dir>", "where runs are stored (default: ./runs or $TRAJLAB_RUNS_DIR)")
    .option("--domain <name>", "domain of the trajectories (default: the service.name the app reports)")
    .option("--model <name>", "model that produced the trajectories, when the spans do not name it")
    .option("--agent <name>", "name of the agent, when the spans do not name one")
    .option("--effects <file>", 'JSON file of tool name → "read" or "write" (default: inferred from tool names, and marked inferred)')
    .option("--settle <duration>", "after a trace's root span arrives, how long to wait for its last spans", duration("--settle"), 500)
    .option(
      "--idle <duration>",
      "a conversation is written once no span of it has come for this long (and a trace whose root span never arrives, likewise)",
      duration("--idle"),
      30_000,
    )
    .addOption(groupByOption())
    .option(
      "--max-traces <n>",
      "close the run once it has written this many trajectories (for scripts; default: until Ctrl-C)",
      positiveInt("--max-traces"),
    )
    .option("--json", "print one JSON object per line: listening, each trajectory, closed")
    .addHelpText(
      "after",
      `
Point an instrumented app at the receiver, e.g. with the OpenTelemetry SDK's environment:
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
(traces at /v1/traces; GenAI events sent as log records, at /v1/logs, join the spans they name).
Spans are read as trajlab import otel reads them (GenAI semantic conventions, OpenInference).
One trace is one trajectory, written once its root span has arrived (or after --idle without one);
traces naming one conversation (gen_ai.conversation.id, session.id) are one trajectory, written once
no span of it has come for --idle, or at Ctrl-C (--group-by trace writes each trace alone).
Every request is kept as received in the run's otlp-received.jsonl. Ctrl-C closes the run.

Examples:
  trajlab collect --run-id live
  trajlab collect --port 0 --json`,
    )
    .action(async (options: CollectOptions) => {
      const { collectCommand } = await import("./collect-start.js");
      await collectCommand(options);
    });
}
