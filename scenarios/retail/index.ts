export { retailEnvironment } from "./environment.js";
export type { RetailState, Order, Customer, Address } from "./environment.js";
export { retailScenarios } from "./scenarios.js";
