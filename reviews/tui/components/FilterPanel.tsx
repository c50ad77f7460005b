import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { distinctValues, OPEN_FILTER, type FilterField, type QueueFilter } from "../../queue.js";
import type { TrajectoryEntry } from "../../trajectory-index.js";
import { Command, matches } from "../key-bindings.js";
import { useKeyHandler } from "../key-router.js";
import { draftOf, type Overlay } from "../state.js";
import { oneLine } from "../step-format.js";
import { editText } from "../text-edit.js";
import { fitToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";
import type { UiStore } from "../ui-store.js";
import { TextField } from "./TextField.js";

/** Props of {@link FilterPanel}. */
export interface FilterPanelProps {
  readonly filter: QueueFilter;
  readonly entries: readonly TrajectoryEntry[];
  readonly overlay: Extract<Overlay, { kind: "filter" }>;
  /** Several runs are reviewed together (the run filter is offered). */
  readonly severalRuns: boolean;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly store: UiStore;
  readonly onChange: (filter: QueueFilter) => void;
}

type Switch = "unreviewed" | "failed" | "flagged";
type Choice = "run" | "scenario" | "domain" | "agent" | "model";
type Row = Switch | Choice | "clear";
const SWITCHES: readonly Row[] = ["unreviewed", "failed", "flagged"];
const TITLES: Record<Row, string> = {
  unreviewed: "unreviewed only",
  failed: "failed outcome only",
  flagged: "flagged by graders only",
  run: "run",
  scenario: "scenario",
  domain: "domain",
  agent: "agent",
  model: "model",
  clear: "clear every filter",
};
const FIELDS: Record<Choice, FilterField> = { run: "runId", scenario: "scenarioId", domain: "domain", agent: "agent", model: "model" };

/** The rows of the panel: the run filter only when several runs are reviewed together. */
export function filterRows(severalRuns: boolean): Row[] {
  return [...SWITCHES, ...(severalRuns ? (["run"] as const) : []), "scenario", "domain", "agent", "model", "clear"];
}

function isSwitch(row: Row): row is Switch {
  return SWITCHES.includes(row);
}

/**
 * The value a typed text stands for: a scenario glob as typed (it has `*` or
 * `?`), else the first value that contains the text (case-insensitive), else
 * null (no match: the filter is left as it was).
 */
export function valueForText(row: Choice, text: string, values: readonly string[]): string | null {
  const typed = text.trim();
  if (typed === "") return null;
  if (row === "scenario" && /[*?]/.test(typed)) return typed;
  const lower = typed.toLowerCase();
  return values.find((value) => value.toLowerCase() === lower) ?? values.find((value) => value.toLowerCase().includes(lower)) ?? null;
}

/**
 * The queue's filters: switches, and values to step through both ways or to
 * type (Enter on a value row, type part of it, Enter again). Enter on
 * "clear" clears every filter.
 */
export function FilterPanel({
  filter,
  entries,
  overlay,
  severalRuns,
  width,
  height,
  active,
  store,
  onChange,
}: FilterPanelProps): ReactNode {
  const theme = useTheme();
  const rows = filterRows(severalRuns);
  const step = (filter: QueueFilter, row: Choice, by: 1 | -1): void => {
    const values = distinctValues(entries, FIELDS[row]);
    const current = filter[row];
    const at = current === null ? (by === 1 ? -1 : values.length) : values.indexOf(current);
    onChange({ ...filter, [row]: values[at + by] ?? null });
  };
  useKeyHandler(
    "filter",
    (input, key) => {
      // The overlay and the filter as they are now: several keys can arrive before the next render.
      const now = store.getState().overlay;
      const filter = store.getState().queue.filter;
      if (now?.kind !== "filter") return false;
      const row = rows[Math.min(now.cursor, rows.length - 1)]!;
      const update = (change: Partial<typeof now>): void => store.dispatch({ type: "overlay/update", overlay: { ...now, ...change } });
      if (now.editing) {
        if (matches(Command.Open, input, key) && row !== "clear" && !isSwitch(row)) {
          const value = valueForText(row, now.editing.value, distinctValues(entries, FIELDS[row]));
          if (value !== null) onChange({ ...filter, [row]: value });
          update({ editing: null });
        } else if (matches(Command.Back, input, key)) update({ editing: null });
        else {
          const next = editText(now.editing, input, key);
          if (!next) return false;
          update({ editing: next });
        }
        return true;
      }
      if (matches(Command.Down, input, key)) update({ cursor: Math.min(rows.length - 1, now.cursor + 1) });
      else if (matches(Command.Up, input, key)) update({ cursor: Math.max(0, now.cursor - 1) });
      else if (matches(Command.Back, input, key) || matches(Command.Filter, input, key)) store.dispatch({ type: "overlay/close" });
      else if (row === "clear") {
        if (!matches(Command.Open, input, key) && !matches(Command.Toggle, input, key)) return false;
        onChange(OPEN_FILTER);
        store.dispatch({ type: "overlay/close" });
      } else if (isSwitch(row)) {
        if (matches(Command.Open, input, key)) store.dispatch({ type: "overlay/close" });
        else if ([Command.Toggle, Command.NextValue, Command.PreviousValue].some((command) => matches(command, input, key)))
          onChange({ ...filter, [row]: !filter[row] });
        else return false;
      } else if (matches(Command.Toggle, input, key) || matches(Command.NextValue, input, key)) step(filter, row, 1);
      else if (matches(Command.PreviousValue, input, key)) step(filter, row, -1);
      else if (matches(Command.Open, input, key)) update({ editing: draftOf("") });
      else return false;
      return true;
    },
    { active },
  );
  const editingRow = overlay.editing ? rows[overlay.cursor] : undefined;
  const hint = overlay.editing
    ? "type part of a value (a scenario glob may use * and ?) · Enter sets it · Esc stops typing"
    : "Space/→ next value · ← previous · Enter on a value: type it · on clear: clears · Esc closes";
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">
        {fitToWidth(`Filters · ${hint}`, width)}
      </Text>
      {rows.map((row, index) => {
        const here = index === overlay.cursor;
        if (row === editingRow && overlay.editing && !isSwitch(row) && row !== "clear") {
          const match = valueForText(row, overlay.editing.value, distinctValues(entries, FIELDS[row]));
          const label = `› ${TITLES[row]}: `;
          return (
            <Box key={row} width={width}>
              <Text bold>{label}</Text>
              <TextField draft={overlay.editing} focused={active} width={Math.max(8, Math.floor(width / 2) - label.length)} />
              <Text dimColor wrap="truncate-end">
                {fitToWidth(
                  overlay.editing.value.trim() === "" ? "" : match === null ? "  no value matches" : `  → ${oneLine(match)}`,
                  Math.max(1, width - Math.floor(width / 2)),
                )}
              </Text>
            </Box>
          );
        }
        const value = isSwitch(row)
          ? `[${filter[row] ? "x" : " "}] ${TITLES[row]}`
          : row === "clear"
            ? TITLES[row]
            : `${TITLES[row]}: ${filter[row] === null ? "any" : oneLine(filter[row])}`;
        return (
          <Text key={row} inverse={here} color={theme.text.primary} wrap="truncate-end">
            {fitToWidth(`${here ? "›" : " "} ${value}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
