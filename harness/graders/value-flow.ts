import type { Certainty } from "./grade.js";
import type { GradableTrajectory, ToolCallEvent, TrajectoryEvent } from "../trajectory/schema.js";
import { canonicalJson } from "../util/canonical-json.js";
import { informsByAbsence, toolBehaviours, type ToolBehaviour } from "./call-behaviour.js";
import { FlowText, amountKey, plainText, valuesIn, type FlowValue } from "./flow-values.js";
import { repeatedCalls } from "./repeated-calls.js";
import { isoDatesIn, statedToday } from "./stated-date.js";

/** A read whose result reached nothing later, with how sure that is and why. */
export interface UnusedRead {
  readonly call: ToolCallEvent;
  /** The new values it brought (what was not already known), none of which reached anything. */
  readonly fresh: readonly FlowValue[];
  readonly certainty: Certainty;
  /** What makes the label definite, when it is: the read came after the one that found what was looked for. */
  readonly foundBy?: ToolCallEvent;
  /** The behaviour the call's tool showed, when it showed one (an arithmetic tool's result went nowhere). */
  readonly behaviour?: ToolBehaviour;
  /** What makes a computation's label definite: the figures of it the agent quoted while stating another result. */
  readonly setAside?: readonly string[];
  /** What makes the label definite, when it is: it found nothing for days already past that the user never named. */
  readonly past?: { readonly dates: readonly string[]; readonly today: string };
}

/** What value-flow tracing found in a trajectory. */
export interface ValueFlow {
  readonly unused: UnusedRead[];
  /** Reads considered (successful reads that are not repeats, thoughts or planned calls). */
  readonly reads: number;
  /** Why nothing could be definite, when that is so (the run was cut short; no result reached anything). */
  readonly note: string | null;
}

/** Where a later event can carry values, and whether its use depends on its own use (a read's arguments). */
interface Sink {
  readonly text: FlowText;
  readonly kind: "read" | "act" | "say";
}

/**
 * Traces each read's values forward and says which reads reached nothing.
 *
 * A read is used when one of its new values (not already known from what the
 * user said or earlier calls) reaches a write, a handoff, text an agent wrote
 * (messages, and the arguments of a tool that only records thoughts) or the
 * answer, or the arguments of a later read that is itself used; when a number
 * later written is a round ratio of one of its amounts; when it checked the
 * thing a later write changes (its arguments reach the write); and when it
 * informed by finding nothing (an empty or "not found" answer), unless what
 * it looked for was on a day already past (the conversation says what day it
 * is) that the user never named: nothing found there could be acted on.
 *
 * An unused read is only a `candidate`: reads often inform a decision no
 * value shows. It is `definite` when it came in a run of reads of the same
 * tool over different items after the one item that turned out to be what
 * was looked for (its id or values went on to be used): what it looked at was
 * no longer needed. With a reference plan that says which reads are needed
 * (it makes reads), an unused read off the plan is definite too. Reads made
 * before the item looked for was found are the search itself: not labelled.
 * Reads the reference plan makes are needed by construction, and calls that
 * repeat an identical earlier call are left to the repeated-calls grader.
 */
