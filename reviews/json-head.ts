/**
 * Reading a few top-level fields of a large JSON object without parsing all
 * of it. A run's trajectories file can hold 100,000 lines of tens of kilobytes
 * each; the review queue needs only ids, labels and the outcome of each, which
 * the recorder writes at the start and the end of every line.
 *
 * Both readers step over the values they do not want with a character loop
 * the JIT compiles well (no parsing, no allocation), and decode and parse only
 * the values asked for. They return `undefined` / `found: false` when they
 * cannot be sure (a value runs past the text they were given, or the text is
 * not shaped as expected); callers then parse the whole line.
 */

/**
 * The `wanted` top-level fields at the start of a JSON object, read in order
 * until all are found or a value runs past the end of `text`. Other values are
 * stepped over without being parsed.
 */
export function readLeadingFields(text: string, wanted: ReadonlySet<string>): Map<string, unknown> | undefined {
  const fields = new Map<string, unknown>();
  let at = skipSpace(text, 0);
  if (text.charCodeAt(at) !== OPEN_BRACE) return undefined;
  at += 1;
  for (;;) {
    at = skipSpace(text, at);
    const first = text.charCodeAt(at);
    if (first === CLOSE_BRACE) return fields;
    if (first !== QUOTE) return fields.size > 0 ? fields : undefined;
    const keyEnd = endOfString(text, at);
    if (keyEnd < 0) return fields;
    const key = keyAt(text, at, keyEnd);
    at = skipSpace(text, keyEnd);
    if (text.charCodeAt(at) !== COLON) return undefined;
    at = skipSpace(text, at + 1);
    const valueEnd = endOfValue(text, at);
    if (valueEnd < 0) return fields;
    if (wanted.has(key)) {
      try {
        fields.set(key, valueAt(text, at, valueEnd));
      } catch {
        return undefined;
      }
      if (fields.size === wanted.size) return fields;
    }
    at = skipSpace(text, valueEnd);
    const next = text.charCodeAt(at);
    if (next === COMMA) at += 1;
    else if (next === CLOSE_BRACE) return fields;
    else return undefined;
  }
}

/**
 * The value of top-level `key` when it sits near the end of a JSON object:
 * `tail` is the last bytes of the object's text. A match is accepted only if
 * everything after its value closes the object it is in and nothing more,
 * which holds for a top-level key alone (after a nested key of the same name,
 * the nesting closes first), so one is never mistaken for the other.
 */
export function readTrailingField(tail: string, key: string): { found: boolean; value?: unknown } {
  const needle = `${JSON.stringify(key)}:`;
  for (let at = tail.lastIndexOf(needle); at >= 0; at = at > 0 ? tail.lastIndexOf(needle, at - 1) : -1) {
    const valueStart = skipSpace(tail, at + needle.length);
    const valueEnd = endOfValue(tail, valueStart);
    if (valueEnd < 0 || !closesObjectAt(tail, valueEnd)) continue;
    try {
      return { found: true, value: valueAt(tail, valueStart, valueEnd) };
    } catch {
      continue;
    }
  }
  return { found: false };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, at: number): number {
  while (isSpace(text.charCodeAt(at))) at += 1;
  return at;
}

/** The JSON value in `text[start, end)`: strings without escapes, numbers and literals are read directly, the rest parsed. */
function valueAt(text: string, start: number, end: number): unknown {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringAt(text, start, end);
  const token = text.slice(start, end);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return JSON.parse(token);
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "null") return null;
  const number = Number(token);
  if (token === "" || Number.isNaN(number)) throw new SyntaxError(`not a JSON value: ${token}`);
  return number;
}

/** A key whose quotes are at `start` and `end - 1`: only compared, never kept, so a slice will do. */
function keyAt(text: string, start: number, end: number): string {
  const escape = text.indexOf("\\", start + 1);
  return escape < 0 || escape >= end ? text.slice(start + 1, end - 1) : (JSON.parse(text.slice(start, end)) as string);
}

/**
 * The string whose quotes are at `start` and `end - 1`, as a string of its
 * own: a slice would keep the whole text it was cut from alive (V8 makes long
 * slices views into their parent), and an index keeps these for every line.
 */
function stringAt(text: string, start: number, end: number): string {
  return JSON.parse(text.slice(start, end)) as string;
}

/** Index just past the string whose opening quote is at `at`, or -1 if it does not end within `text`. */
function endOfString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i += 1;
    else if (code === QUOTE) return i + 1;
  }
  return -1;
}

/** Index just past the JSON value starting at `at`, or -1 if it does not end within `text`. */
function endOfValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (Number.isNaN(first)) return -1;
  if (first === QUOTE) return endOfString(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return closingOf(text, at + 1, 1);
  for (let i = at; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) return i;
  }
  return -1;
}

/** Index just past the bracket that brings `depth` open brackets to zero, from `at` on; -1 if none does. */
function closingOf(text: string, at: number, depth: number): number {
  for (let i = at; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = endOfString(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
    else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/** True when the text from `at` closes exactly one open object and then ends (trailing whitespace aside). */
function closesObjectAt(text: string, at: number): boolean {
  const end = closingOf(text, at, 1);
  return end >= 0 && skipSpace(text, end) === text.length;
}
