import {
  applies,
  displayJson,
  sanitizeForDisplay,
  type Conversation,
  type GradableTrajectory,
  type Grade,
  type StateChange,
} from "../../harness/core.js";
import type { TrajectoryReview } from "../ledger.js";
import { alignPlan, planDiffCounts } from "../plan-diff.js";
import { STEP_VERDICT_TITLES, StepVerdictSchema } from "../record.js";
import { suggestionState, type GraderSuggestion, type StepSuggestion } from "../suggestions.js";
import type { TimelineStep } from "../timeline.js";
import { isFailure, toolCallsOf } from "../timeline.js";
import {
  argsInline,
  durationText,
  FAILED_MARK,
  FLAG_MARK,
  kindTag,
  modelText,
  oneLine,
  outcomeText,
  tokensText,
  VERDICT_MARKS,
  verdictChoices,
} from "./step-format.js";
import { tableLines, tableOf } from "./json-table.js";
export { taskLines } from "./task-lines.js";
import { displayWidth, fitToWidth, truncateToWidth, wrapToWidth } from "./text-layout.js";

/**
 * The lines of the trajectory screen's pane, built as plain data (wrapped to
 * the pane's width, every trajectory string sanitized) so that only the
 * visible ones are rendered and so they can be tested without Ink.
 */

/** Semantic tone of a line; the component maps it to a theme colour. */
export type LineTone = "title" | "label" | "text" | "dim" | "success" | "error" | "warning" | "accent";

/** One rendered line. */
export interface PaneLine {
  readonly text: string;
  readonly tone: LineTone;
  /** A table line wider than the pane: not wrapped, scrolled sideways instead. */
  readonly wide?: boolean;
}

/** How the step detail shows results. */
export interface DetailOptions {
  /** Show every result as its full JSON, never as a table. */
  readonly raw?: boolean;
}

/** True when a failed call's result text is only its error message (so it is shown once). */
function isErrorText(resultText: string, message: string): boolean {
  const text = resultText.trim();
  return text === "" || text === message.trim();
}

/**
 * A result: a list of records as a table (one row per record, scrolled
 * sideways), anything else as pretty-printed JSON; `raw` shows the JSON always.
 */
function resultLines(lines: PaneLine[], value: unknown, width: number, options: DetailOptions): void {
  const table = options.raw ? null : tableOf(value);
  if (!table) {
    push(lines, displayJson(value), "text", width);
    return;
  }
  const rows = tableLines(table);
  const wide = rows.some((row) => displayWidth(row) > width);
  push(
    lines,
    `${table.rows.length} row${table.rows.length === 1 ? "" : "s"} × ${table.columns.length} column${table.columns.length === 1 ? "" : "s"} · t: the full JSON${wide ? " · ←/→: sideways" : ""}`,
    "dim",
    width,
  );
  rows.forEach((row, index) => lines.push({ text: row, tone: index < 2 ? "label" : "text", wide: true }));
}

/** Messages longer than this many lines start collapsed. */
export const COLLAPSED_LINES = 8;

/** Appends `text` wrapped to `width`, each line in `tone`. */
export function push(lines: PaneLine[], text: string, tone: LineTone, width: number): void {
  for (const line of wrapToWidth(text, width)) lines.push({ text: line, tone });
}

/** Appends a section rule: `── title ───`. */
export function section(lines: PaneLine[], title: string, width: number): void {
  lines.push({ text: rule(title, width), tone: "label" });
}

/** `── title ─────` filling exactly `width` columns. */
export function rule(title: string, width: number): string {
  const head = truncateToWidth(`── ${title} `, width);
  return head + "─".repeat(Math.max(0, width - displayWidth(head)));
}

function collapsible(lines: PaneLine[], text: string, width: number, expanded: boolean): void {
  const wrapped = wrapToWidth(sanitizeForDisplay(text, { multiline: true }), width);
  if (expanded || wrapped.length <= COLLAPSED_LINES + 2) {
    for (const line of wrapped) lines.push({ text: line, tone: "text" });
    if (wrapped.length > COLLAPSED_LINES + 2) lines.push({ text: "(Space collapses)", tone: "dim" });
    return;
  }
  for (const line of wrapped.slice(0, COLLAPSED_LINES)) lines.push({ text: line, tone: "text" });
  lines.push({ text: `… ${wrapped.length - COLLAPSED_LINES} more lines (Space expands)`, tone: "accent" });
}