export function traceValueFlow(trajectory: GradableTrajectory): ValueFlow {
  const events = trajectory.events;
  const behaviours = toolBehaviours(trajectory);
  const repeats = new Set(repeatedCalls(trajectory).map((repeat) => repeat.call.id));
  const planned = new Set((trajectory.reference?.calls ?? []).map((call) => `${call.name}\u0000${canonicalJson(call.args)}`));
  const isPlanned = (call: ToolCallEvent): boolean => planned.has(`${call.name}\u0000${canonicalJson(call.args)}`);
  const isRead = (call: ToolCallEvent): boolean => call.effect === "read" && behaviours.get(call.name) !== "thought";
  const known = new Set(valuesIn(trajectory.task ?? "", true).map(keyOf));
  const today = statedToday(trajectory);
  const userSaid = new FlowText(
    [trajectory.task ?? "", ...events.flatMap((event) => (event.kind === "message" && event.role === "user" ? [event.content] : []))].join(
      "\n",
    ),
  );
  // The days before today an empty lookup asked about that the user never named.
  const pastAsked = (call: ToolCallEvent): string[] =>
    today === null || !informsByAbsence(call)
      ? []
      : isoDatesIn(call.args).filter((date) => date < today && !userSaid.has({ kind: "date", key: date.slice(5), shown: date }));
  const reads: Array<{ call: ToolCallEvent; at: number; fresh: FlowValue[] }> = [];
  events.forEach((event, at) => {
    if (event.kind === "message" && event.role === "user") for (const value of valuesIn(event.content, true)) known.add(keyOf(value));
    if (event.kind !== "tool_call") return;
    for (const value of valuesIn(event.args, false)) known.add(keyOf(value));
    if (event.status !== "ok") return;
    const produced = producedBy(event, behaviours.get(event.name));
    const fresh = produced.filter((value) => !known.has(keyOf(value)));
    for (const value of produced) known.add(keyOf(value));
    if (isRead(event) && !repeats.has(event.id) && !isPlanned(event)) reads.push({ call: event, at, fresh });
  });

  const sinks = events.map((event) => sinkOf(event, behaviours));
  const answer = new FlowText(trajectory.finalAnswer ?? "");
  // A value a read shares with what the user said, with a planned read's result, or with a result that
  // came after it may have come from there: a value reaching text is credited to the latest source of it.
  const sources: Array<{ at: number; text: FlowText; always: boolean }> = [
    { at: -1, text: new FlowText(trajectory.task ?? ""), always: true },
  ];
  events.forEach((event, at) => {
    if (event.kind === "message" && event.role === "user") sources.push({ at, text: new FlowText(event.content), always: true });
    if (event.kind === "tool_call" && event.status === "ok" && behaviours.get(event.name) !== "thought")
      sources.push({ at, text: new FlowText(resultTextOf(event)), always: isPlanned(event) });
  });
  const supplied = (value: FlowValue, from: number, before: number): boolean =>
    !sources.some((source) => source.at < before && source.at !== from && (source.always || source.at > from) && source.text.has(value));

  // A reference plan that makes reads says which reads were needed; without one, a read also counts as
  // used when it checked what a write then changed, or when its empty answer was reported.
  const referenceSaysWhichReads = (trajectory.reference?.calls ?? []).some((call) =>
    events.some((event) => event.kind === "tool_call" && event.name === call.name && isRead(event)),
  );
  // Latest reads first: whether a read is used may depend on reads after it. Each use found is kept
  // (the values that reached somewhere), so a run of reads can tell which of them found what was looked for.
  const used = new Map<string, Use>();
  const gone = new Map<string, string[]>();
  for (const read of [...reads].reverse()) {
    const past = pastAsked(read.call);
    if (past.length > 0) {
      gone.set(read.call.id, past);
      continue;
    }
    if (!referenceSaysWhichReads && informsByAbsence(read.call) && absenceReported(read.at, events)) {
      used.set(read.call.id, { by: "absence", values: [] });
      continue;
    }
    if (!referenceSaysWhichReads && checksWhatIsChanged(read.call, read.at, events, sinks)) {
      used.set(read.call.id, { by: "write", values: [] });
      continue;
    }
    if (read.fresh.length === 0) continue;
    const amounts = read.fresh.filter((value) => value.kind === "number").map((value) => Number(value.key));
    const reached = new Set<FlowValue>();
    const reach = (text: FlowText, at: number): boolean => {
      const found = read.fresh.filter((value) => text.has(value) && supplied(value, read.at, at));
      for (const value of found) reached.add(value);
      // A figure some later result also holds was copied from there, not derived from this read.
      const own = (figure: number): boolean => supplied({ kind: "number", key: amountKey(figure), shown: "" }, read.at, at);
      return found.length > 0 || (amounts.length > 0 && derivedAmountIn(text, amounts, own));
    };
    let isUsed = reach(answer, events.length);
    for (let i = read.at + 1; i < events.length; i++) {
      const sink = sinks[i];
      if (!sink) continue;
      const event = events[i]!;
      if (sink.kind === "read" && !used.has(event.id) && !(event.kind === "tool_call" && isPlanned(event))) continue;
      if (reach(sink.text, i)) isUsed = true;
    }
    if (isUsed) used.set(read.call.id, { by: "flow", values: [...reached] });
  }

  const idle = reads.filter((read) => !used.has(read.call.id));
  // Without a reference, a run cut short or one whose answer rests on no lookup leaves every read in doubt.
  const note =
    trajectory.reference !== null
      ? null
      : trajectory.termination.reason !== "completed"
        ? `the run ended by ${trajectory.termination.reason}; its results may have been used later, so no read is singled out for sure`
        : used.size === 0 && reads.length > 0
          ? "no tool result reaches a write, a message or the answer: the answer does not rest on any lookup, so no read is singled out for sure"
          : null;
  const scans = scansOf(events, behaviours);
  const unused: UnusedRead[] = [];
  for (const read of idle) {
    const past = gone.get(read.call.id);
    if (past) {
      unused.push({ call: read.call, fresh: read.fresh, certainty: "definite", past: { dates: past, today: today! } });
      continue;
    }
    const scan = scans.get(read.call.id);
    const found = scan?.filter((member) => foundWhatWasSought(member, scan, used, isPlanned(member), behaviours)) ?? [];
    const position = scan?.indexOf(read.call) ?? -1;
    // Reads before the item looked for was found are the search itself.
    if (scan && found.length > 0 && position < scan.indexOf(found[0]!)) continue;
    const behaviour = behaviours.get(read.call.name);
    const foundBy = scan && found.length === 1 && position > scan.indexOf(found[0]!) ? found[0] : undefined;
    const setAside = behaviour === "arithmetic" && read.fresh.length > 0 ? operandsQuotedInstead(read, events) : [];
    const sure = note === null && ((behaviour === undefined && (foundBy !== undefined || referenceSaysWhichReads)) || setAside.length > 0);
    unused.push({
      call: read.call,
      fresh: read.fresh,
      certainty: sure ? "definite" : "candidate",
      ...(foundBy ? { foundBy } : {}),
      ...(behaviour ? { behaviour } : {}),
      ...(setAside.length > 0 ? { setAside } : {}),
    });
  }
  return { unused, reads: reads.length, note };
}

