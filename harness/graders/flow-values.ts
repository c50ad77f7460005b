/**
 * The values value-flow tracing follows, and the text they may reach, in a
 * form where one value written several ways is one value: an amount is the
 * same in a result (`1203`, `-2544`, `"$1,203.00"`) as in a reply ("$1,203",
 * "a refund of $2544"), a time of day is the same as `14:00:00` and "2:00 PM",
 * a date as `2024-05-21` and "May 21". Everything else is compared as
 * lower-cased text.
 */

/** A distinctive value found in a tool's arguments or result, or in what someone said. */
export interface FlowValue {
  /** How the value is compared: `number`s by magnitude, times and dates by their canonical form, `text` as a substring. */
  readonly kind: "number" | "time" | "date" | "text";
  /** Canonical form: the number to the cent, `hh:mm`, `mm-dd`, or the lower-cased text. */
  readonly key: string;
  /** The value as it was written, for reasons. */
  readonly shown: string;
}

/** Single lower-case words carry no evidence of flow: statuses, booleans, units. */
const PLAIN_WORD = /^[a-z]+$/;
/** An amount as people write it: optional sign and currency, thousands separators, decimals. */
const AMOUNT = /^[-−+]?\s*[$€£]?\s*[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−+]?\s*[$€£]?\s*[-−]?\d+(?:\.\d+)?$/;
/** A time of day: 14:00, 14:00:00, 2:00 pm, 2 pm. */
const TIME = /^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap]\.?m\.?)?$/i;
/** An ISO date (optionally with a time after it). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Numbers below this (counts, seat numbers, list positions) turn up in any text by chance. */
const SMALL = 100;

/** The canonical key of an amount: its magnitude to the cent (a charge and a refund of 2544 are the same figure). */
export function amountKey(value: number): string {
  const cents = Math.round(Math.abs(value) * 100) / 100;
  return Number.isInteger(cents) ? String(cents) : cents.toFixed(2).replace(/0$/, "");
}

/** The number an amount string stands for, or null. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!AMOUNT.test(trimmed)) return null;
  const negative = /[-−]/.test(trimmed);
  const digits = trimmed.replace(/[^\d.]/g, "");
  const value = Number(digits);
  return Number.isFinite(value) ? (negative ? -value : value) : null;
}

function timeKey(hours: number, minutes: number, meridiem: string | undefined): string | null {
  let h = hours;
  if (meridiem) {
    const pm = meridiem.toLowerCase().startsWith("p");
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || minutes > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

function number(value: number, shown: string): FlowValue | null {
  // Small whole numbers (counts, seats) appear by chance; fractions and amounts do not.
  if (Number.isInteger(value) && Math.abs(value) < SMALL) return null;
  return { kind: "number", key: amountKey(value), shown };
}

/** One string value as a flow value, or null when it carries no evidence (a status word, a small count). */
function stringValue(raw: string): FlowValue | null {
  const text = raw.trim();
  if (text.length === 0) return null;
  const amount = parseAmount(text);
  if (amount !== null) return number(amount, text);
  const iso = ISO_DATE.exec(text);
  if (iso) return { kind: "date", key: `${iso[2]}-${iso[3]}`, shown: text };
  const time = TIME.exec(text);
  if (time && (time[2] !== undefined || time[3] !== undefined)) {
    const key = timeKey(Number(time[1]), Number(time[2] ?? 0), time[3]);
    // A time of day on its own is a weak clue, but it is a clue: schedules are compared by it.
    return key ? { kind: "time", key, shown: text } : null;
  }
  const lower = text.toLowerCase();
  if (lower.length < 3) return null;
  // A capitalised single word is a name ("Oslo"), not a status.
  if (PLAIN_WORD.test(lower) && !/[A-Z]/.test(text)) return null;
  return { kind: "text", key: lower, shown: text };
}

/**
 * Distinctive values inside a JSON value. Short strings count whole (unless a
 * plain word); long text and sentences count by their words with a digit or
 * an @ (ids, e-mails, amounts inside text) and their three-word phrases;
 * numbers count unless they are small whole numbers. With `freeText` every
 * string is read as text (what a user said).
 */
export function valuesIn(value: unknown, freeText: boolean): FlowValue[] {
  const out = new Map<string, FlowValue>();
  const add = (found: FlowValue | null): void => {
    if (found && !out.has(`${found.kind}:${found.key}`)) out.set(`${found.kind}:${found.key}`, found);
  };
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      const sentence = /\s/.test(v.trim()) && parseAmount(v) === null && !TIME.test(v.trim());
      if (freeText || v.length > 40 || sentence) {
        for (const found of textValues(v)) add(found);
        if (!freeText && v.length <= 40) add(stringValue(v));
      } else add(stringValue(v));
    } else if (typeof v === "number") {
      add(number(v, String(v)));
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === "object") {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return [...out.values()];
}

