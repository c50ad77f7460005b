import { Box, Text } from "ink";
import { deferKey, useKeyHandler, type KeyDeferral } from "../key-router.js";
import { useMemo, useRef, type ReactNode } from "react";
import { filtersByGrades, GRADED_SORTS, nextUnreviewed, QUEUE_SORT_TITLES, type QueueFilter } from "../../queue.js";
import type { ReviewSession } from "../../session.js";
import type { TrajectoryEntry } from "../../trajectory-index.js";
import { Command, matches } from "../key-bindings.js";
import { COLUMN_TITLES, queueContent, queueWidths, type QueueColumn } from "../queue-columns.js";
import { FAILED_MARK, oneLine, STATUS_MARKS } from "../step-format.js";
import { visibleTop, type StatusMessage, type UiState } from "../state.js";
import { displayWidth, fitToWidth, padStartToWidth } from "../text-layout.js";
import type { UiStore } from "../ui-store.js";
import { useTheme } from "../theme.js";

/** Props of {@link QueueScreen}. */
export interface QueueScreenProps {
  readonly session: ReviewSession;
  readonly state: UiState;
  readonly store: UiStore;
  /** The filtered, sorted queue. */
  readonly queue: readonly TrajectoryEntry[];
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly onOpen: (entry: TrajectoryEntry, options?: { plan?: boolean }) => void;
  readonly onCompare: (entry: TrajectoryEntry | undefined) => void;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
}

/** Words for the active filters, e.g. "unreviewed · failed · model=policy:x". */
export function describeFilter(filter: QueueFilter): string {
  const parts: string[] = [];
  if (filter.unreviewed) parts.push("unreviewed");
  if (filter.failed) parts.push("failed");
  if (filter.flagged) parts.push("flagged");
  if (filter.scenario) parts.push(`scenario=${oneLine(filter.scenario)}`);
  if (filter.domain) parts.push(`domain=${oneLine(filter.domain)}`);
  if (filter.agent) parts.push(`agent=${oneLine(filter.agent)}`);
  if (filter.model) parts.push(`model=${oneLine(filter.model)}`);
  if (filter.run) parts.push(`run=${oneLine(filter.run)}`);
  if (filter.text) parts.push(`text "${oneLine(filter.text)}"`);
  return parts.length > 0 ? parts.join(" · ") : "none";
}

