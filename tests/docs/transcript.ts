/**
 * Commands and their documented output, and how output is compared with what
 * a command printed.
 *
 * A `text` block that starts with `$ ` is a transcript: each `$ ` line is a
 * command, the lines up to the next one its output (stdout and stderr as a
 * terminal shows them). A line `...` stands for any number of lines; without
 * one, the documented lines are the output from its first line to its last.
 * Parts that differ from run to run are compared by shape (see `normalise`).
 */

/** A command of a block, with the lines its documented output shows (empty for `sh` blocks). */
export interface Command {
  /** The command as the reader types it (continuation lines joined). */
  readonly text: string;
  /** Offset of its first line within the block, 0-based. */
  readonly offset: number;
  /** Documented output lines (transcripts only). */
  readonly output: readonly string[];
}

/** Joins a line ending in `\` with the next, as the shell does. */
function joinContinuations(lines: readonly string[], from: number): { text: string; next: number } {
  let text = lines[from]!;
  let next = from + 1;
  while (text.endsWith("\\") && next < lines.length) {
    text = `${text.slice(0, -1)}${lines[next]!.trimStart()}`;
    next += 1;
  }
  return { text, next };
}

/** A command that opens a here-document (`cat > x.json <<'EOF'`) takes the lines up to its delimiter. */
function withHereDocument(text: string, lines: readonly string[], next: number): { text: string; next: number } {
  const open = /<<(-?)\s*(['"]?)(\w+)\2/.exec(text);
  if (!open) return { text, next };
  const end = lines.findIndex((line, i) => i >= next && (open[1] ? line.trim() : line) === open[3]);
  const last = end < 0 ? lines.length : end + 1;
  return { text: [text, ...lines.slice(next, last)].join("\n"), next: last };
}

/** The commands of a `sh` block: every line but blank and comment-only ones. */
export function shellCommands(lines: readonly string[]): Command[] {
  const commands: Command[] = [];
  for (let i = 0; i < lines.length;) {
    const trimmed = lines[i]!.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i += 1;
      continue;
    }
    const { text, next } = joinContinuations(lines, i);
    const { text: whole, next: after } = withHereDocument(text, lines, next);
    commands.push({ text: whole.trim(), offset: i, output: [] });
    i = after;
  }
  return commands;
}

/** Whether a `text` block is a transcript (its first non-blank line is a `$ ` command). */
export const isTranscript = (lines: readonly string[]): boolean => lines.find((line) => line.trim() !== "")?.startsWith("$ ") ?? false;

/** The commands of a transcript, each with its documented output. */
export function transcriptCommands(lines: readonly string[]): Command[] {
  const commands: Command[] = [];
  let i = lines.findIndex((line) => line.startsWith("$ "));
  while (i >= 0 && i < lines.length) {
    const { text, next } = joinContinuations(lines, i);
    let end = next;
    while (end < lines.length && !lines[end]!.startsWith("$ ")) end += 1;
    const output = lines.slice(next, end);
    while (output.length > 0 && output.at(-1)!.trim() === "") output.pop();
    commands.push({ text: text.slice(2).trim(), offset: i, output });
    i = end;
  }
  return commands;
}

/**
 * What varies between runs, replaced by its kind on both sides before lines
 * are compared: run ids, trajectory and replay ids (they hash the run id),
 * times of day and timestamps, and durations (with a sign, as a change). Runs of spaces count as one, so
 * a column widened by a longer duration still matches.
 */
const VARYING: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b\d{4}-\d{2}-\d{2}T\d{2}[:-]\d{2}[:-]\d{2}(?:[.-]\d+)?Z/g, "<timestamp>"],
  [/\b\d{8}-\d{6}-[0-9a-f]{4}\b/g, "<run-id>"],
  [/\b(tr|rp)-[0-9a-f]{12}\b/g, "<$1-id>"],
  [/\b\d{1,2}:\d{2}:\d{2}\b/g, "<clock>"],
  // A change of duration carries its sign, which varies with the machine's load like the duration.
  [/[+-]?\b\d+(?:\.\d+)?(?:ms|s)\b|[+-]?\b\d+m\d+s\b|[+-]?\b\d+h\d+m\b/g, "<duration>"],
];

/** A line as it is compared: varying parts replaced, spacing collapsed. */
export function normalise(line: string): string {
  let text = line;
  for (const [pattern, kind] of VARYING) text = text.replace(pattern, kind);
  return text.replace(/\s+/g, " ").trim();
}

/** The line that stands for any number of output lines. */
const ELISION = "...";

/**
 * Compares documented output with actual output. Returns undefined when they
 * agree, else what differs, naming the documented line.
 */
export function compareOutput(documented: readonly string[], actual: readonly string[]): string | undefined {
  const got = actual.map(normalise);
  while (got.length > 0 && got.at(-1) === "") got.pop();
  // Segments of documented lines between elisions, each with its index in `documented`.
  const segments: Array<Array<{ index: number; line: string }>> = [[]];
  documented.forEach((line, index) => {
    if (line.trim() === ELISION) segments.push([]);
    else segments.at(-1)!.push({ index, line: normalise(line) });
  });
  const openStart = documented[0]?.trim() === ELISION;
  const openEnd = documented.at(-1)?.trim() === ELISION;
  const matchesAt = (segment: Array<{ line: string }>, at: number): boolean =>
    at + segment.length <= got.length && segment.every((expected, k) => got[at + k] === expected.line);
  let position = 0;
  for (const [s, segment] of segments.entries()) {
    if (segment.length === 0) continue;
    const first = s === 0 && !openStart;
    const last = s === segments.length - 1 && !openEnd;
    if (first) {
      if (!matchesAt(segment, 0)) return mismatch(segment, got, 0, "at the start of the output");
      position = segment.length;
      if (last && position !== got.length) return `the output goes on after the last documented line:\n${excerpt(got, position)}`;
      continue;
    }
    if (last) {
      const at = got.length - segment.length;
      if (at < position || !matchesAt(segment, at)) return mismatch(segment, got, position, "at the end of the output");
      position = got.length;
      continue;
    }
    let at = position;
    while (at < got.length && !matchesAt(segment, at)) at += 1;
    if (at >= got.length) return mismatch(segment, got, position, `after output line ${position}`);
    position = at + segment.length;
  }
  if (segments.every((segment) => segment.length === 0) && !openStart && got.length > 0)
    return `the doc shows no output, but the command printed:\n${excerpt(got, 0)}`;
  return undefined;
}

/** Says which documented line of a segment failed to match, and what the output holds there. */
function mismatch(segment: Array<{ index: number; line: string }>, got: string[], from: number, where: string): string {
  const best = segment[0]!;
  const near = got.findIndex((line, i) => i >= from && line === best.line);
  const documented = segment.map((entry) => `  ${entry.line}`).join("\n");
  const found = near >= 0 ? `its first line is at output line ${near + 1}, but the next lines differ` : "its first line is nowhere";
  return `documented output line ${best.index + 1} does not match ${where} (${found}).\ndocumented (normalised):\n${documented}\nactual (normalised):\n${excerpt(got, Math.max(0, near >= 0 ? near : from))}`;
}

function excerpt(lines: string[], from: number): string {
  const shown = lines.slice(from, from + 25).map((line, i) => `${String(from + i + 1).padStart(4)}| ${line}`);
  return `${shown.join("\n")}${lines.length > from + 25 ? `\n    | ... (${lines.length - from - 25} more)` : ""}`;
}
