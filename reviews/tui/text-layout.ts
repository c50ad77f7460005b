import stringWidth from "string-width";

/**
 * Width-aware text fitting for sanitized text: wide (CJK) and emoji
 * characters take two columns, combining marks none. Works on grapheme
 * clusters so nothing is cut in half.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
// Printable ASCII plus the one-column symbols the TUI itself draws: width is the length.
const NARROW_TEXT = /^[\x20-\x7E·…›○◐●⚑⚐✓✗─│⏎␛␦→≠★\u2400-\u2421]*$/;
const ELLIPSIS = "\u2026";

/** Columns a (sanitized) string takes in the terminal. */
export function displayWidth(text: string): number {
  return NARROW_TEXT.test(text) ? text.length : stringWidth(text);
}

/** Cuts text to at most `width` columns, ending with `…` when something was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 0) return "";
  if (displayWidth(text) <= width) return text;
  if (NARROW_TEXT.test(text)) return `${text.slice(0, width - 1)}${ELLIPSIS}`;
  let used = 0;
  let out = "";
  for (const { segment } of segmenter.segment(text)) {
    const columns = stringWidth(segment);
    if (used + columns > width - 1) break;
    out += segment;
    used += columns;
  }
  return `${out}${ELLIPSIS}`;
}

/** The text after its first `columns` columns (for lines scrolled sideways); a wide character cut in half becomes a space. */
export function dropColumns(text: string, columns: number): string {
  if (columns <= 0) return text;
  if (NARROW_TEXT.test(text)) return text.slice(columns);
  let used = 0;
  let index = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (used >= columns) break;
    used += stringWidth(segment);
    index += segment.length;
  }
  return `${used > columns ? " " : ""}${text.slice(index)}`;
}

/** Exactly `width` columns: cut with `…` or padded with spaces. */
export function fitToWidth(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + " ".repeat(Math.max(0, width - displayWidth(cut)));
}

/** Pads on the left to `width` columns (for numbers). */
export function padStartToWidth(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return " ".repeat(Math.max(0, width - displayWidth(cut))) + cut;
}

/**
 * Wraps multi-line text to `width` columns: at spaces where it can, inside
 * words (between graphemes) where it must. Leading indentation is kept on
 * continuation lines of JSON-like text so structure stays readable.
 */
export function wrapToWidth(text: string, width: number): string[] {
  const lines: string[] = [];
  const limit = Math.max(1, width);
  for (const paragraph of text.split("\n")) {
    if (displayWidth(paragraph) <= limit) {
      lines.push(paragraph);
      continue;
    }
    const indent = /^ */.exec(paragraph)![0].slice(0, Math.floor(limit / 2));
    const words = paragraph.slice(indent.length).split(/(?<= )/);
    let line = indent;
    let lineWidth = indent.length;
    for (const word of words) {
      const wordWidth = displayWidth(word);
      if (lineWidth + wordWidth <= limit) {
        line += word;
        lineWidth += wordWidth;
        continue;
      }
      if (lineWidth > indent.length) {
        lines.push(line.trimEnd());
        line = indent;
        lineWidth = indent.length;
      }
      if (lineWidth + wordWidth <= limit) {
        line += word;
        lineWidth += wordWidth;
        continue;
      }
      // A word longer than a line: break it between graphemes.
      for (const { segment } of segmenter.segment(word)) {
        const columns = stringWidth(segment);
        if (lineWidth + columns > limit && lineWidth > indent.length) {
          lines.push(line);
          line = indent;
          lineWidth = indent.length;
        }
        line += segment;
        lineWidth += columns;
      }
    }
    if (line.trim() !== "" || lines.length === 0) lines.push(line.trimEnd());
  }
  return lines;
}
