import stringWidth from "string-width";
import { sanitizeForDisplay, type NotApplicableGrader } from "../harness/core.js";

/** Column alignment for {@link formatTable}. */
export type Align = "left" | "right";

/**
 * Plain-text table with aligned columns (display width aware, so wide
 * characters keep alignment), every cell sanitized. The first row is the header.
 */
export function formatTable(table: readonly (readonly string[])[], align: readonly Align[] = []): string {
  // Cells may hold ids, titles and model names from files: one clean line each, so widths are right.
  const rows = table.map((row) => row.map((cell) => sanitizeForDisplay(cell)));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = " ".repeat((widths[i] ?? 0) - stringWidth(cell));
          return align[i] === "right" ? pad + cell : i === row.length - 1 ? cell : cell + pad;
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** What a table or line shows for a value the source did not record (never `0 ms` or `0 tokens`). */
export const NOT_RECORDED_TEXT = "not recorded";

/**
 * `850ms`, `12.3s`, `4m05s`; "not recorded" for null. Rounding happens in the
 * unit shown, so 119.7 s is `2m00s` and 59.96 s is `1m00s`, never `1m60s` or `60.0s`.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null) return NOT_RECORDED_TEXT;
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** Token counts as `1,234` (rounded), or "not recorded" for null. */
export function formatTokens(tokens: number | null): string {
  return tokens === null ? NOT_RECORDED_TEXT : formatNumber(Math.round(tokens));
}

/** `1,234` style integers; means keep one decimal when not whole. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** One line per grader that did not apply to some trajectories, with its most frequent reason; empty when all applied. */
export function notApplicableText(graders: readonly NotApplicableGrader[], prefix: string): string {
  return graders
    .map(
      (grader) =>
        `${prefix}not applicable: ${sanitizeForDisplay(grader.grader)} on ${grader.trajectories} of ${grader.trajectories + grader.graded} trajectories (${sanitizeForDisplay(grader.reasons[0]!.reason, { maxLength: 160 })}${grader.reasons.length > 1 ? `; ${grader.reasons.length - 1} other reason(s)` : ""}), left out of its rates`,
    )
    .join("");
}
