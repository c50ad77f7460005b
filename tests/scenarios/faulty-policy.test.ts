import { describe, expect, it } from "vitest";
import {
  builtinScenarios,
  defaultFaultyPolicy,
  FAULT_KINDS,
  faultsOf,
  faultyPolicy,
  isHandoffStep,
  perturb,
  routeScript,
  teamOf,
  type FaultKind,
  type PolicyScript,
  type Scenario,
} from "../../scenarios/index.js";

const scenarios = builtinScenarios();
const describeScript = (script: PolicyScript) =>
  JSON.stringify({
    steps: script.steps.map((s) => (s.ask !== undefined ? { ask: true } : { tool: s.tool, agent: s.agent, fault: s.fault, loop: s.loop })),
    faults: faultsOf(script).map((f) => ({
      kind: f.kind,
      steps: f.steps.map((s) => script.steps.indexOf(s)),
      detail: f.detail,
      expected: f.expected,
    })),
  });

describe("the faulty policy", () => {
  it("gives the same script for the same seed, and different scripts across seeds", () => {
    for (const scenario of scenarios) {
      expect(describeScript(defaultFaultyPolicy.script(scenario, { seed: 11 }))).toBe(
        describeScript(defaultFaultyPolicy.script(scenario, { seed: 11 })),
      );
    }
    const variety = new Set(
      scenarios.map(
        (s) => describeScript(defaultFaultyPolicy.script(s, { seed: 1 })) === describeScript(defaultFaultyPolicy.script(s, { seed: 2 })),
      ),
    );
    expect(variety.has(false)).toBe(true);
  });

  it("injects at least one fault per trial, and every kind somewhere in the library", () => {
    const seen = new Set<FaultKind>();
    for (const scenario of scenarios) {
      for (let seed = 0; seed < 6; seed++) {
        const faults = faultsOf(defaultFaultyPolicy.script(scenario, { seed }));
        expect(faults.filter((f) => f.kind !== "pass_through_handoff").length, `${scenario.id} seed ${seed}`).toBeGreaterThanOrEqual(1);
        for (const f of faults) seen.add(f.kind);
      }
    }
    expect([...seen].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it.each(FAULT_KINDS.map((kind) => [kind] as const))("%s: with `only`, injects exactly that kind wherever it applies", (kind) => {
    const policy = faultyPolicy({ id: `only-${kind}`, only: [kind] });
    let applied = 0;
    for (const scenario of scenarios) {
      const script = policy.script(scenario, { seed: 3 });
      const faults = faultsOf(script);
      for (const fault of faults) expect(fault.kind).toBe(kind);
      if (faults.length === 0) continue;
      applied += 1;
      const fault = faults[0]!;
      for (const step of fault.steps) expect(script.steps).toContain(step);
      if (kind === "missing_step" || kind === "premature_answer") expect(fault.steps).toEqual([]);
      if (kind === "missing_step" || kind === "wrong_tool" || kind === "wrong_args") expect(fault.expected?.tool).toBeTruthy();
      if (kind === "pass_through_handoff") {
        expect(scenario.team).toBeDefined();
        expect(fault.steps.map((s) => s.tool)).toEqual([expect.stringMatching(/^transfer_to_/), expect.stringMatching(/^transfer_to_/)]);
      }
      if (kind === "wrong_specialist" || kind === "ping_pong") {
        expect(scenario.team).toBeDefined();
        expect(fault.steps).toEqual([expect.objectContaining({ agent: "supervisor", tool: expect.stringMatching(/^transfer_to_/) })]);
      }
      if (kind === "loop") expect(script.steps.at(-1)).toMatchObject({ loop: true });
    }
    const teamOnly = kind === "pass_through_handoff" || kind === "wrong_specialist" || kind === "ping_pong";
    // Team faults apply to every team scenario (9 in the library), the others to most scenarios.
    expect(applied, kind).toBeGreaterThanOrEqual(
      teamOnly ? scenarios.filter((s) => s.team).length - (kind === "pass_through_handoff" ? 4 : 0) : 20,
    );
  });

  it("leaves the rest of the plan as the reference routes it", () => {
    const scenario = scenarios.find((s) => s.id === "retail.return-and-refund-socks")!;
    const script = faultyPolicy({ only: ["repeated_call"] }).script(scenario, { seed: 5 });
    const plain = script.steps.filter((s) => !s.fault && !(s.tool && isHandoffStep(scenario, s.tool))).map((s) => s.tool);
    expect(plain).toEqual(scenario.reference.calls.map((s) => s.tool));
  });

  it("perturbs arguments plausibly", () => {
    expect(perturb("O-2001")).toBe("O-2002");
    expect(perturb("ACC-1049")).toBe("ACC-1040");
    expect(perturb("Dune")).toBe("Dnue");
    expect(perturb(40)).toBe(44);
    expect(perturb(["a", "b"])).toBeUndefined();
    expect(perturb(["SKU-1", "b"])).toEqual(["SKU-2", "b"]);
    expect(perturb("")).toBeUndefined();
  });
});

describe("routing a script over a team", () => {
  const helpdesk = (id: string): Scenario => scenarios.find((s) => s.id === id)!;

  it("inserts the supervisor's handoffs before each member's steps and gives questions to the supervisor", () => {
    const scenario = helpdesk("helpdesk.shipment-status-multi-turn");
    const routed = routeScript({ policy: "x", steps: [...scenario.reference.calls], answer: () => "" }, teamOf(scenario));
    expect(routed.steps.map((s) => `${s.agent}:${s.tool ?? "ask"}`)).toEqual([
      "supervisor:ask",
      "supervisor:transfer_to_triage",
      "triage:find_account",
      "supervisor:transfer_to_shipping",
      "shipping:list_shipments",
    ]);
    expect(routeScript(routed, teamOf(scenario))).toBe(routed);
  });

  it("keeps an explicit member-to-member handoff", () => {
    const scenario = helpdesk("helpdesk.router-replacement");
    const routed = routeScript({ policy: "x", steps: [...scenario.reference.calls], answer: () => "" }, teamOf(scenario));
    expect(routed.steps.map((s) => `${s.agent}:${s.tool}`)).toEqual([
      "supervisor:transfer_to_technical",
      "technical:run_diagnostics",
      "technical:transfer_to_shipping",
      "shipping:order_replacement",
    ]);
  });

  it("gives single-agent scenarios one specialist holding every tool", () => {
    const scenario = scenarios.find((s) => s.id === "ops.revert-bad-commit")!;
    const team = teamOf(scenario);
    expect(team.members.map((m) => m.name)).toEqual(["ops_specialist"]);
    const routed = routeScript({ policy: "x", steps: [...scenario.reference.calls], answer: () => "" }, team);
    expect(routed.steps.filter((s) => s.tool && isHandoffStep(scenario, s.tool))).toHaveLength(1);
  });
});
