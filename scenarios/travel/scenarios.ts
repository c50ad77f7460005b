import { defineScenario, type PlanContext } from "../define.js";
import { defineUser } from "../users.js";
import { travelEnvironment as environment, type TravelState } from "./environment.js";

interface FlightOption {
  flightId: string;
  number: string;
  airline: string;
  departs: string;
  arrives: string;
  hours: number;
  cabin: string;
  price: number;
  seatsLeft: number;
}
interface HotelOption {
  hotelId: string;
  name: string;
  rating: number;
  nightly: number;
  roomsLeft: number;
}

/** The cheapest flight of a search result that satisfies `fits`. */
function cheapest(flights: FlightOption[], fits: (flight: FlightOption) => boolean = () => true): FlightOption {
  const found = flights.filter(fits).sort((a, b) => a.price - b.price)[0];
  if (!found) throw new Error("no flight fits");
  return found;
}

/** The latest result of `tool` among the calls so far that was made with `args` matching. */
function resultWhere(c: PlanContext, tool: string, matches: (args: Record<string, unknown>) => boolean): any {
  const found = c.results.findLast((step) => step.tool === tool && step.error === null && matches(step.args));
  if (!found) throw new Error(`no ${tool} call matching`);
  return found.result;
}

const noNewBookings =
  (count: number) =>
  ({ finalState }: { finalState: TravelState }) =>
    Object.keys(finalState.bookings).length === count;

export const cheapestFlight = defineScenario({
  id: "travel.cheapest-flight",
  title: "Find the cheapest flight on a route and day, without booking",
  environment,
  task: "What's the cheapest flight from Heathrow (LHR) to Amsterdam (AMS) on 2026-12-03? Just tell me, don't book anything.",
  reference: {
    calls: [{ tool: "search_flights", args: { from: "LHR", to: "AMS", date: "2026-12-03" } }],
    answer: (c) => {
      const f = cheapest(c.result("search_flights"));
      return `The cheapest is ${f.airline} ${f.number} for ${f.price} EUR. I have not booked it.`;
    },
  },
  distractors: [{ tool: "get_travel_policy", args: {} }],
  expect: { answerIncludes: ["U28807", "89"], checks: { "nothing booked": noNewBookings(3) } },
  tags: ["lookup", "read-only"],
});

export const bookMorningFlight = defineScenario({
  id: "travel.book-cheapest-morning-flight",
  title: "Book the cheapest flight that lands before noon",
  environment,
  task: "Please book Priya Raman (priya.raman@northwind.example) on the cheapest LHR to Amsterdam flight on 2026-12-03 that lands before 12:00.",
  reference: {
    calls: [
      { tool: "find_traveller", args: { email: "priya.raman@northwind.example" } },
      { tool: "search_flights", args: { from: "LHR", to: "AMS", date: "2026-12-03" } },
      {
        tool: "book_flight",
        args: (c) => ({
          flightId: cheapest(c.result("search_flights"), (f) => f.arrives < "12:00").flightId,
          travellerId: c.result("find_traveller").travellerId,
        }),
      },
    ],
    answer: (c) => {
      const b = c.result("book_flight");
      return `Booked ${b.traveller} on ${b.flight} for ${b.price} EUR. Booking reference ${b.bookingRef}.`;
    },
  },
  distractors: [{ tool: "get_travel_policy", args: {} }],
  expect: { answerIncludes: ["BK-0001", "BA428", "118"] },
  tags: ["write", "ids-from-results", "policy"],
});

