import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import type { ReactNode } from "react";
import { nextUnreviewed, QUEUE_SORT_TITLES, type QueueFilter } from "../../queue.js";
import type { ReviewSession } from "../../session.js";
import type { TrajectoryEntry } from "../../trajectory-index.js";
import { Command, matches } from "../key-bindings.js";
import { oneLine, STATUS_MARKS } from "../step-format.js";
import { visibleTop, type UiState } from "../state.js";
import { fitToWidth, padStartToWidth } from "../text-layout.js";
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
        if (entry) onOpen(entry);
      } else if (matches(Command.GradePlan, input, key)) {
        const entry = queue[cursor];
        if (entry) onOpen(entry, { plan: true });
      } else if (matches(Command.NextUnreviewed, input, key)) {
        const next = nextUnreviewed(queue, cursor, (entry) => session.status(entry.id));
        if (next < 0)
          store.dispatch({ type: "message/show", message: { text: "every trajectory in this queue is reviewed", tone: "success" } });
        else move(next);
      } else if (matches(Command.Filter, input, key)) store.dispatch({ type: "overlay/open", overlay: { kind: "filter", cursor: 0 } });
      else if (matches(Command.Sort, input, key)) store.dispatch({ type: "queue/sort", cursor: 0 });
      else if (matches(Command.Search, input, key))
        store.dispatch({
          type: "overlay/open",
          overlay: { kind: "search", scope: "queue", draft: { value: filter.text, caret: filter.text.length } },
        });
      else if (matches(Command.Compare, input, key)) onCompare(queue[cursor]);
      else if (matches(Command.Undo, input, key)) onUndo();
      else if (matches(Command.Redo, input, key)) onRedo();
      else return false;
      return true;
    },
    { active },
  );

  const top = visibleTop(list, queue.length, viewport);
  const visible = queue.slice(top, top + viewport);
  const runIds = session.runIds;
  // With several runs, each row says which it came from (the end of the run id, which is the distinct part).
  const runWidth = runIds.length > 1 ? Math.min(12, Math.max(...runIds.map((id) => id.length))) : 0;
  const agentWidth = 10;
  const modelWidth = Math.min(22, Math.max(10, Math.floor(width * 0.22)));
  const fixed = 2 + 2 + 1 + agentWidth + 1 + modelWidth + 1 + 4 + 1 + 8 + 1 + 3 + (runWidth > 0 ? runWidth + 1 : 0);
  const scenarioWidth = Math.max(8, width - fixed);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={theme.text.secondary} wrap="truncate-end">
        {fitToWidth(
          `filters: ${describeFilter(filter)} · sort: ${QUEUE_SORT_TITLES[sort]} · showing ${queue.length} of ${session.entries.length}`,
          width,
        )}
      </Text>
      <Text bold wrap="truncate-end">
        {fitToWidth(
          `    ${runWidth > 0 ? `${fitToWidth("run", runWidth)} ` : ""}${fitToWidth("scenario", scenarioWidth)} ${fitToWidth("agent", agentWidth)} ${fitToWidth("model", modelWidth)} ${fitToWidth("out", 4)} ${padStartToWidth("calls", 8)} ${"flg"}`,
          width,
        )}
      </Text>
      {queue.length === 0 ? (
        <Text color={theme.status.warning}>
          {fitToWidth(
            session.entries.length === 0 ? "This run has no trajectories yet." : "No trajectory matches the filters (f to change them).",
            width,
          )}
        </Text>
      ) : (
        visible.map((entry, offset) => {
          const index = top + offset;
          const selected = index === list.cursor;
          const facts = session.facts(entry);
          const row = [
            selected ? "›" : " ",
            " ",
            STATUS_MARKS[facts.status],
            " ",
            runWidth > 0 ? `${fitToWidth(oneLine(entry.run.id.slice(-runWidth)), runWidth)} ` : "",
            fitToWidth(oneLine(entry.scenarioId), scenarioWidth),
            " ",
            fitToWidth(oneLine(entry.agent), agentWidth),
            " ",
            fitToWidth(entry.model === null ? "–" : oneLine(entry.model), modelWidth),
            " ",
            fitToWidth(facts.pass === null ? "–" : facts.pass ? "pass" : "FAIL", 4),
            " ",
            padStartToWidth(`${entry.toolCalls} call${entry.toolCalls === 1 ? "" : "s"}`, 8),
            " ",
            fitToWidth(facts.flagged > 0 ? `⚑${facts.flagged}` : "", 3),
          ].join("");
          return (
            <Text
              key={entry.id}
              inverse={selected}
              bold={selected}
              color={facts.pass ? theme.text.primary : theme.status.error}
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