/** The detail of one step: what happened, graders' suggestions, and the reviewer's verdict. */
export function detailLines(
  step: TimelineStep,
  review: TrajectoryReview,
  width: number,
  expanded: boolean,
  options: DetailOptions = {},
): PaneLine[] {
  const { event } = step;
  const lines: PaneLine[] = [];
  const head = [`${event.id}`, kindTag(event), oneLine(event.agent), durationText(event.durationMs)];
  // The reviewer's verdict and the graders' suggestions come first: they are what the reviewer acts on.
  const judgement = (): void => {
    if (step.kind) {
      const record = review.steps.get(event.id);
      const verdict = StepVerdictSchema.safeParse(record?.verdict);
      if (verdict.success)
        push(lines, `your verdict: ${VERDICT_MARKS[verdict.data]} ${STEP_VERDICT_TITLES[verdict.data]}`, "success", width);
      else {
        const lead = step.gradable ? "no verdict yet: " : "judge it if you like: ";
        push(lines, `${lead}${verdictChoices(step.kind, null, width - displayWidth(lead))}`, "dim", width);
      }
      if (record?.note) push(lines, `  reason: ${sanitizeForDisplay(record.note, { multiline: true })}`, "text", width);
      if (record?.shouldHaveCalled)
        push(lines, `  should have called: ${sanitizeForDisplay(record.shouldHaveCalled, { multiline: true })}`, "text", width);
    }
    if (step.suggestion) suggestionLines(lines, step.suggestion, review, width);
  };
  switch (event.kind) {
    case "tool_call":
      head.splice(2, 0, oneLine(event.name), event.effect, event.status);
      push(lines, head.join(" · "), "title", width);
      judgement();
      section(lines, "arguments", width);
      push(lines, displayJson(event.args), "text", width);
      if (event.error) {
        section(lines, `error (${event.error.kind})`, width);
        push(lines, sanitizeForDisplay(event.error.message, { multiline: true }), "error", width);
      }
      // A failed call's result is its error: shown once, above.
      if (!(event.error && (event.result === null || event.result === undefined) && isErrorText(event.resultText, event.error.message))) {
        section(lines, "result", width);
        resultLines(lines, event.result === null || event.result === undefined ? event.resultText : event.result, width, options);
      }
      break;
    case "llm_call":
      head.splice(2, 0, modelText(event.model), tokensText(event.usage));
      push(lines, head.join(" · "), "title", width);
      if (step.suggestion) judgement();
      if (event.error) push(lines, `error: ${sanitizeForDisplay(event.error, { multiline: true })}`, "error", width);
      section(lines, "output", width);
      collapsible(lines, event.output.content || "(no text)", width, expanded);
      for (const call of event.output.toolCalls) push(lines, `→ ${oneLine(call.name)}(${argsInline(call.args)})`, "accent", width);
      // A model's message is judged when there is something to say: its verdict comes after what it said.
      if (!step.suggestion) judgement();
      break;
    case "message":
      push(lines, head.join(" · "), "title", width);
      if (step.suggestion) judgement();
      collapsible(lines, event.content || "(empty)", width, expanded);
      if (!step.suggestion) judgement();
      break;
    case "handoff":
      push(lines, head.join(" · "), "title", width);
      judgement();
      push(
        lines,
        `${oneLine(event.from)} → ${oneLine(event.to)} (${event.via}${event.toolName ? `: ${oneLine(event.toolName)}` : ""})`,
        "text",
        width,
      );
      if (Object.keys(event.args).length > 0) push(lines, displayJson(event.args), "text", width);
      break;
    case "node":
      push(lines, head.join(" · "), "title", width);
      break;
    case "error":
      push(lines, head.join(" · "), "title", width);
      push(lines, `${oneLine(event.name)}: ${sanitizeForDisplay(event.message, { multiline: true })}`, "error", width);
      break;
  }
  return lines;
}

/**
 * A step's suggestion: what accepting gives and whether it is decided, then
 * each grader's label and reason (the dissenting ones marked ≠).
 */