export const hotelWithinCap = defineScenario({
  id: "travel.hotel-within-cap",
  title: "Book the best-rated hotel under the city's nightly cap",
  environment,
  task: "Book Tom Becker (tom.becker@northwind.example) 3 nights in Paris from 2026-12-02, at the best-rated hotel our policy allows.",
  reference: {
    calls: [
      { tool: "find_traveller", args: { email: "tom.becker@northwind.example" } },
      { tool: "get_travel_policy", args: {} },
      { tool: "search_hotels", args: { city: "Paris" } },
      {
        tool: "book_hotel",
        args: (c) => {
          const cap = c.result("get_travel_policy").hotelNightlyCap.Paris as number;
          const hotel = (c.result("search_hotels") as HotelOption[]).find((h) => h.nightly <= cap && h.roomsLeft > 0);
          if (!hotel) throw new Error("no hotel under the cap");
          return { hotelId: hotel.hotelId, travellerId: c.result("find_traveller").travellerId, checkIn: "2026-12-02", nights: 3 };
        },
      },
    ],
    answer: (c) => {
      const b = c.result("book_hotel");
      const cap = c.result("get_travel_policy").hotelNightlyCap.Paris;
      return `Reserved ${b.hotel} for ${b.traveller}, ${b.nights} nights from ${b.checkIn}: ${b.total} EUR in total, the best-rated option within the Paris cap of ${cap} EUR a night. Reference ${b.bookingRef}.`;
    },
  },
  distractors: [{ tool: "list_bookings", args: { travellerId: "T-02" } }],
  expect: {
    answerIncludes: ["Citadines", "567", "BK-0001"],
    checks: { "not over the cap": ({ finalState }) => !Object.values(finalState.bookings).some((b) => b.itemId === "H-PAR-01") },
  },
  tags: ["write", "policy", "ids-from-results"],
});

export const cancelRefundable = defineScenario({
  id: "travel.cancel-refundable-booking",
  title: "Cancel a refundable booking and report the refund",
  environment,
  task: "Kenji's New York trip is off. Please cancel booking BK-7Q2M.",
  reference: {
    calls: [
      { tool: "get_booking", args: { bookingRef: "BK-7Q2M" } },
      { tool: "cancel_booking", args: { bookingRef: "BK-7Q2M" } },
    ],
    answer: (c) => {
      return `Cancelled BK-7Q2M, the New York trip on 2026-12-14. The fare was refundable, so ${c.result("cancel_booking").refunded} EUR goes back to the company card.`;
    },
  },
  distractors: [
    { tool: "get_travel_policy", args: {} },
    { tool: "search_flights", args: { from: "LHR", to: "JFK", date: "2026-12-14" } },
  ],
  expect: { answerIncludes: ["BK-7Q2M", "2890"] },
  tags: ["write", "cancel"],
});

export const refuseNonRefundable = defineScenario({
  id: "travel.refuse-nonrefundable-refund",
  title: "Decline to cancel a non-refundable fare for a refund",
  environment,
  task: "Tom can't make the Dublin trip on 1 December. Cancel BK-3ZX9 and refund it to the card, please.",
  reference: {
    calls: [{ tool: "get_booking", args: { bookingRef: "BK-3ZX9" } }],
    answer: (c) => {
      const b = c.result("get_booking");
      return `I can't refund it: booking BK-3ZX9 (${b.detail}) is a non-refundable fare, so cancelling it would not return any money. It stays booked; the seat can still be used or changed with the airline.`;
    },
  },
  distractors: [{ tool: "get_travel_policy", args: {} }],
  expect: {
    answerIncludes: ["BK-3ZX9", "non-refundable"],
    checks: { "still booked": ({ finalState }) => finalState.bookings["BK-3ZX9"]?.status === "booked" },
  },
  tags: ["refuse", "policy"],
});

export const refuseBusinessShortHaul = defineScenario({
  id: "travel.refuse-business-short-haul",
  title: "Refuse business class on a short flight and offer economy",
  environment,
  task: "Book Kenji business class on the 08:10 Aer Lingus flight from Heathrow to Dublin on 2026-12-01.",
  reference: {
    calls: [
      { tool: "search_flights", args: { from: "LHR", to: "DUB", date: "2026-12-01" } },
      { tool: "get_travel_policy", args: {} },
    ],
    answer: (c) => {
      const flights = c.result("search_flights") as FlightOption[];
      const economy = flights.find((f) => f.departs === "08:10" && f.cabin === "economy")!;
      const rule = (c.result("get_travel_policy").rules as string[])[0]!;
      return `I did not book it. ${economy.number} takes ${economy.hours} hours, and company policy says: "${rule}" An economy seat on the same ${economy.number} departure costs ${economy.price} EUR if you want that instead.`;
    },
  },
  distractors: [{ tool: "find_traveller", args: { email: "kenji.watanabe@northwind.example" } }],
  expect: {
    answerIncludes: ["EI151", "6 hours", "96"],
    checks: { "nothing booked": noNewBookings(3) },
  },
  tags: ["refuse", "policy"],
});

