/**
 * Text on one line for a reason or a comment: runs of whitespace (newlines
 * included) become one space, and text longer than `max` characters is cut,
 * ending in "...".
 */
export function oneLineClip(text: string, max = 120): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
