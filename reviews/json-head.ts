/**
 * Reading a few top-level fields of a large JSON object without parsing all
 * of it. A run's trajectories file can hold 10,000 lines of tens of kilobytes
 * each; the review queue needs only ids, labels and the outcome of each, which
 * the recorder writes at the start and the end of every line.
 *
 * Both readers return `undefined` when they cannot be sure (a value runs past
 * the bytes they were given, or the text is not shaped as expected); callers
 * then parse the whole line.
 */

/**
 * The `wanted` top-level fields at the start of a JSON object, read in order
 * until all are found or a value runs past the end of `text`. Other values are
 * stepped over without being parsed.
 */
export function readLeadingFields(text: string, wanted: ReadonlySet<string>): Map<string, unknown> | undefined {
  const fields = new Map<string, unknown>();
  let at = skipSpace(text, 0);
  if (text[at] !== "{") return undefined;
  at += 1;
  for (;;) {
    at = skipSpace(text, at);
    if (text[at] === "}") return fields;
    if (text[at] !== '"') return fields.size > 0 ? fields : undefined;
    const keyEnd = endOfValue(text, at);
    if (keyEnd < 0) return fields;
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipSpace(text, keyEnd);
    if (text[at] !== ":") return undefined;
    at = skipSpace(text, at + 1);
    const valueEnd = endOfValue(text, at);
    if (valueEnd < 0) return fields;
    if (wanted.has(key)) {
      try {
        fields.set(key, JSON.parse(text.slice(at, valueEnd)));
      } catch {
        return undefined;
      }
      if (fields.size === wanted.size) return fields;
    }
    at = skipSpace(text, valueEnd);
    if (text[at] === ",") at += 1;
    else if (text[at] === "}") return fields;
    else return undefined;
  }
}

/**
 * The value of top-level `key` when it sits near the end of a JSON object:
 * `tail` is the last bytes of the object's text. A match is accepted only if
 * it is a key (preceded by `{` or `,`) and everything after its value closes
 * the top-level object, so a nested key of the same name is never mistaken for it.
 */
export function readTrailingField(tail: string, key: string): { found: boolean; value?: unknown } {
  const needle = `${JSON.stringify(key)}:`;
  let from = tail.length;
  for (;;) {
    const at = tail.lastIndexOf(needle, from);
    if (at < 0) return { found: false };
    from = at - 1;
    const before = tail.slice(0, at).trimEnd().at(-1);
    if (before !== "," && before !== "{") continue;
    const valueStart = skipSpace(tail, at + needle.length);
    const valueEnd = endOfValue(tail, valueStart);
    if (valueEnd < 0) continue;
    if (!closesTopLevel(tail.slice(valueEnd))) continue;
    try {
      return { found: true, value: JSON.parse(tail.slice(valueStart, valueEnd)) };
    } catch {
      continue;
    }
  }
}

function closesTopLevel(rest: string): boolean {
  const trimmed = rest.trim();
  if (trimmed === "}") return true;
  if (!trimmed.startsWith(",")) return false;
  try {
    const parsed: unknown = JSON.parse(`{${trimmed.slice(1)}`);
    return typeof parsed === "object" && parsed !== null;
  } catch {
    return false;
  }
}

const SCALAR_ENDS = new Set([0x2c, 0x7d, 0x5d, 0x20, 0x0a, 0x0d, 0x09]);

function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === " " || text[at] === "\n" || text[at] === "\r" || text[at] === "\t")) at += 1;
  return at;
}

/** Index just past the JSON value starting at `at`, or -1 if it does not end within `text`. */
function endOfValue(text: string, at: number): number {
  const first = text[at];
  if (first === undefined) return -1;
  if (first === '"') return endOfString(text, at);
  if (first === "{" || first === "[") {
    let depth = 0;
    for (let i = at; i < text.length; i += 1) {
      const char = text.charCodeAt(i);
      if (char === 0x22) {
        const end = endOfString(text, i);
        if (end < 0) return -1;
        i = end - 1;
      } else if (char === 0x7b || char === 0x5b) {
        depth += 1;
      } else if (char === 0x7d || char === 0x5d) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  while (i < text.length && !SCALAR_ENDS.has(text.charCodeAt(i))) i += 1;
  return i < text.length ? i : -1;
}

function endOfString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char === 0x5c) i += 1;
    else if (char === 0x22) return i + 1;
  }
  return -1;
}
