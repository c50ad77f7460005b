export { officeEnvironment } from "./environment.js";
export type { CalendarEvent, EmailThread, OfficeDocument, OfficeState, Person, SentEmail } from "./environment.js";
export { officeScenarios } from "./scenarios.js";
