import type { Scenario } from "./define.js";
import { helpdeskScenarios } from "./helpdesk/index.js";
import { officeScenarios } from "./office/index.js";
import { opsScenarios } from "./ops/index.js";
import { retailScenarios } from "./retail/index.js";
import { travelScenarios } from "./travel/index.js";

/** Every scenario that ships with trajlab, grouped by domain in a stable order. */
export function builtinScenarios(): readonly Scenario[] {
  return [...retailScenarios, ...travelScenarios, ...officeScenarios, ...opsScenarios, ...helpdeskScenarios];
}