function suggestionLines(lines: PaneLine[], suggestion: StepSuggestion, review: TrajectoryReview, width: number): void {
  const state = suggestionState(suggestion, review);
  const mark = suggestion.flagged ? (state === "open" ? FLAG_MARK.open : FLAG_MARK.decided) : FLAG_MARK.note;
  const what = suggestion.definite
    ? `${STEP_VERDICT_TITLES[suggestion.verdict]}${suggestion.candidate ? " (candidate)" : ""}`
    : `a look (accepting gives "${STEP_VERDICT_TITLES.other}")`;
  const decided = state === "open" ? "[a accept · x reject · m modify]" : `[${state}]`;
  push(lines, `${mark} graders suggest ${what} ${decided}`, state === "open" ? "warning" : "dim", width);
  const labelLine = (label: GraderSuggestion, prefix: string): void => {
    // Related events the reason does not name already.
    const named = new Set(label.reason.split(/[^\w-]+/));
    const related = (label.related ?? []).filter((id) => !named.has(id));
    const see = related.length > 0 ? ` (related: ${related.map(oneLine).join(", ")})` : "";
    push(
      lines,
      `${prefix}${oneLine(label.grader)} · ${oneLine(label.label)}${label.certainty === "candidate" ? " (candidate)" : ""}: ${oneLine(label.reason)}${see}`,
      state === "open" ? "text" : "dim",
      width,
    );
  };
  for (const source of suggestion.sources) labelLine(source, "  ");
  for (const other of suggestion.dissent) labelLine(other, "  ≠ ");
}

/** The reference plan beside the calls made, with missing and extra calls marked. */
export function planLines(trajectory: GradableTrajectory, width: number): PaneLine[] {
  const lines: PaneLine[] = [];
  if (!trajectory.reference) {
    push(lines, "This trajectory carries no reference plan.", "dim", width);
    return lines;
  }
  const rows = alignPlan(trajectory.reference.calls, toolCallsOf(trajectory));
  const counts = planDiffCounts(rows);
  push(
    lines,
    `reference plan vs actual calls · ${counts.same} same · ${counts.args} other args · ${counts.extra} extra · ${counts.missing} missing`,
    "title",
    width,
  );
  const half = Math.max(8, Math.floor((width - 3) / 2));
  lines.push({ text: fitToWidth(`${fitToWidth("reference", half)}   actual`, width), tone: "label" });
  for (const row of rows) {
    const left = "reference" in row ? `${row.reference.number}. ${oneLine(row.reference.name)}(${argsInline(row.reference.args)})` : "";
    const right = "actual" in row ? `${row.actual.id} ${oneLine(row.actual.name)}(${argsInline(row.actual.args)})` : "";
    const mark = { same: "=", args: "≠", extra: "+", missing: "-" }[row.kind];
    const note = { same: "", args: " other args", extra: " extra", missing: " missing" }[row.kind];
    const tone: LineTone = { same: "text", args: "warning", extra: "warning", missing: "error" }[row.kind] as LineTone;
    const rightWidth = Math.max(4, width - half - 3);
    const rightText = right ? truncateToWidth(right, Math.max(1, rightWidth - displayWidth(note))) + note : note.trim();
    lines.push({ text: fitToWidth(`${fitToWidth(left, half)} ${mark} ${rightText}`, width), tone });
  }
  if (trajectory.reference.answer) {
    section(lines, "reference answer", width);
    push(lines, sanitizeForDisplay(trajectory.reference.answer, { multiline: true }), "text", width);
  }
  return lines;
}

/** Outcome, checks, the graders' grades (those that did not apply say why), final answer and the state diff. */
export function outcomeLines(trajectory: GradableTrajectory, width: number, grades: readonly Grade[] = []): PaneLine[] {
  const lines: PaneLine[] = [];
  const { outcome, termination, environment } = trajectory;
  const ended = `${termination.reason}${termination.message ? `: ${oneLine(termination.message)}` : ""}`;
  push(
    lines,
    outcome === null
      ? `${outcomeText(outcome)} · ${ended}`
      : `outcome ${outcomeText(outcome)} · score ${outcome.score.toFixed(2)} · ${ended}`,
    outcome === null ? "dim" : outcome.pass ? "success" : "error",
    width,
  );
  for (const check of outcome?.checks ?? [])
    push(lines, `${check.pass ? "✓" : "✗"} ${oneLine(check.name)}: ${oneLine(check.message)}`, check.pass ? "text" : "error", width);
  if (trajectory.conversation) push(lines, conversationLine(trajectory.conversation), "dim", width);
  if (grades.length > 0) {
    section(lines, "graders", width);
    for (const grade of grades) {
      if (!applies(grade)) push(lines, `– ${oneLine(grade.grader)}: not applicable: ${oneLine(grade.comment)}`, "dim", width);
      else
        push(
          lines,
          `${grade.pass ? "✓" : "✗"} ${oneLine(grade.grader)} ${grade.score.toFixed(2)}: ${oneLine(grade.comment)}`,
          grade.pass ? "text" : "error",
          width,
        );
    }
  }
  section(lines, "final answer", width);
  push(lines, trajectory.finalAnswer === null ? "(none)" : sanitizeForDisplay(trajectory.finalAnswer, { multiline: true }), "text", width);
  if (environment === null) {
    section(lines, "state diff", width);
    push(lines, "(state not recorded)", "dim", width);
    return lines;
  }
  section(lines, `state diff (${environment.diff.length} change${environment.diff.length === 1 ? "" : "s"})`, width);
  if (environment.diff.length === 0) push(lines, "(no changes)", "dim", width);
  for (const change of environment.diff)
    push(lines, changeLine(change), change.op === "remove" ? "error" : change.op === "add" ? "success" : "warning", width);
  return lines;
}