/** Values inside free text: amounts, times, dates, words with a digit or @, and three-word phrases. */
function textValues(text: string): FlowValue[] {
  const sink = new FlowText(text);
  const found: FlowValue[] = [];
  for (const key of sink.numbers) {
    if (Number(key) >= SMALL || !Number.isInteger(Number(key))) found.push({ kind: "number", key, shown: key });
  }
  for (const key of sink.times) found.push({ kind: "time", key, shown: key });
  for (const key of sink.dates) found.push({ kind: "date", key, shown: key });
  const words = sink.words;
  for (const word of words)
    if (/\d/.test(word) || word.includes("@")) if (word.length >= 3) found.push({ kind: "text", key: word, shown: word });
  for (let i = 0; i + 2 < words.length; i++) found.push({ kind: "text", key: `${words[i]} ${words[i + 1]} ${words[i + 2]}`, shown: "" });
  return found.map((value) => (value.shown === "" ? { ...value, shown: value.key } : value));
}

const TEXT_DATE = new RegExp(
  String.raw`\b(?:(${MONTHS.join("|")})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTHS.join("|")})[a-z]*)\b`,
  "gi",
);
const TEXT_ISO_DATE = /\b\d{4}-(\d{2})-(\d{2})\b/g;
const TEXT_TIME = /\b(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap]\.?m\.?))?|\b(\d{1,2})\s*([ap]\.?m\.?)(?![a-z])/gi;
// Free-standing figures only: not the digits of an id (O-1002, HAT052, card_7815), a date or a version.
const TEXT_AMOUNT =
  /(?<![\w.-])[-−]?\s?[$€£]?\s?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w-])|(?<![\w.-])[-−]?\s?[$€£]?\s?\d+(?:\.\d+)?(?![\w-]|\.\d)/g;

/**
 * The strings and numbers inside a JSON value as one text, each on its own
 * line, so that matching sees `src/a.ts` in a log as written (JSON escapes
 * would glue it to what precedes it).
 */
export function plainText(value: unknown): string {
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") parts.push(v);
    else if (typeof v === "number" || typeof v === "boolean") parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return parts.join("\n");
}

/**
 * Text a value may reach (a later call's arguments, an agent's message, the
 * answer), read once into the forms values are compared in.
 */
export class FlowText {
  /** The text, lower-cased, for substring matches of text values. */
  readonly text: string;
  /** Canonical amounts written in the text (every number, small ones too). */
  readonly numbers: Set<string>;
  readonly times: Set<string>;
  readonly dates: Set<string>;
  /** The text's words (ids keep their inner `-`, `_`, `.`, `@`). */
  readonly words: string[];

  constructor(text: string) {
    this.text = text.toLowerCase();
    let rest = this.text;
    this.dates = new Set();
    rest = rest.replace(TEXT_ISO_DATE, (_m, month: string, day: string) => (this.dates.add(`${month}-${day}`), " "));
    rest = rest.replace(TEXT_DATE, (_m, m1: string | undefined, d1: string | undefined, d2: string | undefined, m2: string | undefined) => {
      const month = MONTHS.indexOf((m1 ?? m2 ?? "").slice(0, 3)) + 1;
      const day = Number(d1 ?? d2);
      if (month > 0 && day >= 1 && day <= 31) this.dates.add(`${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`);
      return " ";
    });
    this.times = new Set();
    rest = rest.replace(
      TEXT_TIME,
      (match, h1: string | undefined, m1: string | undefined, ap1: string | undefined, h2: string | undefined, ap2: string | undefined) => {
        const key = timeKey(Number(h1 ?? h2), Number(m1 ?? 0), ap1 ?? ap2);
        if (key) this.times.add(key);
        return key ? " " : match;
      },
    );
    this.numbers = new Set();
    for (const match of rest.matchAll(TEXT_AMOUNT)) {
      const amount = parseAmount(match[0].replace(/\s/g, ""));
      if (amount !== null) this.numbers.add(amountKey(amount));
    }
    this.words = this.text
      .split(/[^\p{L}\p{N}@._-]+/u)
      .map((word) => word.replace(/[.]+$/, ""))
      .filter(Boolean);
  }

  /** True when the text holds the value, in any of the ways it may be written. */
  has(value: FlowValue): boolean {
    switch (value.kind) {
      case "number":
        return this.numbers.has(value.key);
      case "time":
        return this.times.has(value.key);
      case "date":
        return this.dates.has(value.key) || this.holdsWord(value.shown.toLowerCase());
      case "text":
        return this.holdsWord(value.key);
    }
  }

  /** True when `phrase` occurs in the text as whole words ("ava" is not in "available", "den" not in "Denver"). */
  holdsWord(phrase: string): boolean {
    for (let at = this.text.indexOf(phrase); at !== -1; at = this.text.indexOf(phrase, at + 1)) {
      const before = this.text[at - 1];
      const after = this.text[at + phrase.length];
      if (!isWordChar(before) && !isWordChar(after)) return true;
    }
    return false;
  }

  /** The amounts written in the text, as numbers. */
  amounts(): number[] {
    return [...this.numbers].map(Number);
  }
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}