/** The list of trajectories to review, one line each, windowed to the screen. */
export function QueueScreen({
  session,
  state,
  store,
  queue,
  width,
  height,
  active,
  onOpen,
  onCompare,
  onUndo,
  onRedo,
}: QueueScreenProps): ReactNode {
  const theme = useTheme();
  const viewport = Math.max(1, height - 2);
  const { list, filter, sort } = state.queue;
  const move = (to: number | { by: number }): void => store.dispatch({ type: "queue/move", to, total: queue.length, viewport });
  const progress = session.progress;
  const waiting = useRef<StatusMessage | null>(null);
  /** A key (`what`, as the message names it) that needs the grades (`graded`) or every trajectory (`done`) waits for them while the review indexes, saying so. */
  const later = (stage: "graded" | "done", what: string): KeyDeferral | null => {
    const wait = session.waitFor(stage);
    if (!wait) return null;
    // Short: at 80 columns the status line shares its width with the indexing progress.
    const message = { text: `${what} waits for ${stage === "graded" ? "the grades" : "the whole index"}…`, tone: "info" } as const;
    waiting.current = message;
    store.dispatch({ type: "message/show", message });
    return deferKey(wait);
  };
  /** Does `action` now (clearing the word that it waited), or has the key wait (see `later`). */
  const when = (stage: "graded" | "done", what: string, action: () => void): KeyDeferral | true => {
    const wait = later(stage, what);
    if (wait) return wait;
    if (waiting.current && store.getState().message === waiting.current) store.dispatch({ type: "message/show", message: null });
    waiting.current = null;
    action();
    return true;
  };
  useKeyHandler(
    "queue",
    (input, key) => {
      // Read the state as it is now, not as it was at the last render.
      const now = store.getState();
      const cursor = now.queue.list.cursor;
      if (matches(Command.Down, input, key)) move({ by: 1 });
      else if (matches(Command.Up, input, key)) move({ by: -1 });
      else if (matches(Command.PageDown, input, key)) move({ by: viewport });
      else if (matches(Command.PageUp, input, key)) move({ by: -viewport });
      else if (matches(Command.First, input, key)) move(0);
      else if (matches(Command.Last, input, key)) move(queue.length - 1);
      else if (matches(Command.Open, input, key)) {
        const entry = queue[cursor];
        if (entry) return when("graded", "Enter", () => onOpen(entry));
      } else if (matches(Command.GradePlan, input, key)) {
        const entry = queue[cursor];
        if (entry) return when("graded", "p", () => onOpen(entry, { plan: true }));
      } else if (matches(Command.NextUnreviewed, input, key)) {
        const next = nextUnreviewed(queue, cursor, (entry) => session.status(entry.id));
        if (next >= 0) move(next);
        else
          return when("done", "all read so far are reviewed: n", () =>
            store.dispatch({ type: "message/show", message: { text: "every trajectory in this queue is reviewed", tone: "success" } }),
          );
      } else if (matches(Command.Filter, input, key))
        return when("done", "f", () => store.dispatch({ type: "overlay/open", overlay: { kind: "filter", cursor: 0, editing: null } }));
      else if (matches(Command.Sort, input, key)) store.dispatch({ type: "queue/sort", cursor: 0 });
      else if (matches(Command.Search, input, key))
        store.dispatch({
          type: "overlay/open",
          overlay: { kind: "search", scope: "queue", draft: { value: filter.text, caret: filter.text.length } },
        });
      else if (matches(Command.Compare, input, key)) return when("done", "c", () => onCompare(queue[cursor]));
      else if (matches(Command.Undo, input, key)) return when("graded", "u", onUndo);
      else if (matches(Command.Redo, input, key)) return when("graded", "U", onRedo);
      else return false;
      return true;
    },
    { active },
  );

  const top = visibleTop(list, queue.length, viewport);
  const visible = queue.slice(top, top + viewport);
  const content = useMemo(
    () => queueContent(session.entries, (entry) => session.source(entry), session.runIds.length),
    [session, session.entries],
  );
  const widths = queueWidths(content, width);
  const cells = (values: Partial<Record<QueueColumn, string>>, right: ReadonlySet<QueueColumn> = RIGHT_ALIGNED): string =>
    COLUMNS.filter((column) => widths[column] > 0)
      .map((column) => {
        const value = values[column] ?? "";
        // Run ids differ at their end (the time and a random tail): keep the end.
        const shown = column === "run" && displayWidth(value) > widths.run ? value.slice(-widths.run) : value;
        return right.has(column) ? padStartToWidth(shown, widths[column]) : fitToWidth(shown, widths[column]);
      })
      .join(" ");
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={theme.text.secondary} wrap="truncate-end">
        {fitToWidth(
          `filters: ${describeFilter(filter)} · sort: ${QUEUE_SORT_TITLES[sort]}${GRADED_SORTS.has(sort) && !progress.graded ? " (once the grades are read)" : ""} · showing ${queue.length} of ${session.entries.length}${progress.done ? "" : " so far"}`,
          width,
        )}
      </Text>
      <Text bold wrap="truncate-end">
        {fitToWidth(`    ${cells(COLUMN_TITLES, new Set(["calls"]))}`, width)}
      </Text>
      {queue.length === 0 ? (
        <Text color={theme.status.warning}>
          {fitToWidth(
            !progress.done
              ? `No trajectory matches the filters yet: still indexing${filtersByGrades(filter) && !progress.graded ? " (reading the grades they ask about)" : ""}…`
              : session.entries.length === 0
                ? "This run has no trajectories yet."
                : "No trajectory matches the filters (f to change them).",
            width,
          )}
        </Text>
      ) : (
        visible.map((entry, offset) => {
          const index = top + offset;
          const selected = index === list.cursor;
          const facts = session.facts(entry);
          const failures = session.failures(entry);
          const row = `${selected ? "›" : " "} ${STATUS_MARKS[facts.status]} ${cells({
            run: oneLine(entry.run.id),
            scenario: oneLine(entry.scenarioId),
            trial: `#${entry.trial}`,
            agent: oneLine(entry.agent),
            model: entry.model === null ? "–" : oneLine(entry.model),
            source: oneLine(session.source(entry)),
            // Until the grades are read, an outcome grader may still overrule the recorded outcome.
            outcome: !facts.graded ? "…" : facts.pass === null ? "–" : facts.pass ? "pass" : "FAIL",
            calls: String(entry.toolCalls),
            failed: failures ? `${FAILED_MARK}${failures}` : "",
            flags: !facts.graded ? "…" : facts.flagged > 0 ? `⚑${facts.flagged}` : "",
            task: oneLine(entry.task),
          })}`;
          return (
            <Text
              key={entry.id}
              inverse={selected}
              bold={selected}
              color={facts.graded && facts.pass === false ? theme.status.error : theme.text.primary}
              wrap="truncate-end"
            >
              {fitToWidth(row, width)}
            </Text>
          );
        })
      )}
    </Box>
  );
}

const COLUMNS: readonly QueueColumn[] = [
  "run",
  "scenario",
  "trial",
  "agent",
  "model",
  "source",
  "outcome",
  "calls",
  "failed",
  "flags",
  "task",
];
const RIGHT_ALIGNED: ReadonlySet<QueueColumn> = new Set(["calls"]);