const CONVERSATION_END: Record<NonNullable<Conversation["endedBy"]>, string> = {
  no_question: "the agent's last message asked nothing",
  user_stop: "the user ended it",
  agent_stop: "the agent ended it",
  nothing_to_say: "the agent asked about nothing the user knows",
  max_turns: "the user's turn limit was reached",
  no_answer: "the agent stopped without a message",
};

function conversationLine({ userTurns, endedBy }: Conversation): string {
  const replies = `${userTurns} user repl${userTurns === 1 ? "y" : "ies"}`;
  return `conversation: ${replies}; ${endedBy ? `ended because ${CONVERSATION_END[endedBy]}` : "cut short by the run's end"}`;
}

function changeLine(change: StateChange): string {
  const value = (v: unknown): string => oneLine(JSON.stringify(v) ?? "undefined");
  switch (change.op) {
    case "add":
      return `+ ${oneLine(change.path)}: ${value(change.after)}`;
    case "remove":
      return `- ${oneLine(change.path)}: ${value(change.before)}`;
    case "change":
      return `~ ${oneLine(change.path)}: ${value(change.before)} → ${value(change.after)}`;
  }
}

/** One side of a pairwise comparison: its calls, final answer and outcome. */
export function pairSideLines(trajectory: GradableTrajectory, width: number, flagged: ReadonlySet<string> = new Set()): PaneLine[] {
  const lines: PaneLine[] = [];
  const calls = toolCallsOf(trajectory);
  push(
    lines,
    `${oneLine(trajectory.runId)} · ${modelText(trajectory.model)} · ${oneLine(trajectory.agent)} #${trajectory.trial}`,
    "title",
    width,
  );
  push(
    lines,
    `${outcomeText(trajectory.outcome)} · ${calls.length} calls · ${flagged.size > 0 ? `⚑${flagged.size} · ` : ""}${tokensText(trajectory.usage)} · ${durationText(trajectory.durationMs)} · ${trajectory.termination.reason}`,
    trajectory.outcome === null ? "dim" : trajectory.outcome.pass ? "success" : "error",
    width,
  );
  section(lines, "calls and handoffs", width);
  for (const event of trajectory.events) {
    if (event.kind !== "tool_call" && event.kind !== "handoff") continue;
    // Failures and flags are marked at the start of the line, so they show without colour too.
    const marks = `${isFailure(event) ? FAILED_MARK : " "}${flagged.has(event.id) ? FLAG_MARK.open : " "}`;
    const what =
      event.kind === "tool_call"
        ? `${oneLine(event.name)}(${argsInline(event.args)})`
        : `→ ${oneLine(event.to)}${event.via === "return" ? " (returns)" : ""}`;
    lines.push({
      text: truncateToWidth(`${marks}${event.id} ${what}`, width),
      tone: isFailure(event) ? "error" : flagged.has(event.id) ? "warning" : "text",
    });
  }
  section(lines, "final answer", width);
  push(lines, trajectory.finalAnswer === null ? "(none)" : sanitizeForDisplay(trajectory.finalAnswer, { multiline: true }), "text", width);
  section(lines, "outcome checks", width);
  if (trajectory.outcome === null) push(lines, "(outcome not recorded)", "dim", width);
  for (const check of trajectory.outcome?.checks ?? [])
    push(lines, `${check.pass ? "✓" : "✗"} ${oneLine(check.name)}: ${oneLine(check.message)}`, check.pass ? "text" : "error", width);
  return lines;
}
