import { jsonForTerminal, sanitizeForDisplay } from "../harness/core.js";

/**
 * What commands print. Everything goes through the one sanitizer
 * (`harness/util/sanitize.ts`) on its way out, so text a trajectory, a
 * scenario or a file held (ids, titles, model names, tool failures, parse
 * errors quoting bytes) never reaches a terminal raw, whatever the command
 * forgot to clean: escape sequences show as `␛[...`, controls as their
 * pictures. JSON keeps its strings exact, with the risky characters escaped.
 */

/** Prints text on stdout (line breaks kept). */
export function printText(text: string): void {
  process.stdout.write(sanitizeForDisplay(text, { multiline: true }));
}

/** Prints a value as JSON on stdout, with C1, bidi and invisible characters as `\u` escapes. */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonForTerminal(value)}\n`);
}

/** Prints a line on stderr (a warning, a note): one line, whatever it quotes. */
export function printNote(text: string): void {
  process.stderr.write(`${sanitizeForDisplay(text)}\n`);
}
