import { sanitizeForDisplay, type Outcome, type TokenUsage, type TrajectoryEvent } from "../../harness/core.js";
import type { ReviewStatus } from "../queue.js";
import { STEP_VERDICT_TITLES, STEP_VERDICTS_BY_KIND, type StepKind, type StepVerdict } from "../record.js";
import { displayWidth } from "./text-layout.js";

/**
 * How steps, verdicts and statuses are written on one line. Every string
 * that came from a trajectory is sanitized here.
 */

/** One-column marks for a reviewer's step verdicts (distinct without colour). */
export const VERDICT_MARKS: Readonly<Record<StepVerdict, string>> = {
  correct: "✓",
  skippable: "~",
  wrong_tool: "T",
  wrong_args: "A",
  harmful: "!",
  other: "?",
  right_agent: "✓",
  wrong_agent: "W",
  unnecessary_handoff: "~",
  wrong: "X",
};

/** The mark at the start of a failed step's line (a glyph, so it shows without colour too). */
export const FAILED_MARK = "✗";

/** Mark of a gradable step without a verdict yet. */
export const UNGRADED_MARK = "·";

/** Marks of a trajectory's review status in the queue. */
export const STATUS_MARKS: Readonly<Record<ReviewStatus, string>> = { new: "○", partial: "◐", done: "●" };

/**
 * Mark of a step graders labelled: ⚑ while a flag awaits the reviewer's
 * decision, ⚐ once decided; `i` where the labels only note something (an
 * extra call against the reference), which the queue does not count.
 */
export const FLAG_MARK = { open: "⚑", decided: "⚐", note: "i" } as const;

/** Short kind tags, padded to one width in the timeline. */
export function kindTag(event: TrajectoryEvent): string {
  switch (event.kind) {
    case "message":
      return event.role;
    case "llm_call":
      return "model";
    case "tool_call":
      return "tool";
    case "handoff":
      return "handoff";
    case "node":
      return "node";
    case "error":
      return "error";
  }
}

/** A step in one line: what was called with what, or what was said. */
export function stepSummary(event: TrajectoryEvent): string {
  switch (event.kind) {
    case "message":
      return oneLine(event.content) || "(empty)";
    case "llm_call": {
      const calls = event.output.toolCalls.map((call) => call.name);
      const said = oneLine(event.output.content);
      if (event.error) return `error: ${oneLine(event.error)}`;
      if (calls.length > 0) return `→ ${calls.map((name) => oneLine(name)).join(", ")}${said ? ` · ${said}` : ""}`;
      return said || "(no output)";
    }
    case "tool_call":
      // A failure is marked at the start of the line (FAILED_MARK), not here.
      return `${oneLine(event.name)}(${argsInline(event.args)})`;
    case "handoff":
      return `${oneLine(event.from)} → ${oneLine(event.to)}${event.via === "return" ? " (returns)" : ""}`;
    case "node":
      return oneLine(event.name);
    case "error":
      return `${oneLine(event.name)}: ${oneLine(event.message)}`;
  }
}

/** Arguments as `key=value, ...` on one line (values as compact JSON). */
export function argsInline(args: Record<string, unknown>): string {
  return Object.entries(args)
    .map(
      ([key, value]) =>
        `${oneLine(key)}=${oneLine(typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value)))}`,
    )
    .join(", ");
}

/** Sanitized text on one line. */
export function oneLine(text: string): string {
  return sanitizeForDisplay(text).trim();
}

/** Searchable text of a step (lower case). */
export function searchText(event: TrajectoryEvent): string {
  const parts: string[] = [event.id, event.agent, kindTag(event)];
  switch (event.kind) {
    case "message":
      parts.push(event.content);
      break;
    case "llm_call":
      parts.push(
        event.output.content,
        ...event.output.toolCalls.map((call) => `${call.name} ${JSON.stringify(call.args)}`),
        event.error ?? "",
      );
      break;
    case "tool_call":
      parts.push(event.name, JSON.stringify(event.args), event.resultText, event.error?.message ?? "");
      break;
    case "handoff":
      parts.push(event.from, event.to, event.toolName ?? "");
      break;
    case "node":
      parts.push(event.name);
      break;
    case "error":
      parts.push(event.name, event.message);
      break;
  }
  return parts.join("\n").toLowerCase();
}

/** What the screen says for a value the trajectory did not record (never `0ms`, `0 tokens` or "no changes"). */
export const NOT_RECORDED = "not recorded";

/** A duration as `123ms`, or "time not recorded". */
export function durationText(ms: number | null): string {
  return ms === null ? `time ${NOT_RECORDED}` : `${Math.round(ms)}ms`;
}

/** Token count as `1234 tokens` (marked when estimated), or "tokens not recorded". */
export function tokensText(usage: Pick<TokenUsage, "source" | "totalTokens">): string {
  if (usage.totalTokens === null) return `tokens ${NOT_RECORDED}`;
  return `${usage.totalTokens} tokens${usage.source === "estimated" ? " (estimated)" : ""}`;
}

/** PASS, FAIL, or "outcome not recorded". */
export function outcomeText(outcome: Outcome | null): string {
  return outcome === null ? `outcome ${NOT_RECORDED}` : outcome.pass ? "PASS" : "FAIL";
}

/** A model name on one line, or "model not recorded". */
export function modelText(model: string | null): string {
  return model === null ? `model ${NOT_RECORDED}` : oneLine(model);
}

/** Short verdict words, for panes too narrow for the full ones. */
const SHORT_TITLES: Readonly<Record<StepVerdict, string>> = {
  correct: "ok",
  skippable: "skip",
  wrong_tool: "tool",
  wrong_args: "args",
  harmful: "harm",
  other: "other",
  right_agent: "right",
  wrong_agent: "wrong",
  unnecessary_handoff: "unneeded",
  wrong: "wrong",
};

/** The verdict choices of a kind of step on one line, the chosen one in brackets, short words when the full ones do not fit. */
export function verdictChoices(kind: StepKind, chosen: StepVerdict | null, width: number): string {
  const line = (titles: Readonly<Record<StepVerdict, string>>): string =>
    STEP_VERDICTS_BY_KIND[kind]
      .map((verdict, index) => (verdict === chosen ? `[${index + 1} ${titles[verdict]}]` : `${index + 1} ${titles[verdict]}`))
      .join(" ");
  const full = line(STEP_VERDICT_TITLES);
  return displayWidth(full) <= width ? full : line(SHORT_TITLES);
}
