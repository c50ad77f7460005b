import { describe, expect, it } from "vitest";
import { builtinAgents, defaultAgentId, type AgentDefinition } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios, FAULT_KINDS, faultyPolicy, type Scenario } from "../../scenarios/index.js";
import { runTrial, type RecordedTrajectory, type Trajectory, type TrajectoryEvent } from "../../harness/index.js";

const scenarios = builtinScenarios();
const defaultAgent = (scenario: Scenario): AgentDefinition => builtinAgents.find((a) => a.id === defaultAgentId(scenario))!;
const onlyPolicies = FAULT_KINDS.map((kind) => faultyPolicy({ id: `only-${kind}`, only: [kind] }));
const policies = [...builtinPolicies, ...onlyPolicies];

function trial(
  scenario: Scenario,
  policy: string,
  seed: number,
  runId = "faults-test",
  agent = defaultAgent(scenario),
): Promise<RecordedTrajectory> {
  return runTrial({ runId, scenario, agent, model: `policy:${policy}`, trial: 0, seed, timeoutMs: 30_000, policies });
}

/** A trajectory with every timing removed. */
function timeless(t: Trajectory): unknown {
  const { startedAt: _s, endedAt: _e, durationMs: _d, ...rest } = t;
  return { ...rest, events: t.events.map(({ startMs: _a, durationMs: _b, ...event }) => event) };
}

/** Checks one fault of the ground truth against the events it names. */
function expectFaultMatchesEvents(
  t: Trajectory,
  scenario: Scenario,
  fault: NonNullable<Trajectory["groundTruth"]>["faults"][number],
): void {
  const byId = new Map(t.events.map((e) => [e.id, e]));
  const events = fault.eventIds.map((id) => byId.get(id)!) as TrajectoryEvent[];
  const where = `${scenario.id} ${fault.kind} ${fault.eventIds.join(",")}`;
  expect(events.every(Boolean), where).toBe(true);
  const calls = events.filter((e) => e.kind === "tool_call");
  switch (fault.kind) {
    case "repeated_call": {
      expect(calls, where).toHaveLength(1);
      const repeat = calls[0]!;
      const earlier = t.events.filter((e) => e.kind === "tool_call" && Number(e.id.slice(1)) < Number(repeat.id.slice(1)));
      expect(
        earlier.some((e) => e.kind === "tool_call" && e.name === repeat.name && JSON.stringify(e.args) === JSON.stringify(repeat.args)),
        where,
      ).toBe(true);
      break;
    }
    case "unused_read":
      expect(calls, where).toHaveLength(1);
      expect(
        scenario.distractors.map((d) => d.tool),
        where,
      ).toContain(calls[0]!.name);
      expect(calls[0]!.effect).toBe("read");
      break;
    case "wrong_tool":
      expect(calls, where).toHaveLength(1);
      expect(calls[0]!.name, where).not.toBe(fault.expected!.name);
      expect(calls[0]!.args, where).toEqual(fault.expected!.args);
      break;
    case "wrong_args":
      expect(calls, where).toHaveLength(1);
      expect(calls[0]!.name, where).toBe(fault.expected!.name);
      expect(calls[0]!.args, where).not.toEqual(fault.expected!.args);
      break;
    case "missing_step":
      expect(fault.eventIds).toEqual([]);
      expect(
        t.events.some(
          (e) =>
            e.kind === "tool_call" && e.name === fault.expected!.name && JSON.stringify(e.args) === JSON.stringify(fault.expected!.args),
        ),
        where,
      ).toBe(false);
      break;
    case "premature_answer": {
      expect(
        events.map((e) => e.kind),
        where,
      ).toEqual(["llm_call"]);
      expect(fault.eventIds[0]).toBe(t.events.findLast((e) => e.kind === "llm_call")!.id);
      expect(t.usage.toolCalls).toBeLessThan(t.reference!.calls.length);
      break;
    }
    case "loop":
      expect(t.termination.reason, where).toBe("max_steps");
      expect(calls.length, where).toBeGreaterThanOrEqual(5);
      expect(new Set(calls.map((c) => `${c.name}${JSON.stringify(c.args)}`)).size, where).toBe(1);
      break;
    case "pass_through_handoff": {
      expect(
        events.map((e) => (e.kind === "handoff" ? `${e.from}>${e.to}:${e.via}` : e.kind)),
        where,
      ).toEqual([expect.stringMatching(/^supervisor>\w+:tool$/), expect.stringMatching(/^\w+>\w+:tool$/)]);
      // The agent in the middle does no work between receiving control and handing it on.
      const between = t.events.slice(t.events.indexOf(events[0]!) + 1, t.events.indexOf(events[1]!));
      expect(
        between.some((e) => e.kind === "tool_call"),
        where,
      ).toBe(false);
      break;
    }
    case "wrong_specialist":
    case "ping_pong": {
      // One handoff by the supervisor to a member that then hands back without a tool call of its own.
      expect(
        events.map((e) => (e.kind === "handoff" ? `${e.from}>${e.via}` : e.kind)),
        where,
      ).toEqual(["supervisor>tool"]);
      const member = (events[0] as Extract<TrajectoryEvent, { kind: "handoff" }>).to;
      const after = t.events.slice(t.events.indexOf(events[0]!) + 1);
      const back = after.findIndex((e) => e.kind === "handoff");
      expect(after[back], where).toMatchObject({ kind: "handoff", from: member, to: "supervisor", via: "return" });
      expect(
        after.slice(0, back).some((e) => e.kind === "tool_call"),
        where,
      ).toBe(false);
      // A ping-pong goes back to the member that just handed back; a wrong specialist is another member than that one and than the next to be given the task.
      const lastReturn = t.events.slice(0, t.events.indexOf(events[0]!)).findLast((e) => e.kind === "handoff");
      if (fault.kind === "ping_pong") expect(lastReturn, where).toMatchObject({ from: member, to: "supervisor", via: "return" });
      else {
        expect(lastReturn?.kind === "handoff" && lastReturn.from === member && lastReturn.via === "return", where).toBe(false);
        expect(
          after.slice(back + 1).find((e) => e.kind === "handoff"),
          where,
        ).not.toMatchObject({ to: member });
      }
      break;
    }
    default:
      throw new Error(`unexpected fault kind ${fault.kind}`);
  }
}

