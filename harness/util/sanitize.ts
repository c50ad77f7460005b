/**
 * The one place untrusted text (from a model, a tool, a scenario or a file)
 * is made safe for the terminal: the review TUI and every command that
 * prints use it.
 *
 * Trajectories hold raw text, and Ink passes colour (SGR) and OSC sequences
 * (hyperlinks, clipboard writes) straight through to the terminal. Every
 * string from a trajectory goes through {@link sanitizeForDisplay} before it
 * reaches a `<Text>`:
 *
 * - ESC becomes a visible `␛`, so `ESC[31m` shows as `␛[31m` and an OSC 52
 *   clipboard write or an OSC 8 link shows as text instead of acting: a
 *   reviewer should see that a tool result tried it.
 * - Other C0 controls and DEL become their control pictures (`␇`, `␡`);
 *   C1 controls (0x80-0x9F) and bidi embeddings, overrides and isolates
 *   become `␦`.
 * - Zero-width and invisible characters (ZWSP, ZWJ, word joiner, BOM, soft
 *   hyphen, bidi marks, variation selectors, tag characters, Hangul fillers)
 *   and emoji skin-tone modifiers are removed, so what remains has the width
 *   string-width says it has in any terminal.
 * - Tabs become spaces; CR LF, lone CR and U+2028/2029 become LF; in a
 *   single-line context LF becomes ` ⏎ `.
 * - Lone surrogates become U+FFFD.
 */

const ESCAPE_PICTURE = "\u241B";
const SUBSTITUTE = "\u2426";
const TAB = "    ";

// Anything that is not plain printable text. Kept as one class so the common case is one test.
const UNSAFE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching these characters is the point
  /[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\uD800-\uDFFF]/;
const CHARACTER =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching these characters is the point
  /\r\n|[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

/** Options for {@link sanitizeForDisplay}. */
export interface SanitizeOptions {
  /** Keep line breaks (true) or show them as ` ⏎ ` on one line (false, the default). */
  readonly multiline?: boolean;
  /** Cut what remains to at most this many characters, ending in `...` (e.g. an error message on a status line). */
  readonly maxLength?: number;
}

/** Makes untrusted text safe and width-predictable for the terminal (see the module comment). */
export function sanitizeForDisplay(text: string, options: SanitizeOptions = {}): string {
  const newline = options.multiline ? "\n" : " \u23CE ";
  const safe = UNSAFE.test(text) ? text.replace(CHARACTER, (match) => replacement(match, newline)) : text;
  const max = options.maxLength;
  return max !== undefined && safe.length > max ? `${safe.slice(0, Math.max(0, max - 3))}...` : safe;
}

// What JSON.stringify leaves raw that a terminal may act on or hide: DEL, C1 controls, bidi
// controls, zero-width and invisible characters (C0 controls and lone surrogates it escapes itself).
const JSON_UNSAFE =
  // eslint-disable-next-line no-misleading-character-class -- matching these characters is the point
  /[\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

/**
 * `JSON.stringify` for output that may reach a terminal (`--json`): the same
 * JSON, with DEL, C1 controls, bidi controls and invisible characters written
 * as `\uXXXX` escapes, so a parser reads the same strings and a terminal
 * shows no raw control. (Outside strings JSON has only ASCII, so every such
 * character is inside a string, where an escape means the same.)
 */
export function jsonForTerminal(value: unknown, space: number | string = 2): string {
  const text = JSON.stringify(value, null, space) ?? "null";
  // One escape per UTF-16 code unit: an astral character becomes its surrogate pair.
  return text.replace(JSON_UNSAFE, (match) =>
    Array.from({ length: match.length }, (_, i) => `\\u${match.charCodeAt(i).toString(16).padStart(4, "0")}`).join(""),
  );
}

function replacement(match: string, newline: string): string {
  if (match.length === 2) {
    if (match === "\r\n") return newline;
    // A surrogate pair: keep it unless it is an invisible or modifier code point.
    const codePoint = match.codePointAt(0)!;
    if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return ""; // tag characters
    if (codePoint >= 0xe0100 && codePoint <= 0xe01ef) return ""; // variation selectors supplement
    if (codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) return ""; // emoji skin-tone modifiers
    return match;
  }
  const code = match.charCodeAt(0);
  if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029) return newline;
  if (code === 0x09) return TAB;
  if (code === 0x1b) return ESCAPE_PICTURE;
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  if (code >= 0x80 && code <= 0x9f) return SUBSTITUTE;
  // Bidi embeddings, overrides and isolates: visible, since they can disguise text.
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return SUBSTITUTE;
  if (code >= 0xd800 && code <= 0xdfff) return "\uFFFD";
  return "";
}

/**
 * Pretty-printed JSON of a value with every string in it sanitized, for
 * arguments and results. Strings that themselves hold JSON are shown parsed.
 */
export function displayJson(value: unknown): string {
  if (typeof value === "string") {
    const parsed = parseJsonText(value);
    if (parsed !== undefined) return displayJson(parsed);
    return sanitizeForDisplay(value, { multiline: true });
  }
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  // JSON.stringify escapes C0 controls already; sanitizing catches the rest (C1, bidi, zero-width).
  return sanitizeForDisplay(text, { multiline: true });
}

/** The JSON an object or array held in text stands for (tool results often arrive as JSON text), or undefined when it holds none. */
export function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