export const berlinTrip = defineScenario({
  id: "travel.berlin-trip-multi-turn",
  title: "Ask for the missing trip details, notice the hotel is already booked, confirm and book the flight",
  environment,
  task: "I need to get to Berlin for the customer workshop next week. Can you sort out my travel?",
  user: defineUser({
    persona: "Sofia Marques, a consultant based in Manchester, in a hurry between meetings",
    knows: [
      { cues: ["email"], says: "My email is sofia.marques@northwind.example." },
      { cues: ["airport", "flying from", "where from"], says: "I'll fly from Manchester (MAN)." },
      { cues: ["date", "when", "which day"], says: "I travel on 2026-11-26 and need to land by 11:00." },
      { cues: ["shall i book", "should i book", "book it"], says: "Yes, please book it." },
    ],
  }),
  reference: {
    calls: [
      { ask: "Happy to help. What is your work email, which airport are you flying from, and on which date?" },
      { tool: "find_traveller", args: (c) => ({ email: c.fromUser(/[\w.]+@[\w.]+\.example/) }) },
      { tool: "list_bookings", args: (c) => ({ travellerId: c.result("find_traveller").travellerId }) },
      {
        tool: "search_flights",
        args: (c) => ({ from: c.fromUser(/\(([A-Z]{3})\)/, 1), to: "BER", date: c.fromUser(/\d{4}-\d{2}-\d{2}/) }),
      },
      {
        ask: (c) => {
          const f = cheapest(c.result("search_flights"), (x) => x.arrives <= "11:00");
          return `The cheapest flight landing by 11:00 is ${f.airline} ${f.number} at ${f.departs} for ${f.price} EUR. Shall I book it?`;
        },
      },
      {
        tool: "book_flight",
        args: (c) => ({
          flightId: cheapest(c.result("search_flights"), (x) => x.arrives <= "11:00").flightId,
          travellerId: c.result("find_traveller").travellerId,
        }),
      },
    ],
    answer: (c) => {
      const b = c.result("book_flight");
      const hotel = (c.result("list_bookings") as Array<{ ref: string; kind: string; detail: string }>).find((x) => x.kind === "hotel")!;
      return `Booked ${b.flight} at ${b.departs} for ${b.price} EUR, reference ${b.bookingRef}. You already have a hotel: ${hotel.detail} (${hotel.ref}), so I did not book another.`;
    },
  },
  distractors: [{ tool: "search_hotels", args: { city: "Berlin" } }],
  expect: {
    answerIncludes: ["EW9461", "BK-0001", "BK-5HN4"],
    checks: { "no second hotel": ({ finalState }) => Object.values(finalState.bookings).filter((b) => b.kind === "hotel").length === 1 },
  },
  tags: ["simulated-user", "write", "ask-user", "ids-from-results"],
});

const lisbonHotel = (c: PlanContext): HotelOption => {
  const cap = c.result("get_travel_policy").hotelNightlyCap.Lisbon as number;
  const hotel = (c.result("search_hotels") as HotelOption[]).find((h) => h.nightly <= cap && h.roomsLeft >= 2);
  if (!hotel) throw new Error("no Lisbon hotel under the cap with two rooms");
  return hotel;
};
const outbound = (c: PlanContext) =>
  cheapest(
    resultWhere(c, "search_flights", (a) => a.to === "LIS"),
    (f) => f.seatsLeft >= 2,
  );
const inbound = (c: PlanContext) =>
  cheapest(
    resultWhere(c, "search_flights", (a) => a.to === "LHR"),
    (f) => f.seatsLeft >= 2,
  );
