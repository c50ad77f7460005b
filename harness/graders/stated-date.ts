import type { GradableTrajectory } from "../trajectory/schema.js";

/**
 * What day the conversation says it is. Agents are often told the date
 * ("The current time is 2024-05-15 15:00:00 EST", "Today is May 15, 2024")
 * in their instructions or by the user; a lookup for a day before it asks
 * about a time already gone.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** "current time is", "current date:", "today is", "today's date is", followed by the date. */
const NOW_PHRASE = /\b(?:current (?:date|time|date and time)|today(?:'s date)?|the date today)\s*(?:is|:)\s*/gi;
const ISO_AT_START = /^(\d{4})-(\d{2})-(\d{2})\b/;
const TEXT_AT_START = new RegExp(
  String.raw`^(?:[a-z]+day,?\s+)?(${MONTHS.join("|")})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`,
  "i",
);
/** Full ISO dates (with the year) inside text. */
const ISO_DATES = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/**
 * The date (`yyyy-mm-dd`) the instructions or the user state as today, or
 * null when no one says. The first statement found counts: system messages,
 * then the task and the user's messages, in order.
 */
export function statedToday(trajectory: GradableTrajectory): string | null {
  const texts = [
    ...trajectory.events.flatMap((event) => (event.kind === "message" && event.role === "system" ? [event.content] : [])),
    trajectory.task ?? "",
    ...trajectory.events.flatMap((event) => (event.kind === "message" && event.role === "user" ? [event.content] : [])),
  ];
  for (const text of texts) {
    for (const phrase of text.matchAll(NOW_PHRASE)) {
      const rest = text.slice(phrase.index + phrase[0].length, phrase.index + phrase[0].length + 40);
      const iso = ISO_AT_START.exec(rest);
      if (iso && validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) return `${iso[1]}-${iso[2]}-${iso[3]}`;
      const written = TEXT_AT_START.exec(rest);
      if (written) {
        const month = MONTHS.indexOf(written[1]!.toLowerCase().slice(0, 3)) + 1;
        const [year, day] = [Number(written[3]), Number(written[2])];
        if (validDate(year, month, day)) return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
      }
    }
  }
  return null;
}

/** The full ISO dates (`yyyy-mm-dd`, with their year) written inside a JSON value's strings. */
export function isoDatesIn(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const match of v.matchAll(ISO_DATES))
        if (validDate(Number(match[1]), Number(match[2]), Number(match[3]))) found.add(`${match[1]}-${match[2]}-${match[3]}`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
