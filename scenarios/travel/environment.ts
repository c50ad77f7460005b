import * as z from "zod";
import { defineEnvironment, defineTool, ToolFailure } from "../define.js";
import { travelData } from "./data.js";

export interface Traveller {
  id: string;
  name: string;
  email: string;
  homeAirport: string;
  loyalty: string | null;
}

export interface Flight {
  id: string;
  airline: string;
  number: string;
  from: string;
  to: string;
  date: string;
  departs: string;
  arrives: string;
  hours: number;
  cabin: "economy" | "business";
  price: number;
  seatsLeft: number;
  refundable: boolean;
}

export interface Hotel {
  id: string;
  city: string;
  name: string;
  rating: number;
  nightly: number;
  roomsLeft: number;
}

export interface Booking {
  ref: string;
  travellerId: string;
  kind: "flight" | "hotel";
  itemId: string;
  status: "booked" | "cancelled";
  price: number;
  refundable: boolean;
  detail: string;
}

/** The company's travel desk: policy, travellers, bookable flights and hotels, bookings. */
export interface TravelState {
  today: string;
  policy: {
    hotelNightlyCap: Record<string, number>;
    businessClassMinHours: number;
    rules: string[];
  };
  travellers: Record<string, Traveller>;
  flights: Record<string, Flight>;
  hotels: Record<string, Hotel>;
  bookings: Record<string, Booking>;
  /** Sequence number of the next booking reference. */
  nextBooking: number;
}

const Airport = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .describe("IATA airport code, e.g. LHR");
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe("YYYY-MM-DD");

function traveller(state: TravelState, id: string): Traveller {
  const found = state.travellers[id];
  if (!found) throw new ToolFailure(`traveller ${id} not found`);
  return found;
}

function newBooking(state: TravelState, booking: Omit<Booking, "ref" | "status">): Booking {
  const ref = `BK-${String(state.nextBooking++).padStart(4, "0")}`;
  const created: Booking = { ref, status: "booked", ...booking };
  state.bookings[ref] = created;
  return created;
}

const findTraveller = defineTool({
  name: "find_traveller",
  description: "Find a traveller by work email. Returns their id, name and home airport.",
  args: z.object({ email: z.string() }),
  effect: "read",
  run: ({ email }, state: TravelState) => {
    const found = Object.values(state.travellers).find((t) => t.email.toLowerCase() === email.toLowerCase());
    if (!found) throw new ToolFailure(`no traveller with email ${email}`);
    return { travellerId: found.id, name: found.name, homeAirport: found.homeAirport };
  },
});

const getTravelPolicy = defineTool({
  name: "get_travel_policy",
  description: "Read the company travel policy: cabin rules and the nightly hotel cap per city.",
  args: z.object({}),
  effect: "read",
  run: (_args, state: TravelState) => state.policy,
});

const searchFlights = defineTool({
  name: "search_flights",
  description: "Search flights on a date between two airports, sorted by departure time, with cabin, price, seats left and refundability.",
  args: z.object({ from: Airport, to: Airport, date: IsoDate }),
  effect: "read",
  run: ({ from, to, date }, state: TravelState) =>
    Object.values(state.flights)
      .filter((f) => f.from === from && f.to === to && f.date === date)
      .sort((a, b) => a.departs.localeCompare(b.departs) || a.price - b.price)
      .map(({ id, airline, number, departs, arrives, hours, cabin, price, seatsLeft, refundable }) => ({
        flightId: id,
        airline,
        number,
        departs,
        arrives,
        hours,
        cabin,
        price,
        seatsLeft,
        refundable,
      })),
});

const searchHotels = defineTool({
  name: "search_hotels",
  description: "List hotels in a city with rating, nightly rate (EUR) and rooms left, best rated first.",
  args: z.object({ city: z.string() }),
  effect: "read",
  run: ({ city }, state: TravelState) => {
    const found = Object.values(state.hotels).filter((h) => h.city.toLowerCase() === city.toLowerCase());
    if (found.length === 0) throw new ToolFailure(`no hotels listed in ${city}`);
    return found
      .sort((a, b) => b.rating - a.rating)
      .map(({ id, name, rating, nightly, roomsLeft }) => ({ hotelId: id, name, rating, nightly, roomsLeft }));
  },
});

const getBooking = defineTool({
  name: "get_booking",
  description: "Get a booking by reference: what it is, its status, price and whether it is refundable.",
  args: z.object({ bookingRef: z.string() }),
  effect: "read",
  run: ({ bookingRef }, state: TravelState) => {
    const found = state.bookings[bookingRef];
    if (!found) throw new ToolFailure(`booking ${bookingRef} not found`);
    return found;
  },
});