describe("the faulty policy in runs", () => {
  it.each(scenarios.map((s) => [s.id, s] as const))(
    "%s: the same seed gives the same trajectory, timings aside, with ground truth for every fault",
    async (_id, scenario) => {
      const first = await trial(scenario, "faulty", 42);
      const again = await trial(scenario, "faulty", 42);
      expect(timeless(again)).toEqual(timeless(first));
      const elsewhere = await trial(scenario, "faulty", 42, "another-run");
      expect((timeless(elsewhere) as { events: unknown }).events).toEqual((timeless(first) as { events: unknown }).events);
      expect(first.groundTruth!.faults.length).toBeGreaterThanOrEqual(1);
      for (const fault of first.groundTruth!.faults) expectFaultMatchesEvents(first, scenario, fault);
    },
  );

  it.each(FAULT_KINDS.map((kind) => [kind] as const))("%s faults are recorded with the events they produced", async (kind) => {
    let recorded = 0;
    const handoffFault = kind === "pass_through_handoff" || kind === "wrong_specialist" || kind === "ping_pong";
    const candidates = handoffFault ? scenarios.filter((s) => s.team) : scenarios.filter((_, i) => i % 3 === 0);
    for (const scenario of candidates) {
      const t = await trial(scenario, `only-${kind}`, 7);
      for (const fault of t.groundTruth!.faults) {
        expect(fault.kind).toBe(kind);
        expectFaultMatchesEvents(t, scenario, fault);
        recorded += 1;
      }
    }
    expect(recorded, kind).toBeGreaterThanOrEqual(handoffFault ? 4 : 5);
  });

  it("hides ground truth from what graders see and keeps reference runs free of it", async () => {
    const scenario = scenarios.find((s) => s.id === "travel.lisbon-offsite")!;
    const reference = await trial(scenario, "reference", 1);
    expect(reference.groundTruth).toEqual({ faults: [] });
  });

  it("drops handoff faults a single agent never makes", async () => {
    const scenario = scenarios.find((s) => s.id === "helpdesk.invoice-question")!;
    const react = builtinAgents.find((a) => a.id === "react")!;
    const t = await trial(scenario, "only-pass_through_handoff", 7, "faults-test", react);
    expect(t.groundTruth).toEqual({ faults: [] });
    expect(t.outcome.pass).toBe(true);
  });
});
