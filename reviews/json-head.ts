/**
 * Reading a few top-level fields of a large JSON object without parsing all
 * of it. A run's trajectories file can hold 100,000 lines of tens of kilobytes
 * each; the review queue needs only ids, labels and the outcome of each, which
 * the recorder writes at the start and the end of every line.
 *
 * The readers work on the file's bytes as they were read (UTF-8: every byte
 * JSON gives meaning to is ASCII, and no byte of a multi-byte character is),
 * so nothing is decoded but the values asked for. They step over the values
 * they do not want with a byte loop the JIT compiles well (no parsing, no
 * allocation), and compare keys as bytes. They return `undefined` /
 * `found: false` when they cannot be sure (a value runs past the bytes they
 * were given, or the text is not shaped as expected); callers then parse the
 * whole line. The string forms are for callers that hold text.
 */

/**
 * The `wanted` top-level fields at the start of a JSON object, read in order
 * until all are found or a value runs past the end of `text`. Other values are
 * stepped over without being parsed.
 */
export function readLeadingFields(text: string, wanted: ReadonlySet<string>): Map<string, unknown> | undefined {
  const bytes = Buffer.from(text, "utf8");
  return readLeadingFieldsOf(bytes, 0, bytes.length, wanted);
}

/**
 * The value of top-level `key` when it sits near the end of a JSON object:
 * `tail` is the last bytes of the object's text. A match is accepted only if
 * everything after its value closes the object it is in and nothing more,
 * which holds for a top-level key alone (after a nested key of the same name,
 * the nesting closes first), so one is never mistaken for the other.
 */
export function readTrailingField(tail: string, key: string): { found: boolean; value?: unknown } {
  const bytes = Buffer.from(tail, "utf8");
  return readTrailingFieldOf(bytes, 0, bytes.length, key);
}

/** {@link readLeadingFields} on the UTF-8 bytes `bytes[start, end)` of an object's text. */
export function readLeadingFieldsOf(
  bytes: Buffer,
  start: number,
  end: number,
  wanted: ReadonlySet<string>,
): Map<string, unknown> | undefined {
  const keys = fieldKeys(wanted);
  const values: unknown[] = [];
  const found = readLeadingValues(bytes, start, end, keys, values);
  if (found < 0) return undefined;
  const fields = new Map<string, unknown>();
  keys.names.forEach((key, at) => {
    if (values[at] !== undefined) fields.set(key, values[at]);
  });
  return fields;
}

/** Keys to look for, compiled once per set of names (callers pass the same few sets for every line). */
export interface FieldKeys {
  readonly names: readonly string[];
  readonly bytes: readonly Buffer[];
}

const compiledKeys = new WeakMap<ReadonlySet<string>, FieldKeys>();

/** The compiled form of `wanted`: its names, in the set's order, and their UTF-8 bytes. */
export function fieldKeys(wanted: ReadonlySet<string>): FieldKeys {
  let known = compiledKeys.get(wanted);
  if (!known) {
    const names = [...wanted];
    known = { names, bytes: names.map((name) => Buffer.from(name, "utf8")) };
    compiledKeys.set(wanted, known);
  }
  return known;
}

/**
 * The leading-fields reader without a map: puts the value of `keys.names[i]`
 * in `values[i]` (undefined when not found; JSON has no undefined) and returns
 * how many were found, or -1 when the bytes are not the start of an object.
 * An index calls this once per line with one reused array.
 */
export function readLeadingValues(bytes: Buffer, start: number, end: number, keys: FieldKeys, values: unknown[]): number {
  values.length = 0;
  for (let i = 0; i < keys.names.length; i += 1) values.push(undefined);
  let found = 0;
  let at = skipSpace(bytes, start, end);
  if (at >= end || bytes[at] !== OPEN_BRACE) return -1;
  at += 1;
  for (;;) {
    at = skipSpace(bytes, at, end);
    if (at >= end) return found;
    const first = bytes[at];
    if (first === CLOSE_BRACE) return found;
    if (first !== QUOTE) return found > 0 ? found : -1;
    const keyEnd = endOfString(bytes, at, end);
    if (keyEnd < 0) return found;
    const key = wantedKey(bytes, at, keyEnd, keys);
    at = skipSpace(bytes, keyEnd, end);
    if (at >= end) return found;
    if (bytes[at] !== COLON) return -1;
    at = skipSpace(bytes, at + 1, end);
    const valueEnd = endOfValue(bytes, at, end);
    if (valueEnd < 0) return found;
    if (key >= 0 && values[key] === undefined) {
      try {
        values[key] = valueAt(bytes, at, valueEnd);
      } catch {
        return -1;
      }
      found += 1;
      if (found === keys.names.length) return found;
    }
    at = skipSpace(bytes, valueEnd, end);
    if (at >= end) return found;
    const next = bytes[at];
    if (next === COMMA) at += 1;
    else if (next === CLOSE_BRACE) return found;
    else return -1;
  }
}

