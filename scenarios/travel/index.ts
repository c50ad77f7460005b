export { travelEnvironment } from "./environment.js";
export type { Booking, Flight, Hotel, TravelState, Traveller } from "./environment.js";
export { travelScenarios } from "./scenarios.js";
