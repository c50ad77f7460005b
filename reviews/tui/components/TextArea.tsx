import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { sanitizeForDisplay } from "../../../harness/core.js";
import type { TextDraft } from "../state.js";
import { displayWidth, truncateToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";

/** Props of {@link TextArea}. */
export interface TextAreaProps {
  readonly draft: TextDraft;
  readonly focused: boolean;
  readonly width: number;
  /** The most rows shown; the rows around the caret stay in view. */
  readonly rows: number;
  readonly placeholder?: string;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** One row of a wrapped draft: its characters (sanitized), and where the caret is on it (null: not on this row). */
export interface AreaRow {
  readonly chars: readonly string[];
  readonly caret: number | null;
}

/**
 * The rows of `draft` wrapped at `width` columns (line breaks kept; one
 * column is left for the caret at a line's end), and the row the caret is
 * on. Pure, so the wrapping is tested without Ink.
 */
export function areaRows(draft: TextDraft, width: number): { rows: AreaRow[]; caretRow: number } {
  const limit = Math.max(2, width) - 1;
  const built: { start: number; used: number; chars: string[]; offsets: number[] }[] = [];
  let row = { start: 0, used: 0, chars: [] as string[], offsets: [] as number[] };
  let offset = 0;
  for (const { segment } of segmenter.segment(draft.value)) {
    if (segment === "\n") {
      built.push(row);
      offset += segment.length;
      row = { start: offset, used: 0, chars: [], offsets: [] };
      continue;
    }
    const shown = sanitizeForDisplay(segment);
    const columns = displayWidth(shown);
    if (row.used + columns > limit && row.chars.length > 0) {
      built.push(row);
      row = { start: offset, used: 0, chars: [], offsets: [] };
    }
    row.chars.push(shown);
    row.offsets.push(offset);
    row.used += columns;
    offset += segment.length;
  }
  built.push(row);
  let caretRow = 0;
  built.forEach((candidate, index) => {
    if (candidate.start <= draft.caret) caretRow = index;
  });
  const rows = built.map((candidate, index): AreaRow => {
    if (index !== caretRow) return { chars: candidate.chars, caret: null };
    const at = candidate.offsets.findIndex((cell) => cell >= draft.caret);
    return { chars: candidate.chars, caret: at < 0 ? candidate.chars.length : at };
  });
  return { rows, caretRow };
}

/** A text field of several lines, wrapped to its width, the caret shown in inverse video; always `rows` rows tall. */
export function TextArea({ draft, focused, width, rows, placeholder }: TextAreaProps): ReactNode {
  const theme = useTheme();
  const height = Math.max(1, rows);
  if (draft.value === "" && !focused) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text dimColor>{truncateToWidth(placeholder ?? "", width)}</Text>
      </Box>
    );
  }
  const { rows: wrapped, caretRow } = areaRows(draft, width);
  const top = Math.max(0, Math.min(caretRow, wrapped.length - height));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {wrapped.slice(top, top + height).map((row, index) => (
        <Text key={top + index} color={theme.text.primary}>
          {focused && row.caret !== null ? (
            <>
              {row.chars.slice(0, row.caret).join("")}
              <Text inverse>{row.chars[row.caret] ?? " "}</Text>
              {row.chars.slice(row.caret + 1).join("")}
            </>
          ) : (
            row.chars.join("") || " "
          )}
        </Text>
      ))}
    </Box>
  );
}