const listBookings = defineTool({
  name: "list_bookings",
  description: "List a traveller's bookings.",
  args: z.object({ travellerId: z.string() }),
  effect: "read",
  run: ({ travellerId }, state: TravelState) => {
    traveller(state, travellerId);
    return Object.values(state.bookings).filter((b) => b.travellerId === travellerId);
  },
});

const bookFlight = defineTool({
  name: "book_flight",
  description: "Book a seat on a flight for a traveller. Returns the booking reference.",
  args: z.object({ flightId: z.string(), travellerId: z.string() }),
  effect: "write",
  run: ({ flightId, travellerId }, state: TravelState) => {
    const flight = state.flights[flightId];
    if (!flight) throw new ToolFailure(`flight ${flightId} not found`);
    const who = traveller(state, travellerId);
    if (flight.seatsLeft < 1) throw new ToolFailure(`flight ${flightId} is full`);
    flight.seatsLeft -= 1;
    const booking = newBooking(state, {
      travellerId,
      kind: "flight",
      itemId: flightId,
      price: flight.price,
      refundable: flight.refundable,
      detail: `${flight.from}→${flight.to} ${flight.date} ${flight.number} ${flight.cabin}`,
    });
    return { bookingRef: booking.ref, traveller: who.name, flight: booking.detail, departs: flight.departs, price: flight.price };
  },
});

const bookHotel = defineTool({
  name: "book_hotel",
  description:
    "Book a hotel room for a traveller from a check-in date for a number of nights. Returns the booking reference and total price.",
  args: z.object({ hotelId: z.string(), travellerId: z.string(), checkIn: IsoDate, nights: z.number().int().min(1).max(30) }),
  effect: "write",
  run: ({ hotelId, travellerId, checkIn, nights }, state: TravelState) => {
    const hotel = state.hotels[hotelId];
    if (!hotel) throw new ToolFailure(`hotel ${hotelId} not found`);
    const who = traveller(state, travellerId);
    if (hotel.roomsLeft < 1) throw new ToolFailure(`${hotel.name} has no rooms left`);
    hotel.roomsLeft -= 1;
    const booking = newBooking(state, {
      travellerId,
      kind: "hotel",
      itemId: hotelId,
      price: hotel.nightly * nights,
      refundable: true,
      detail: `${hotel.name}, ${nights} night${nights === 1 ? "" : "s"} from ${checkIn}`,
    });
    return { bookingRef: booking.ref, traveller: who.name, hotel: hotel.name, checkIn, nights, total: booking.price };
  },
});

const cancelBooking = defineTool({
  name: "cancel_booking",
  description: "Cancel a refundable booking and refund its price. Non-refundable bookings cannot be cancelled here.",
  args: z.object({ bookingRef: z.string() }),
  effect: "write",
  run: ({ bookingRef }, state: TravelState) => {
    const booking = state.bookings[bookingRef];
    if (!booking) throw new ToolFailure(`booking ${bookingRef} not found`);
    if (booking.status === "cancelled") throw new ToolFailure(`booking ${bookingRef} is already cancelled`);
    if (!booking.refundable) throw new ToolFailure(`booking ${bookingRef} is non-refundable`);
    booking.status = "cancelled";
    if (booking.kind === "flight") state.flights[booking.itemId]!.seatsLeft += 1;
    else state.hotels[booking.itemId]!.roomsLeft += 1;
    return { bookingRef, status: booking.status, refunded: booking.price };
  },
});

/** Corporate travel booking: flights and hotels under fare and budget rules. */
export const travelEnvironment = defineEnvironment<TravelState>({
  id: "travel",
  description: "A company travel desk: travellers, flight and hotel search, bookings, cancellations, and the travel policy.",
  instructions: [
    "You are the company's travel booking agent. Today is 2026-11-20. Prices are in EUR.",
    "Use the tools to look things up and to book; never invent ids, fares or references.",
    "Follow the company travel policy (read it with get_travel_policy when a rule matters): cabin class by flight length,",
    "a nightly cap on hotels per city, the cheapest suitable fare, and no refunds on non-refundable fares.",
    "If a request breaks the policy, do not book it: say why and offer what the policy allows.",
    "Finish with a short answer that states booking references and prices.",
  ].join("\n"),
  initialState: travelData,
  tools: [findTraveller, getTravelPolicy, searchFlights, searchHotels, getBooking, listBookings, bookFlight, bookHotel, cancelBooking],
});
