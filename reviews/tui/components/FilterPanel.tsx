import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import type { ReactNode } from "react";
import { distinctValues, OPEN_FILTER, type QueueFilter } from "../../queue.js";
import type { TrajectoryEntry } from "../../trajectory-index.js";
import { Command, matches } from "../key-bindings.js";
import { oneLine } from "../step-format.js";
import { fitToWidth } from "../text-layout.js";
import type { UiStore } from "../ui-store.js";
import { useTheme } from "../theme.js";

/** Props of {@link FilterPanel}. */
export interface FilterPanelProps {
  readonly filter: QueueFilter;
  readonly entries: readonly TrajectoryEntry[];
  readonly cursor: number;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly store: UiStore;
  readonly onChange: (filter: QueueFilter) => void;
}

type Choice = "scenario" | "domain" | "agent" | "model";
const ROWS = ["unreviewed", "failed", "flagged", "scenario", "domain", "agent", "model", "clear"] as const;
type Row = (typeof ROWS)[number];
const TITLES: Record<Row, string> = {
  unreviewed: "unreviewed only",
  failed: "failed outcome only",
  flagged: "flagged by graders only",
  scenario: "scenario",
  domain: "domain",
  agent: "agent",
  model: "model",
  clear: "clear every filter",
};
const FIELDS: Record<Choice, "scenarioId" | "domain" | "agent" | "model"> = {
  scenario: "scenarioId",
  domain: "domain",
  agent: "agent",
  model: "model",
};

/** The queue's filters: switches, and values to step through for the labels. */
export function FilterPanel({ filter, entries, cursor, width, height, active, store, onChange }: FilterPanelProps): ReactNode {
  const theme = useTheme();
  const change = (row: Row): void => {
    switch (row) {
      case "unreviewed":
      case "failed":
      case "flagged":
        return onChange({ ...filter, [row]: !filter[row] });
      case "clear":
        return onChange(OPEN_FILTER);
      default: {
        const values = distinctValues(entries, FIELDS[row]);
        const current = filter[row];
        const next = current === null ? values[0] : values[values.indexOf(current) + 1];
        return onChange({ ...filter, [row]: next ?? null });
      }
    }
  };
  useKeyHandler(
    "filter",
    (input, key) => {
      const overlay = store.getState().overlay;
      const now = overlay?.kind === "filter" ? overlay.cursor : cursor;
      if (matches(Command.Down, input, key))
        store.dispatch({ type: "overlay/update", overlay: { kind: "filter", cursor: Math.min(ROWS.length - 1, now + 1) } });
      else if (matches(Command.Up, input, key))
        store.dispatch({ type: "overlay/update", overlay: { kind: "filter", cursor: Math.max(0, now - 1) } });
      else if (matches(Command.Toggle, input, key)) change(ROWS[now]!);
      else if (matches(Command.Back, input, key) || matches(Command.Open, input, key)) store.dispatch({ type: "overlay/close" });
      else return false;
      return true;
    },
    { active },
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">
        {fitToWidth("Filters · Space switches or steps to the next value · Enter/Esc closes", width)}
      </Text>
      {ROWS.map((row, index) => {
        const value =
          row === "unreviewed" || row === "failed" || row === "flagged"
            ? `[${filter[row] ? "x" : " "}] ${TITLES[row]}`
            : row === "clear"
              ? TITLES[row]
              : `${TITLES[row]}: ${filter[row] === null ? "any" : oneLine(filter[row])}`;
        return (
          <Text key={row} inverse={index === cursor} color={theme.text.primary} wrap="truncate-end">
            {fitToWidth(`${index === cursor ? "›" : " "} ${value}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
