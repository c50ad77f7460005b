import { describe, expect, it } from "vitest";
import { repeatedCallsGrader, unusedResultsGrader, type GraderResult, type GradedResult, type Trajectory } from "../../../harness/index.js";
import { statedToday } from "../../../harness/graders/stated-date.js";
import { evaluate, toolBehaviours } from "../../../harness/graders/call-behaviour.js";
import { FlowText, parseAmount, valuesIn } from "../../../harness/graders/flow-values.js";
import { buildTrajectory, type Move } from "./support/build-trajectory.js";

const steps = (result: GraderResult | Promise<GraderResult>) =>
  (result as GradedResult).steps.map((step) => [step.eventId, step.label, step.certainty ?? "definite"]);

describe("values written several ways", () => {
  it("reads amounts with currency, thousands separators and signs as one figure", () => {
    expect(parseAmount("$1,203")).toBe(1203);
    expect(parseAmount("-2544")).toBe(-2544);
    expect(parseAmount("1,023.50")).toBe(1023.5);
    expect(parseAmount("HAT052")).toBeNull();
    const reply = new FlowText("The difference is $1,203, and a refund of $2544 goes to your card.");
    const [amount] = valuesIn(1203, false);
    const [refund] = valuesIn(-2544, false);
    expect(reply.has(amount!)).toBe(true);
    expect(reply.has(refund!)).toBe(true);
    expect(reply.has(valuesIn(1204, false)[0]!)).toBe(false);
  });

  it("reads times of day and dates in their usual spellings, and ids only as whole words", () => {
    const text = new FlowText("Flight HAT052 leaves at 2:00 PM on May 21; nothing else is available. Ticket O-1002.");
    expect(text.has(valuesIn("14:00:00", false)[0]!)).toBe(true);
    expect(text.has(valuesIn("2024-05-21", false)[0]!)).toBe(true);
    expect(text.has(valuesIn("HAT052", false)[0]!)).toBe(true);
    // "Ava" is a name, and not inside "available"; the digits of an id are not a figure.
    expect(text.has(valuesIn("Ava", false)[0]!)).toBe(false);
    expect(text.has(valuesIn(1002, false)[0]!)).toBe(false);
  });

  it("evaluates arithmetic without eval, and refuses what is not arithmetic", () => {
    expect(evaluate("(6 - 4) + (13 - 6) * 2")).toBe(16);
    expect(evaluate("-3 + 10 / 4")).toBe(-0.5);
    expect(evaluate("process.exit(1)")).toBeNull();
    expect(evaluate("2 +")).toBeNull();
  });
});

