import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import type { ReactNode } from "react";
import { Command, commandsIn, CONTEXT_TITLES, describe, keysIn, matches, type KeyContext } from "../key-bindings.js";
import { fitToWidth } from "../text-layout.js";
import type { UiStore } from "../ui-store.js";
import { useTheme } from "../theme.js";

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  /** The context help was opened from: its keys are listed first. */
  readonly from: KeyContext;
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly store: UiStore;
}

const ORDER: readonly KeyContext[] = ["queue", "trajectory", "detail", "plan", "note", "pair", "filter", "search"];

/** Help lines, generated from the key table: the current context first, then every other. */
export function helpLines(from: KeyContext): { text: string; heading: boolean }[] {
  const lines: { text: string; heading: boolean }[] = [];
  for (const context of [from, ...ORDER.filter((c) => c !== from)]) {
    lines.push({ text: `${CONTEXT_TITLES[context]}${context === from ? " (here)" : ""}`, heading: true });
    for (const spec of commandsIn(context)) {
      const keys = keysIn(spec, context);
      lines.push({ text: `  ${keys.padEnd(14)} ${describe(spec, context)}`, heading: false });
    }
  }
  return lines;
}

/** Every key, from the one table that also drives the handlers. */
export function HelpOverlay({ from, scroll, width, height, active, store }: HelpOverlayProps): ReactNode {
  const theme = useTheme();
  const lines = helpLines(from);
  const rows = Math.max(1, height - 1);
  const max = Math.max(0, lines.length - rows);
  const top = Math.min(scroll, max);
  useKeyHandler(
    "help",
    (input, key) => {
      const by = matches(Command.Down, input, key)
        ? 1
        : matches(Command.Up, input, key)
          ? -1
          : matches(Command.PageDown, input, key)
            ? rows
            : matches(Command.PageUp, input, key)
              ? -rows
              : 0;
      const overlay = store.getState().overlay;
      const now = overlay?.kind === "help" ? Math.min(overlay.scroll, max) : top;
      if (by !== 0)
        store.dispatch({ type: "overlay/update", overlay: { kind: "help", from, scroll: Math.max(0, Math.min(max, now + by)) } });
      else if (matches(Command.Back, input, key) || matches(Command.Help, input, key)) store.dispatch({ type: "overlay/close" });
      else return false;
      return true;
    },
    { active },
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">
        {fitToWidth(
          `Keys${lines.length > rows ? ` ${top + 1}-${Math.min(lines.length, top + rows)}/${lines.length} (j/k scroll)` : ""} · ? or Esc closes`,
          width,
        )}
      </Text>
      {lines.slice(top, top + rows).map((line, index) => (
        <Text key={top + index} bold={line.heading} color={line.heading ? theme.text.title : theme.text.primary} wrap="truncate-end">
          {fitToWidth(line.text, width)}
        </Text>
      ))}
    </Box>
  );
}
