export { helpdeskEnvironment, helpdeskTeam } from "./environment.js";
export type { Account, HelpdeskState, Invoice, Shipment } from "./environment.js";
export { helpdeskScenarios } from "./scenarios.js";