describe("tools recognised by behaviour", () => {
  const think = (thought: string): Move => ({ call: "ponder", args: { thought }, result: "" });
  const calc = (expression: string, result: number): Move => ({ call: "maths", args: { expression }, result });

  it("tells a tool that records thoughts and one that computes from how their calls behave, whatever their names", () => {
    const t = buildTrajectory([think("The user wants the cheapest option, so compare both."), calc("120 + 35", 155), calc("3 * 7", 21)]);
    expect(toolBehaviours(t)).toEqual(
      new Map([
        ["ponder", "thought"],
        ["maths", "arithmetic"],
      ]),
    );
    // A tool that returns something other than what its expression gives does not compute.
    expect(toolBehaviours(buildTrajectory([calc("120 + 35", 99)])).get("maths")).toBeUndefined();
    // Several short arguments are a query, not prose, even when it finds nothing.
    const search: Move = { call: "search", args: { from: "LIS", to: "OSL", date: "2026-12-24" }, result: [] };
    expect(toolBehaviours(buildTrajectory([search, search])).get("search")).toBeUndefined();
  });

  it("never labels a recorded thought, and counts a value reaching a thought as used", () => {
    const t = buildTrajectory(
      [
        { call: "get_fare", args: { route: "A-B" }, result: { fare: 1203.5 } },
        think("The fare is 1203.50, more than the budget of the user, so offer the cheaper flight."),
      ],
      { answer: "Shall I look for a cheaper flight?" },
    );
    expect(steps(unusedResultsGrader.grade(t, undefined))).toEqual([]);
  });

  it("counts a computed figure quoted in another format as used, and one quoted nowhere only as a candidate", () => {
    const used = buildTrajectory([calc("1000 + 203", 1203)], { answer: "That comes to $1,203 in total." });
    expect(steps(unusedResultsGrader.grade(used, undefined))).toEqual([]);
    const discarded = buildTrajectory([{ call: "get_fare", args: {}, result: { fare: 300 } }, calc("300 + 368", 668)], {
      answer: "The total is $300.",
    });
    expect(steps(unusedResultsGrader.grade(discarded, undefined))).toEqual([["e5", "unused_result", "candidate"]]);
  });

  it("is sure a computation was set aside when the agent quoted its figures right after but gave a result of its own", () => {
    const t = buildTrajectory(
      [
        { call: "get_fares", args: {}, result: { economy: 177, business: 282, returnEconomy: 180, returnBusiness: 443 } },
        calc("(282 - 177) + (443 - 180) + 100", 468),
        { say: "The upgrade is $282 - $177 = $105 out and $443 - $180 = $263 back: $368 in all." },
      ],
      { answer: null },
    );
    const result = unusedResultsGrader.grade(t, undefined) as GradedResult;
    expect(steps(result)).toEqual([["e5", "unused_result", "definite"]]);
    expect(result.steps[0]!.reason).toContain("worked the result out again itself");
  });
});

describe("unused-results: lookups for a day already past", () => {
  const instructions = "You are a travel agent. The current time is 2026-05-15 15:00:00 EST.";
  const search = (date: string, result: unknown = []): Move => ({ call: "search_trains", args: { from: "LIS", to: "OPO", date }, result });
  const withInstructions = (t: Trajectory): Trajectory => ({
    ...t,
    events: [{ ...t.events[0]!, id: "e0", role: "system", content: instructions } as Trajectory["events"][number], ...t.events],
  });

  it("reads the date the instructions or the user give as today", () => {
    expect(statedToday(withInstructions(buildTrajectory([])))).toBe("2026-05-15");
    expect(statedToday(buildTrajectory([], { task: "Today is Friday, May 15, 2026. Book me a train." }))).toBe("2026-05-15");
    expect(statedToday(buildTrajectory([], { task: "Book me a train for May 15." }))).toBeNull();
  });

  it("is sure an empty lookup for a day already past that the user never named informed nothing", () => {
    const t = withInstructions(
      buildTrajectory([search("2026-05-13"), { say: "There are no trains on May 13." }, search("2026-05-20", [{ train: "IC-521" }])], {
        task: "Any train to Porto around my trip?",
        answer: "Train IC-521 leaves on May 20.",
      }),
    );
    const result = unusedResultsGrader.grade(t, undefined) as GradedResult;
    expect(steps(result)).toEqual([["e3", "unused_result", "definite"]]);
    expect(result.steps[0]!.reason).toContain("found nothing for 2026-05-13, already past (the conversation says it is 2026-05-15)");
  });

  it("leaves alone a past day the user asked about, a lookup that found something, and runs that never say what day it is", () => {
    const asked = withInstructions(
      buildTrajectory([search("2026-05-13"), { say: "There were no trains on May 13." }], {
        task: "Were there trains to Porto on May 13?",
        answer: null,
      }),
    );
    expect(steps(unusedResultsGrader.grade(asked, undefined))).toEqual([]);
    const found = withInstructions(
      buildTrajectory([search("2026-05-13", [{ train: "IC-511" }])], {
        task: "Which train did I miss?",
        answer: "IC-511 left on the 13th.",
      }),
    );
    expect(steps(unusedResultsGrader.grade(found, undefined))).toEqual([]);
    const undated = buildTrajectory([search("2026-05-13"), { say: "There are no trains then." }], { answer: null });
    expect(steps(unusedResultsGrader.grade(undated, undefined))).toEqual([]);
  });
});

