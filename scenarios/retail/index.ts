import { retailPolicyScenarios } from "./policy-scenarios.js";
import { retailScenarios as coreScenarios } from "./scenarios.js";

export { retailEnvironment } from "./environment.js";
export type { RetailState, Order, Customer, Address, Product, Exchange } from "./environment.js";

/** Retail customer support scenarios, in a stable order. */
export const retailScenarios = [...coreScenarios, ...retailPolicyScenarios];