/** A call's result as plain text: its strings and numbers, or the text it answered when that was not JSON. */
function resultTextOf(call: ToolCallEvent): string {
  return call.result === null || call.result === undefined ? call.resultText : plainText(call.result);
}

function keyOf(value: FlowValue): string {
  return `${value.kind}:${value.key}`;
}

/** How a read was used: it informed by finding nothing, it checked what a write then changed, or values of it flowed on. */
interface Use {
  readonly by: "absence" | "write" | "flow";
  readonly values: readonly FlowValue[];
}

/**
 * Whether a member of a run of reads is the item the run was looking for:
 * planned, or checked before a write changed it, or used through a value no
 * other member of the run returned (a shared airport code or status proves
 * nothing about which item it came from).
 */
function foundWhatWasSought(
  member: ToolCallEvent,
  scan: readonly ToolCallEvent[],
  used: ReadonlyMap<string, Use>,
  planned: boolean,
  behaviours: ReadonlyMap<string, ToolBehaviour>,
): boolean {
  if (planned) return true;
  const use = used.get(member.id);
  if (!use || use.by === "absence") return false;
  if (use.by === "write") return true;
  const others = new Set(
    scan.filter((other) => other !== member).flatMap((other) => producedBy(other, behaviours.get(other.name)).map(keyOf)),
  );
  return use.values.some((value) => !others.has(keyOf(value)));
}

/** What a call's result brought: its distinctive values; an arithmetic tool's figure however small. */
function producedBy(call: ToolCallEvent, behaviour: ToolBehaviour | undefined): FlowValue[] {
  if (behaviour === "arithmetic" && typeof call.result === "number") {
    const figure = valuesIn(String(call.result), false);
    return figure.length > 0 ? figure : [{ kind: "number", key: String(Math.abs(call.result)), shown: String(call.result) }];
  }
  return valuesIn(call.result, false);
}

function sinkOf(event: TrajectoryEvent, behaviours: ReadonlyMap<string, ToolBehaviour>): Sink | null {
  switch (event.kind) {
    case "tool_call":
      return {
        text: new FlowText(plainText(event.args)),
        // A thought is the agent's own words; other reads pass values on only if they are used.
        kind: behaviours.get(event.name) === "thought" ? "say" : event.effect === "read" ? "read" : "act",
      };
    case "handoff":
      return { text: new FlowText(plainText(event.args)), kind: "act" };
    case "llm_call":
      return event.output.content ? { text: new FlowText(event.output.content), kind: "say" } : null;
    case "message":
      return event.role === "assistant" ? { text: new FlowText(event.content), kind: "say" } : null;
    default:
      return null;
  }
}

/** Words that report that something was not there. */
const ABSENCE =
  /\b(?:no|not|none|nothing|neither|nor|unable|unfortunately|couldn't|could not|can't|cannot|isn't|aren't|wasn't|weren't|unavailable|empty)\b/i;

/** The first text an agent wrote after the event at `at`, before the user speaks again; "" when there is none. */
function nextAgentText(at: number, events: readonly TrajectoryEvent[]): string {
  for (let i = at + 1; i < events.length; i++) {
    const event = events[i]!;
    if (event.kind === "message" && event.role === "user") return "";
    const text =
      event.kind === "llm_call" ? event.output.content : event.kind === "message" && event.role === "assistant" ? event.content : "";
    if (text.trim() !== "") return text;
  }
  return "";
}