describe("unused-results: reads after what was looked for was found", () => {
  const profile: Move = { call: "get_profile", args: { user: "u1" }, result: { bookings: ["BK-101", "BK-202", "BK-303", "BK-404"] } };
  const booking = (id: string, city: string): Move => ({ call: "get_booking", args: { id }, result: { id, city, seat: `${id}-S` } });

  it("is sure of the reads made after the item looked for, and leaves the search before it alone", () => {
    const t = buildTrajectory(
      [
        profile,
        booking("BK-101", "Lima"),
        booking("BK-202", "Oslo"),
        booking("BK-303", "Quito"),
        booking("BK-404", "Perth"),
        { user: "cancel the Oslo one" },
        { call: "cancel_booking", args: { id: "BK-202" }, effect: "write", result: { id: "BK-202", status: "cancelled" } },
      ],
      { task: "I want to cancel a trip", answer: "BK-202 is cancelled." },
    );
    const result = unusedResultsGrader.grade(t, undefined) as GradedResult;
    expect(steps(result)).toEqual([
      ["e9", "unused_result", "definite"],
      ["e11", "unused_result", "definite"],
    ]);
    expect(result.steps[0]).toMatchObject({ related: ["e7"] });
    expect(result.steps[0]!.reason).toContain("had turned up the item looked for");
  });

  it("is not sure when several items were used, or when the items read were not from one list", () => {
    const both = buildTrajectory([profile, booking("BK-101", "Lima"), booking("BK-202", "Oslo"), booking("BK-303", "Quito")], {
      answer: "Your trips to Lima and Oslo are booked.",
    });
    expect(steps(unusedResultsGrader.grade(both, undefined))).toEqual([["e9", "unused_result", "candidate"]]);
    const guessed = buildTrajectory(
      [
        { call: "read_file", args: { path: "config/staging.yaml" }, result: { pool: 10 } },
        { call: "read_file", args: { path: "config/production.yaml" }, result: { pool: 400 } },
      ],
      { answer: "Production uses a pool of 400." },
    );
    expect(steps(unusedResultsGrader.grade(guessed, undefined))).toEqual([["e3", "unused_result", "candidate"]]);
  });
});

describe("unused-results: reads that inform without passing a value on", () => {
  it("counts a read of the item a write then changes as a check before the write", () => {
    const t = buildTrajectory(
      [
        { call: "get_order", args: { orderId: "O-77" }, result: { orderId: "O-77", status: "pending", placed: "2026-11-02" } },
        { call: "cancel_order", args: { orderId: "O-77" }, effect: "write", result: { ok: true } },
      ],
      { answer: "Cancelled." },
    );
    expect(steps(unusedResultsGrader.grade(t, undefined))).toEqual([]);
  });

  it("counts an empty answer the agent reported as news, and one it ignored only as a candidate", () => {
    const search: Move = { call: "search_flights", args: { from: "LIS", to: "OSL" }, result: [] };
    const reported = buildTrajectory([search, { say: "There are no flights on that day." }], { answer: null });
    expect(steps(unusedResultsGrader.grade(reported, undefined))).toEqual([]);
    const ignored = buildTrajectory([search, { call: "get_hotel", args: { city: "Oslo" }, result: { hotel: "H-9" } }], {
      answer: "Hotel H-9 is yours.",
    });
    expect(steps(unusedResultsGrader.grade(ignored, undefined))).toEqual([["e3", "unused_result", "candidate"]]);
  });
});