const travellerId = (c: PlanContext, email: string): string => resultWhere(c, "find_traveller", (a) => a.email === email).travellerId;
const PRIYA = "priya.raman@northwind.example";
const TOM = "tom.becker@northwind.example";

export const lisbonOffsite = defineScenario({
  id: "travel.lisbon-offsite",
  title: "Book flights both ways and hotel rooms for two colleagues under policy",
  environment,
  task: [
    "Book the Lisbon offsite for Priya Raman (priya.raman@northwind.example) and Tom Becker (tom.becker@northwind.example):",
    "out of Heathrow on 2026-12-08 together on the cheapest flight with two seats, back on 2026-12-10 on the cheapest flight with two seats,",
    "and a room each for 2 nights from 2026-12-08 at the best-rated Lisbon hotel within policy.",
  ].join(" "),
  reference: {
    calls: [
      { tool: "find_traveller", args: { email: PRIYA } },
      { tool: "find_traveller", args: { email: TOM } },
      { tool: "search_flights", args: { from: "LHR", to: "LIS", date: "2026-12-08" } },
      { tool: "book_flight", args: (c) => ({ flightId: outbound(c).flightId, travellerId: travellerId(c, PRIYA) }) },
      { tool: "book_flight", args: (c) => ({ flightId: outbound(c).flightId, travellerId: travellerId(c, TOM) }) },
      { tool: "search_flights", args: { from: "LIS", to: "LHR", date: "2026-12-10" } },
      { tool: "book_flight", args: (c) => ({ flightId: inbound(c).flightId, travellerId: travellerId(c, PRIYA) }) },
      { tool: "book_flight", args: (c) => ({ flightId: inbound(c).flightId, travellerId: travellerId(c, TOM) }) },
      { tool: "get_travel_policy", args: {} },
      { tool: "search_hotels", args: { city: "Lisbon" } },
      {
        tool: "book_hotel",
        args: (c) => ({ hotelId: lisbonHotel(c).hotelId, travellerId: travellerId(c, PRIYA), checkIn: "2026-12-08", nights: 2 }),
      },
      {
        tool: "book_hotel",
        args: (c) => ({ hotelId: lisbonHotel(c).hotelId, travellerId: travellerId(c, TOM), checkIn: "2026-12-08", nights: 2 }),
      },
    ],
    answer: (c) => {
      const refs = c.results.filter((r) => r.tool.startsWith("book_")).map((r) => r.result.bookingRef as string);
      const out = outbound(c);
      const back = inbound(c);
      const hotel = lisbonHotel(c);
      const cap = c.result("get_travel_policy").hotelNightlyCap.Lisbon;
      return [
        `Outbound ${out.number} on 2026-12-08 at ${out.departs} (${out.price} EUR each): ${refs[0]}, ${refs[1]}.`,
        `Return ${back.number} on 2026-12-10 at ${back.departs} (${back.price} EUR each): ${refs[2]}, ${refs[3]}.`,
        `${hotel.name}, 2 nights at ${hotel.nightly} EUR (Lisbon cap ${cap}): ${refs[4]}, ${refs[5]}.`,
      ].join(" ");
    },
  },
  distractors: [
    { tool: "search_flights", args: { from: "LIS", to: "LHR", date: "2026-12-11" } },
    { tool: "list_bookings", args: { travellerId: "T-01" } },
  ],
  expect: {
    answerIncludes: ["BA500", "BA503", "Lisboa Tejo", "BK-0006"],
    checks: {
      "six bookings": ({ finalState }) => Object.keys(finalState.bookings).length === 9,
    },
  },
  maxSteps: 60,
  tags: ["write", "multi-write", "policy", "long"],
});

/** Travel scenarios, in a stable order. */
export const travelScenarios = [
  cheapestFlight,
  bookMorningFlight,
  hotelWithinCap,
  cancelRefundable,
  refuseNonRefundable,
  refuseBusinessShortHaul,
  berlinTrip,
  lisbonOffsite,
];