/** {@link readTrailingField} on the UTF-8 bytes `bytes[start, end)`, the last bytes of an object's text. */
export function readTrailingFieldOf(bytes: Buffer, start: number, end: number, key: string): { found: boolean; value?: unknown } {
  const needle = Buffer.from(`${JSON.stringify(key)}:`, "utf8");
  for (let at = bytes.lastIndexOf(needle, end - needle.length); at >= start; at = at > start ? bytes.lastIndexOf(needle, at - 1) : -1) {
    const valueStart = skipSpace(bytes, at + needle.length, end);
    const valueEnd = endOfValue(bytes, valueStart, end);
    if (valueEnd < 0 || !closesObjectAt(bytes, valueEnd, end)) continue;
    try {
      return { found: true, value: valueAt(bytes, valueStart, valueEnd) };
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

/** The index in `keys` of the key whose quotes are at `start` and `end - 1`, compared as bytes (decoded only when escaped); -1 if not wanted. */
function wantedKey(bytes: Buffer, start: number, end: number, keys: FieldKeys): number {
  const length = end - start - 2;
  for (let i = start + 1; i < end - 1; i += 1) {
    if (bytes[i] === BACKSLASH) return keys.names.indexOf(JSON.parse(bytes.toString("utf8", start, end)) as string);
  }
  for (let k = 0; k < keys.bytes.length; k += 1) {
    const name = keys.bytes[k]!;
    if (name.length !== length) continue;
    let same = true;
    for (let i = 0; i < length; i += 1) {
      if (name[i] !== bytes[start + 1 + i]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  return -1;
}

function isSpace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(bytes: Buffer, at: number, end: number): number {
  while (at < end && isSpace(bytes[at])) at += 1;
  return at;
}

/** The JSON value in `bytes[start, end)`: strings, numbers and literals are read directly, the rest parsed. */
function valueAt(bytes: Buffer, start: number, end: number): unknown {
  const first = bytes[start];
  if (first === QUOTE) return stringAt(bytes, start, end);
  if (first === OPEN_BRACKET && end === start + 2) return [];
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return JSON.parse(bytes.toString("utf8", start, end));
  const token = bytes.toString("latin1", start, end);
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "null") return null;
  const number = Number(token);
  if (token === "" || Number.isNaN(number)) throw new SyntaxError(`not a JSON value: ${token}`);
  return number;
}

/**
 * The string whose quotes are at `start` and `end - 1`, decoded from its
 * bytes into a string of its own (an index keeps these for every line, and
 * a slice of a larger string would keep that string alive).
 */
function stringAt(bytes: Buffer, start: number, end: number): string {
  for (let i = start + 1; i < end - 1; i += 1) {
    if (bytes[i] === BACKSLASH) return JSON.parse(bytes.toString("utf8", start, end)) as string;
  }
  return bytes.toString("utf8", start + 1, end - 1);
}

/** Index just past the string whose opening quote is at `at`, or -1 if it does not end before `end`. */
function endOfString(bytes: Buffer, at: number, end: number): number {
  for (let i = at + 1; i < end; i += 1) {
    const code = bytes[i];
    if (code === BACKSLASH) i += 1;
    else if (code === QUOTE) return i + 1;
  }
  return -1;
}

/** Index just past the JSON value starting at `at`, or -1 if it does not end before `end`. */
function endOfValue(bytes: Buffer, at: number, end: number): number {
  if (at >= end) return -1;
  const first = bytes[at];
  if (first === QUOTE) return endOfString(bytes, at, end);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return closingOf(bytes, at + 1, end, 1);
  for (let i = at; i < end; i += 1) {
    const code = bytes[i];
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) return i;
  }
  return -1;
}

/** Index just past the bracket that brings `depth` open brackets to zero, from `at` on; -1 if none does before `end`. */
function closingOf(bytes: Buffer, at: number, end: number, depth: number): number {
  for (let i = at; i < end; i += 1) {
    const code = bytes[i];
    if (code === QUOTE) {
      const after = endOfString(bytes, i, end);
      if (after < 0) return -1;
      i = after - 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
    else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/** True when the bytes from `at` close exactly one open object and then end (trailing whitespace aside). */
function closesObjectAt(bytes: Buffer, at: number, end: number): boolean {
  const closed = closingOf(bytes, at, end, 1);
  return closed >= 0 && skipSpace(bytes, closed, end) === end;
}
