import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { rule, type LineTone, type PaneLine } from "../pane-lines.js";
import { dropColumns, fitToWidth } from "../text-layout.js";
import { useTheme, type Theme } from "../theme.js";

/** Props of {@link PaneView}. */
export interface PaneViewProps {
  readonly title: string;
  readonly lines: readonly PaneLine[];
  readonly scroll: number;
  readonly width: number;
  /** Rows including the title row. */
  readonly height: number;
  readonly focused: boolean;
  /** Columns the wide lines (tables) are scrolled sideways by. */
  readonly column?: number;
}

/** A titled, scrollable window over prepared lines; only the visible lines are rendered. */
export function PaneView({ title, lines, scroll, width, height, focused, column = 0 }: PaneViewProps): ReactNode {
  const theme = useTheme();
  const rows = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(scroll, lines.length - rows));
  const more = lines.length > rows ? ` ${top + 1}-${Math.min(lines.length, top + rows)}/${lines.length}` : "";
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse={focused} color={focused ? theme.ui.focusBorder : theme.ui.border} wrap="truncate-end">
        {rule(`${title}${more}`, width)}
      </Text>
      {lines.slice(top, top + rows).map((line, index) => (
        <Text
          key={top + index}
          color={toneColor(line.tone, theme)}
          bold={line.tone === "title"}
          dimColor={line.tone === "dim" || line.tone === "label"}
          wrap="truncate-end"
        >
          {fitToWidth(line.wide ? dropColumns(line.text, column) : line.text, width)}
        </Text>
      ))}
    </Box>
  );
}

/** The theme colour of a line tone. */
export function toneColor(tone: LineTone, theme: Theme): string | undefined {
  switch (tone) {
    case "title":
      return theme.text.title;
    case "label":
    case "dim":
      return theme.text.secondary;
    case "success":
      return theme.status.success;
    case "error":
      return theme.status.error;
    case "warning":
      return theme.status.warning;
    case "accent":
      return theme.text.accent;
    case "text":
      return theme.text.primary;
  }
}