/** True when the first text an agent wrote after the call (before the user speaks again) reports an absence. */
function absenceReported(at: number, events: readonly TrajectoryEvent[]): boolean {
  return ABSENCE.test(nextAgentText(at, events));
}

/**
 * The figures of a computation's expression that the agent's next text
 * quotes when it does not quote the result: two or more means the agent
 * worked the sum out again from the same figures and went with its own
 * answer, so the computation was set aside. Empty otherwise.
 */
function operandsQuotedInstead(read: { call: ToolCallEvent; at: number }, events: readonly TrajectoryEvent[]): string[] {
  const next = new FlowText(nextAgentText(read.at, events));
  const operands = valuesIn(plainText(read.call.args), true).filter((value) => value.kind === "number");
  const quoted = operands.filter((value) => next.has(value)).map((value) => value.shown);
  return quoted.length >= 2 ? quoted : [];
}

/** True when a distinctive value of the read's arguments (the item it looked up) reaches a later write's arguments. */
function checksWhatIsChanged(
  call: ToolCallEvent,
  at: number,
  events: readonly TrajectoryEvent[],
  sinks: readonly (Sink | null)[],
): boolean {
  const looked = valuesIn(call.args, false);
  if (looked.length === 0) return false;
  for (let i = at + 1; i < events.length; i++) {
    const sink = sinks[i];
    if (sink?.kind === "act" && looked.some((value) => sink.text.has(value))) return true;
  }
  return false;
}

/** Round ratios a later figure may be of a result's amount (percentages, halves, doubles). */
const RATIOS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.75, 0.9, 2, 3];

/** True when the text holds a figure equal to a round ratio of one of `amounts` (to the cent). */
function derivedAmountIn(text: FlowText, amounts: readonly number[], own: (figure: number) => boolean): boolean {
  const figures = text.amounts().filter((n) => n >= 1 && own(n));
  return figures.some((n) => amounts.some((v) => Math.abs(v) >= 10 && RATIOS.some((ratio) => Math.abs(Math.abs(v) * ratio - n) < 0.005)));
}

/**
 * Runs of reads that look through items one by one: two or more successful
 * reads in a row (nothing but model calls and thoughts between them: no user
 * turn, no other tool) by one agent, of one tool, with the same argument
 * names and different values, where the values that change from one read to
 * the next all come from one earlier result: the list being walked through
 * (the reservations of a profile, the files of a folder). Each member maps
 * to its run.
 */
function scansOf(events: readonly TrajectoryEvent[], behaviours: ReadonlyMap<string, ToolBehaviour>): Map<string, ToolCallEvent[]> {
  const scans = new Map<string, ToolCallEvent[]>();
  const results: Array<{ at: number; text: FlowText }> = [];
  let run: ToolCallEvent[] = [];
  let runStart = 0;
  const close = (): void => {
    if (
      run.length >= 2 &&
      walksOneList(
        run,
        results.filter((result) => result.at < runStart),
      )
    )
      for (const member of run) scans.set(member.id, run);
    run = [];
  };
  events.forEach((event, at) => {
    // Model calls and recorded thoughts sit between the reads of a run.
    if (event.kind === "llm_call" || event.kind === "node") return;
    if (event.kind === "tool_call" && behaviours.get(event.name) === "thought") return;
    if (event.kind !== "tool_call" || event.status !== "ok" || event.effect !== "read") {
      close();
      if (event.kind === "tool_call" && event.status === "ok") results.push({ at, text: new FlowText(resultTextOf(event)) });
      return;
    }
    const last = run.at(-1);
    const continues =
      last !== undefined &&
      last.name === event.name &&
      last.agent === event.agent &&
      canonicalJson(Object.keys(last.args).sort()) === canonicalJson(Object.keys(event.args).sort()) &&
      !run.some((member) => canonicalJson(member.args) === canonicalJson(event.args));
    if (!continues) {
      close();
      runStart = at;
    }
    run.push(event);
    results.push({ at, text: new FlowText(resultTextOf(event)) });
  });
  close();
  return scans;
}

/** True when the arguments that change across the run's reads all come from one earlier result. */
function walksOneList(run: readonly ToolCallEvent[], earlier: ReadonlyArray<{ text: FlowText }>): boolean {
  const keys = Object.keys(run[0]!.args).filter((key) => new Set(run.map((member) => canonicalJson(member.args[key]))).size > 1);
  const varying = run.map((member) =>
    valuesIn(
      keys.map((key) => member.args[key]),
      false,
    ),
  );
  if (varying.some((values) => values.length === 0)) return false;
  return earlier.some((result) => varying.every((values) => values.every((value) => result.text.has(value))));
}