describe("repeated-calls: repeats whose result could not have changed", () => {
  it("labels a repeat with arguments written differently but meaning the same", () => {
    const t = buildTrajectory([
      { call: "search", args: { city: "Oslo ", nights: "2" }, result: [{ id: "H-1" }] },
      { call: "search", args: { nights: 2, city: "oslo" }, result: [{ id: "H-1" }] },
    ]);
    const result = repeatedCallsGrader.grade(t, undefined) as GradedResult;
    expect(steps(result)).toEqual([["e5", "skippable", "definite"]]);
    expect(result.steps[0]!.reason).toContain("equivalent arguments");
  });

  it("does not label a repeat whose result changed, or one after a call that may have written", () => {
    const changed = buildTrajectory([
      { call: "status", args: { id: 1 }, result: { state: "queued" } },
      { call: "status", args: { id: 1 }, result: { state: "running" } },
    ]);
    expect(steps(repeatedCallsGrader.grade(changed, undefined))).toEqual([]);
    const unknownBetween = buildTrajectory([
      { call: "status", args: { id: 1 }, result: { state: "queued" } },
      { call: "kick", args: { id: 1 }, effect: "unknown", result: { ok: true } },
      { call: "status", args: { id: 1 }, result: { state: "queued" } },
    ]);
    expect(steps(repeatedCallsGrader.grade(unknownBetween, undefined))).toEqual([]);
  });
});

describe("repeated-calls: retries of a failed call bound to fail", () => {
  const book = (seat: string, message: string, card = "card-1"): Move => ({
    call: "book",
    args: { seat, card },
    effect: "write",
    error: "tool_error",
    message,
  });

  it("labels an identical retry that failed the same way, and one that kept the value the error named", () => {
    const t = buildTrajectory([
      book("12A", "Error: seat 12A is taken"),
      { user: "please try again" },
      book("12A", "Error: seat 12A is taken"),
      book("12A", "Error: seat 12A is taken", "card-2"),
    ]);
    const result = repeatedCallsGrader.grade(t, undefined) as GradedResult;
    expect(steps(result)).toEqual([
      ["e6", "failed_retry", "definite"],
      ["e8", "failed_retry", "definite"],
    ]);
    expect(result.steps[0]).toMatchObject({ related: ["e3"] });
    expect(result.steps[1]!.reason).toContain('still with "12a", which the error named');
  });

  it("labels a retry that dropped what the error named but kept another value failing the same way", () => {
    const seats = (list: string[], message: string): Move => ({
      call: "book_seats",
      args: { flight: "TP-1001", seats: list },
      effect: "write",
      error: "tool_error",
      message,
    });
    const t = buildTrajectory([
      seats(["12A", "12B", "14C"], "Error: seat 12A on flight TP-1001 is taken"),
      seats(["12B", "14C"], "Error: seat 12B on flight TP-1001 is taken"),
    ]);
    const result = repeatedCallsGrader.grade(t, undefined) as GradedResult;
    expect(steps(result)).toEqual([["e5", "failed_retry", "definite"]]);
    expect(result.steps[0]!.reason).toContain('still with "12b", "tp-1001", which e3 carried too');
    // A retry failing on a value the failed call did not carry had changed what it asked for.
    const moved = buildTrajectory([
      seats(["12A"], "Error: seat 12A on flight TP-1001 is taken"),
      seats(["15D"], "Error: seat 15D on flight TP-1001 is taken"),
    ]);
    expect(steps(repeatedCallsGrader.grade(moved, undefined))).toEqual([]);
  });

  it("leaves alone retries after a successful write, with another error, with a changed named value, or after a momentary error", () => {
    const cases: Move[][] = [
      [
        book("12A", "Error: seat 12A is taken"),
        { call: "release", args: { seat: "12A" }, effect: "write", result: { ok: true } },
        book("12A", "Error: seat 12A is taken"),
      ],
      [book("12A", "Error: seat 12A is taken"), book("12A", "Error: card declined")],
      [book("12A", "Error: seat 12A is taken"), book("14C", "Error: seat 12A is taken")],
      [book("12A", "Error: request timed out"), book("12A", "Error: request timed out")],
      [book("12A", "Error: payment does not add up"), book("12A", "Error: payment does not add up", "card-2")],
    ];
    for (const moves of cases) expect(steps(repeatedCallsGrader.grade(buildTrajectory(moves), undefined))).toEqual([]);
  });
});
