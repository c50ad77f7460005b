import { sanitizeForDisplay, type GradableTrajectory } from "../../harness/core.js";
import { push, section, type PaneLine } from "./pane-lines.js";
import { durationText, modelText, NOT_RECORDED, oneLine, tokensText } from "./step-format.js";

/**
 * The task and source pane: the task in full (the header has room for its
 * first line only) and where the trajectory came from, so a reviewer of
 * imported data knows which benchmark record, file and trial they are judging.
 */
export function taskLines(trajectory: GradableTrajectory, source: string, width: number): PaneLine[] {
  const lines: PaneLine[] = [];
  section(lines, "task", width);
  push(
    lines,
    trajectory.task === null ? `(task ${NOT_RECORDED})` : sanitizeForDisplay(trajectory.task, { multiline: true }),
    "text",
    width,
  );
  section(lines, "where it came from", width);
  const provenance = trajectory.provenance;
  if (provenance) {
    const place = [`record ${provenance.index}`, provenance.line === null ? "" : `line ${provenance.line}`].filter(Boolean).join(", ");
    push(lines, `imported from ${oneLine(provenance.format)}: ${oneLine(provenance.file)} (${place})`, "title", width);
    if (provenance.originalId !== null) push(lines, `original id: ${oneLine(provenance.originalId)}`, "text", width);
    for (const [key, value] of Object.entries(provenance.metadata)) {
      const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
      push(lines, `${oneLine(key)}: ${sanitizeForDisplay(text, { multiline: true })}`, "text", width);
    }
  } else {
    push(lines, source === "recorded" ? "recorded by trajlab" : `from a ${oneLine(source)} run`, "title", width);
  }
  section(lines, "this trajectory", width);
  const facts: [string, string][] = [
    ["run", oneLine(trajectory.runId)],
    ["id", oneLine(trajectory.id)],
    ["scenario", oneLine(trajectory.scenarioId)],
    ["agent", oneLine(trajectory.agent)],
    ["model", modelText(trajectory.model)],
    ["trial", String(trajectory.trial)],
    ["seed", trajectory.seed === null ? NOT_RECORDED : String(trajectory.seed)],
    ["started", trajectory.startedAt === null ? NOT_RECORDED : trajectory.startedAt],
    ["took", durationText(trajectory.durationMs)],
    ["tokens", tokensText(trajectory.usage)],
    ["ended", `${trajectory.termination.reason}${trajectory.termination.message ? `: ${oneLine(trajectory.termination.message)}` : ""}`],
  ];
  for (const [label, value] of facts) push(lines, `${label.padEnd(9)}${value}`, "text", width);
  return lines;
}
