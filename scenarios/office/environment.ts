import * as z from "zod";
import { defineEnvironment, defineTool, ToolFailure } from "../define.js";
import { officeData } from "./data.js";

export interface Person {
  id: string;
  name: string;
  email: string;
  team: string;
}

export interface CalendarEvent {
  id: string;
  title: string;
  date: string;
  start: string;
  end: string;
  attendeeIds: string[];
}

export interface EmailThread {
  id: string;
  subject: string;
  messages: Array<{ from: string; at: string; body: string }>;
}

export interface OfficeDocument {
  id: string;
  title: string;
  ownerId: string;
  classification: "internal" | "confidential";
  content: string;
  sharedWith: string[];
}

export interface SentEmail {
  id: string;
  to: string[];
  subject: string;
  body: string;
}

/** One person's office: the directory, everyone's calendar, their mail and documents. */
export interface OfficeState {
  today: string;
  /** Person id of the user the assistant works for. */
  me: string;
  workday: { start: string; end: string };
  people: Record<string, Person>;
  events: Record<string, CalendarEvent>;
  threads: Record<string, EmailThread>;
  documents: Record<string, OfficeDocument>;
  sent: Record<string, SentEmail>;
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe("YYYY-MM-DD");
const Clock = z
  .string()
  .regex(/^\d{2}:\d{2}$/)
  .describe("HH:MM, 24-hour");

const minutes = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const clock = (total: number): string => `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;

function person(state: OfficeState, id: string): Person {
  const found = state.people[id];
  if (!found) throw new ToolFailure(`person ${id} not found`);
  return found;
}

/** Busy intervals of the given people on a date, in minutes, optionally ignoring one event. */
function busy(state: OfficeState, ids: readonly string[], date: string, except?: string): Array<[number, number]> {
  return Object.values(state.events)
    .filter((e) => e.date === date && e.id !== except && e.attendeeIds.some((id) => ids.includes(id)))
    .map((e) => [minutes(e.start), minutes(e.end)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/** Windows inside the workday when nobody in `ids` is busy, at least `length` minutes long. */
function freeWindows(
  state: OfficeState,
  ids: readonly string[],
  date: string,
  length: number,
  except?: string,
): Array<{ start: string; end: string }> {
  const windows: Array<{ start: string; end: string }> = [];
  let cursor = minutes(state.workday.start);
  const close = minutes(state.workday.end);
  for (const [from, to] of [...busy(state, ids, date, except), [close, close] as [number, number]]) {
    if (from - cursor >= length) windows.push({ start: clock(cursor), end: clock(Math.min(from, close)) });
    cursor = Math.max(cursor, to);
  }
  return windows;
}

function ensureFree(state: OfficeState, ids: readonly string[], date: string, start: string, length: number, except?: string): void {
  const from = minutes(start);
  if (from < minutes(state.workday.start) || from + length > minutes(state.workday.end))
    throw new ToolFailure(`${start} on ${date} is outside working hours`);
  const clash = Object.values(state.events).find(
    (e) =>
      e.date === date &&
      e.id !== except &&
      e.attendeeIds.some((id) => ids.includes(id)) &&
      minutes(e.start) < from + length &&
      from < minutes(e.end),
  );
  if (clash)
    throw new ToolFailure(
      `conflicts with "${clash.title}" (${clash.start}-${clash.end}) for ${clash.attendeeIds.filter((id) => ids.includes(id)).join(", ")}`,
    );
}

const lookupPerson = defineTool({
  name: "lookup_person",
  description: "Search the company directory by (part of a) name. Returns every match with id, email and team.",
  args: z.object({ name: z.string().min(2) }),
  effect: "read",
  run: ({ name }, state: OfficeState) => {
    const matches = Object.values(state.people).filter((p) => p.name.toLowerCase().includes(name.toLowerCase()));
    if (matches.length === 0) throw new ToolFailure(`nobody called ${name} in the directory`);
    return matches.map((p) => ({ personId: p.id, name: p.name, email: p.email, team: p.team }));
  },
});

const getCalendar = defineTool({
  name: "get_calendar",
  description: "A person's events on one date.",
  args: z.object({ personId: z.string(), date: IsoDate }),
  effect: "read",
  run: ({ personId, date }, state: OfficeState) => {
    person(state, personId);
    return Object.values(state.events)
      .filter((e) => e.date === date && e.attendeeIds.includes(personId))
      .sort((a, b) => a.start.localeCompare(b.start))
      .map(({ id, title, start, end }) => ({ eventId: id, title, start, end }));
  },
});

const findEvents = defineTool({
  name: "find_events",
  description: "Search a person's calendar from today on by words in the event title.",
  args: z.object({ personId: z.string(), query: z.string().min(1) }),
  effect: "read",
  run: ({ personId, query }, state: OfficeState) => {
    person(state, personId);
    return Object.values(state.events)
      .filter((e) => e.attendeeIds.includes(personId) && e.date >= state.today && e.title.toLowerCase().includes(query.toLowerCase()))
      .sort((a, b) => (a.date + a.start).localeCompare(b.date + b.start))
      .map(({ id, title, date, start, end, attendeeIds }) => ({ eventId: id, title, date, start, end, attendeeIds }));
  },
});

const findFreeSlots = defineTool({
  name: "find_free_slots",
  description:
    "Time windows within working hours (09:00-17:00) on a date when all the given people are free for at least the given number of minutes.",
  args: z.object({ personIds: z.array(z.string()).min(1), date: IsoDate, durationMinutes: z.number().int().min(15).max(480) }),
  effect: "read",
  run: ({ personIds, date, durationMinutes }, state: OfficeState) => {
    for (const id of personIds) person(state, id);
    return { date, durationMinutes, windows: freeWindows(state, personIds, date, durationMinutes) };
  },
});

const createEvent = defineTool({
  name: "create_event",
  description: "Put a meeting in the calendars of the attendees. Fails if any attendee is busy then.",
  args: z.object({
    title: z.string().min(1),
    date: IsoDate,
    start: Clock,
    durationMinutes: z.number().int().min(15).max(480),
    attendeeIds: z.array(z.string()).min(1),
  }),
  effect: "write",
  run: ({ title, date, start, durationMinutes, attendeeIds }, state: OfficeState) => {
    for (const id of attendeeIds) person(state, id);
    ensureFree(state, attendeeIds, date, start, durationMinutes);
    const id = `EV-${900 + Object.keys(state.events).length + 1}`;
    state.events[id] = { id, title, date, start, end: clock(minutes(start) + durationMinutes), attendeeIds: [...attendeeIds].sort() };
    return { eventId: id, title, date, start, end: state.events[id]!.end, attendees: attendeeIds.map((a) => state.people[a]!.name) };
  },
});

const moveEvent = defineTool({
  name: "move_event",
  description: "Move an event to another date and start time, keeping its length. Fails if an attendee is busy then.",
  args: z.object({ eventId: z.string(), date: IsoDate, start: Clock }),
  effect: "write",
  run: ({ eventId, date, start }, state: OfficeState) => {
    const event = state.events[eventId];
    if (!event) throw new ToolFailure(`event ${eventId} not found`);
    const length = minutes(event.end) - minutes(event.start);
    ensureFree(state, event.attendeeIds, date, start, length, eventId);
    Object.assign(event, { date, start, end: clock(minutes(start) + length) });
    return { eventId, title: event.title, date, start, end: event.end };
  },
});

const searchEmail = defineTool({
  name: "search_email",
  description: "Search mail threads by words in the subject or body. Returns thread ids, subjects and who wrote.",
  args: z.object({ query: z.string().min(2) }),
  effect: "read",
  run: ({ query }, state: OfficeState) => {
    const words = query.toLowerCase().split(/\s+/);
    return Object.values(state.threads)
      .filter((t) => words.every((w) => (t.subject + " " + t.messages.map((m) => m.body).join(" ")).toLowerCase().includes(w)))
      .map((t) => ({
        threadId: t.id,
        subject: t.subject,
        from: [...new Set(t.messages.map((m) => m.from))],
        lastMessageAt: t.messages.at(-1)!.at,
      }));
  },
});

const readThread = defineTool({
  name: "read_thread",
  description: "Read every message of a mail thread.",
  args: z.object({ threadId: z.string() }),
  effect: "read",
  run: ({ threadId }, state: OfficeState) => {
    const thread = state.threads[threadId];
    if (!thread) throw new ToolFailure(`thread ${threadId} not found`);
    return thread;
  },
});

const sendEmail = defineTool({
  name: "send_email",
  description: "Send an email (a reply if the subject starts with Re:).",
  args: z.object({ to: z.array(z.string().email()).min(1), subject: z.string().min(1), body: z.string().min(1) }),
  effect: "write",
  run: ({ to, subject, body }, state: OfficeState) => {
    const id = `M-${String(Object.keys(state.sent).length + 1).padStart(3, "0")}`;
    state.sent[id] = { id, to: [...to], subject, body };
    return { messageId: id, to, subject };
  },
});

const searchDocuments = defineTool({
  name: "search_documents",
  description: "Search documents by words in the title. Returns ids, titles, owners and classification.",
  args: z.object({ query: z.string().min(2) }),
  effect: "read",
  run: ({ query }, state: OfficeState) =>
    Object.values(state.documents)
      .filter((d) => d.title.toLowerCase().includes(query.toLowerCase()))
      .map((d) => ({ docId: d.id, title: d.title, owner: state.people[d.ownerId]?.name ?? d.ownerId, classification: d.classification })),
});

const getDocument = defineTool({
  name: "get_document",
  description: "Read a document's full text and who it is shared with.",
  args: z.object({ docId: z.string() }),
  effect: "read",
  run: ({ docId }, state: OfficeState) => {
    const doc = state.documents[docId];
    if (!doc) throw new ToolFailure(`document ${docId} not found`);
    return doc;
  },
});

const replaceInDocument = defineTool({
  name: "replace_in_document",
  description: "Replace one exact passage of a document's text with new text. The passage must occur exactly once.",
  args: z.object({ docId: z.string(), find: z.string().min(1), replace: z.string() }),
  effect: "write",
  run: ({ docId, find, replace }, state: OfficeState) => {
    const doc = state.documents[docId];
    if (!doc) throw new ToolFailure(`document ${docId} not found`);
    const count = doc.content.split(find).length - 1;
    if (count !== 1) throw new ToolFailure(`"${find}" occurs ${count} times in ${docId}; give a passage that occurs exactly once`);
    doc.content = doc.content.replace(find, replace);
    return { docId, replaced: find, with: replace };
  },
});

const shareDocument = defineTool({
  name: "share_document",
  description: "Share a document with someone by email address.",
  args: z.object({ docId: z.string(), email: z.string().email() }),
  effect: "write",
  run: ({ docId, email }, state: OfficeState) => {
    const doc = state.documents[docId];
    if (!doc) throw new ToolFailure(`document ${docId} not found`);
    doc.sharedWith.push(email);
    return { docId, sharedWith: email };
  },
});

/** Office assistant: calendar, email and documents for one person. */
export const officeEnvironment = defineEnvironment<OfficeState>({
  id: "office",
  description: "An office assistant's workspace: the company directory, calendars, mail threads and documents.",
  instructions: [
    "You are the office assistant of Rosa Delgado (person id P-06). Today is Friday 2026-11-20. Working hours are 09:00-17:00.",
    "Use the tools to look things up and to act; never invent people, times or ids.",
    "Confidential documents are never shared outside the company (addresses not ending in @northwind.example).",
    "If a request is ambiguous (for example a name that matches several people), ask instead of guessing.",
    "Finish with a short answer that states what you did, with times and ids.",
  ].join("\n"),
  initialState: officeData,
  tools: [
    lookupPerson,
    getCalendar,
    findEvents,
    findFreeSlots,
    createEvent,
    moveEvent,
    searchEmail,
    readThread,
    sendEmail,
    searchDocuments,
    getDocument,
    replaceInDocument,
    shareDocument,
  ],
});
