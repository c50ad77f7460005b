import { parseJsonText, sanitizeForDisplay } from "../../harness/core.js";
import { displayWidth, fitToWidth } from "./text-layout.js";

/**
 * Tool results that are lists of records (flights, orders, invoices) read
 * best as a table: one row per record, one column per key. Built as plain
 * lines wider than the pane, which scrolls them sideways.
 */

/** A list of records as columns and rows of cell text (sanitized, one line each). */
export interface JsonTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Widest a column gets; longer cells end with `…` (the full JSON is one key away). */
export const MAX_COLUMN_WIDTH = 28;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How deep nested objects are spread into columns of their own (`prices.economy`); deeper ones show as JSON. */
const NESTED_DEPTH = 2;

/**
 * A record's cells by column path: nested objects (not arrays) spread into
 * `key.subkey` columns, so a price or a seat count reads as a number of its
 * own instead of a cut-off JSON fragment.
 */
function flatten(record: Record<string, unknown>, into: Map<string, unknown>, prefix = "", depth = 0): Map<string, unknown> {
  for (const [key, value] of Object.entries(record)) {
    const path = `${prefix}${key}`;
    if (isRecord(value) && depth < NESTED_DEPTH && Object.keys(value).length > 0) flatten(value, into, `${path}.`, depth + 1);
    else into.set(path, value);
  }
  return into;
}

/**
 * The table of a value that is a non-empty array of objects (columns from
 * their keys, nested objects spread out, in the order first seen), or null
 * for anything else.
 */
export function tableOf(value: unknown): JsonTable | null {
  const parsed = typeof value === "string" ? (parseJsonText(value) ?? value) : value;
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isRecord)) return null;
  const flat = parsed.map((row) => flatten(row, new Map()));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const key of row.keys()) {
      if (seen.has(key)) continue;
      seen.add(key);
      columns.push(key);
    }
  }
  if (columns.length === 0) return null;
  const rows = flat.map((row) => columns.map((column) => cellText(row.get(column))));
  return { columns: columns.map((column) => sanitizeForDisplay(column)), rows };
}

function cellText(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return sanitizeForDisplay(text.replace(/\s*\n\s*/g, " "));
}

/** The table as lines: a header, a rule, then one line per row; columns as wide as their widest cell, up to {@link MAX_COLUMN_WIDTH}. */
export function tableLines(table: JsonTable): string[] {
  // Loops, not Math.max(...cells): a result can hold more rows than a call can take arguments.
  const widths = table.columns.map((column, index) => {
    let width = displayWidth(column);
    for (const row of table.rows) width = Math.max(width, displayWidth(row[index] ?? ""));
    return Math.min(MAX_COLUMN_WIDTH, width);
  });
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) => fitToWidth(cell, widths[index]!))
      .join("  ")
      .trimEnd();
  return [line(table.columns), widths.map((width) => "─".repeat(width)).join("  "), ...table.rows.map(line)];
}
