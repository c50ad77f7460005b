import { describe, expect, it } from "vitest";
import {
  builtinScenarios,
  evaluateOutcome,
  executePlan,
  isHandoffStep,
  referenceExecution,
  validateScenarios,
  type Scenario,
} from "../../scenarios/index.js";

const scenarios = builtinScenarios();
const toolCalls = (s: Scenario) => s.reference.calls.filter((step) => step.tool !== undefined && !isHandoffStep(s, step.tool)).length;

describe("the built-in scenario library", () => {
  it("has at least 40 scenarios in at least 5 domains, 8 of them multi-agent, with unique ids", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    expect(new Set(scenarios.map((s) => s.domain))).toEqual(new Set(["retail", "travel", "office", "ops", "helpdesk"]));
    expect(scenarios.filter((s) => s.team).length).toBeGreaterThanOrEqual(8);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(s.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
  });

  it("varies in length from 1 to 12 tool calls", () => {
    const lengths = scenarios.map(toolCalls);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(12);
    for (const length of lengths) expect(length).toBeGreaterThanOrEqual(1);
  });

  it("includes scenarios to refuse, to ask the user, with a simulated user, and with direct routes", () => {
    const tagged = (tag: string) => scenarios.filter((s) => s.tags.includes(tag));
    expect(tagged("refuse").length).toBeGreaterThanOrEqual(5);
    expect(tagged("ask-user").length).toBeGreaterThanOrEqual(5);
    expect(tagged("simulated-user").every((s) => s.user !== undefined)).toBe(true);
    expect(scenarios.filter((s) => s.user).length).toBeGreaterThanOrEqual(5);
    expect(tagged("direct-route").every((s) => s.team !== undefined)).toBe(true);
    expect(tagged("direct-route").length).toBeGreaterThanOrEqual(3);
    expect(tagged("multi-agent")).toEqual(scenarios.filter((s) => s.team));
  });

  it("gives every scenario at least one tempting read (a distractor), never a write", () => {
    for (const s of scenarios) {
      expect(s.distractors.length, s.id).toBeGreaterThanOrEqual(1);
      for (const d of s.distractors) expect(s.environment.tools.find((t) => t.name === d.tool)?.effect, `${s.id} ${d.tool}`).toBe("read");
    }
  });

  it("passes its own validation (tools, arguments, outcome of the reference plan)", () => {
    expect(validateScenarios(scenarios)).toEqual([]);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))("%s: the reference plan, executed directly, reaches the outcome", (_id, scenario) => {
    const execution = referenceExecution(scenario);
    expect(execution.failure).toBeNull();
    expect(evaluateOutcome(scenario, { finalState: execution.state, finalAnswer: execution.answer }).checks.filter((c) => !c.pass)).toEqual(
      [],
    );
  });

  it("judges a plan that stops short as failing (the outcome check is not vacuous)", () => {
    for (const s of scenarios.filter((x) => x.tags.includes("write"))) {
      const lastWrite = s.reference.calls.findLastIndex(
        (step) => s.environment.tools.find((t) => t.name === step.tool)?.effect === "write",
      );
      const short = executePlan(s, s.reference.calls.slice(0, lastWrite));
      expect(evaluateOutcome(s, { finalState: short.state, finalAnswer: null }).pass, s.id).toBe(false);
    }
  });

  it("gives a scenario's own checks the initial state it is handed, or a fresh one", () => {
    const scenario = scenarios.find((s) => s.id === "ops.comment-on-duplicate")! as Scenario<{ issues: Record<string, unknown> }>;
    const execution = referenceExecution(scenario);
    const noDuplicate = (initialState?: { issues: Record<string, unknown> }) =>
      evaluateOutcome(scenario, { finalState: execution.state, finalAnswer: execution.answer, initialState }).checks.find(
        (check) => check.name === "no duplicate",
      )!.pass;
    expect(noDuplicate()).toBe(true);
    expect(noDuplicate(structuredClone(execution.state))).toBe(true);
    // A run that began with one issue fewer left one more behind: the check sees it only in the state given.
    const fewer = structuredClone(execution.state);
    delete fewer.issues[Object.keys(fewer.issues)[0]!];
    expect(noDuplicate(fewer)).toBe(false);
  });

  it("records where each scenario is defined", () => {
    for (const s of scenarios) expect(s.source, s.id).toMatch(new RegExp(`^scenarios/${s.domain}/[a-z-]+\\.ts:\\d+$`));
  });
});
