import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinAgents, reactAgent, supervisorAgent, type AgentDefinition } from "../../../agents/index.js";
import { builtinPolicies, builtinScenarios, type Scenario } from "../../../scenarios/index.js";
import {
  replayWithout,
  runTrial,
  stripGroundTruth,
  SKIPPED_RESULT,
  type ToolCallEvent,
  type RecordedTrajectory,
  type Trajectory,
} from "../../../harness/index.js";
import { tempFolder, trajlab } from "../../support/cli.js";
import {
  startOpenAIStub,
  stubText,
  type OpenAIStub,
  type StubMessage,
  type StubReply,
  type StubRequest,
} from "../../support/openai-stub.js";

/**
 * Counterfactual replay on a real model (an OpenAI-compatible server on
 * 127.0.0.1 whose "model" is a script): forking a ReAct run, and re-running a
 * conversation and a supervisor team with the model's recorded replies up to
 * the skipped call. Each scripted model makes one identical call twice, so
 * the second is the call to skip.
 */

const scenario = (id: string): Scenario => builtinScenarios().find((s) => s.id === id)!;
const toolResults = (request: StubRequest): StubMessage[] => request.messages.filter((m) => m.role === "tool");
const parsed = (message: StubMessage): unknown => {
  const text = stubText(message);
  return text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : null;
};
const offers = (request: StubRequest, tool: string): boolean => request.tools?.some((t) => t.function.name === tool) ?? false;

/** retail.where-is-my-order, looking the customer up twice. */
function retailAgent(request: StubRequest): StubReply {
  const results = toolResults(request);
  const customer = results.map(parsed).find((r) => r !== null && typeof r === "object" && "customerId" in r) as { customerId: string };
  switch (results.length) {
    case 0:
    case 1:
      return { toolCalls: [{ name: "find_customer", args: { email: "ben.okafor@example.com" } }] };
    case 2:
      return { toolCalls: [{ name: "list_orders", args: { customerId: customer.customerId } }] };
    case 3: {
      const orders = parsed(results[2]!) as Array<{ orderId: string; status: string }>;
      return { toolCalls: [{ name: "track_shipment", args: { orderId: orders.find((o) => o.status === "shipped")!.orderId } }] };
    }
    default: {
      const t = parsed(results[3]!) as { orderId: string; carrier: string; trackingNumber: string; estimatedDelivery: string };
      return { content: `Order ${t.orderId} ships with ${t.carrier}, tracking ${t.trackingNumber}, due ${t.estimatedDelivery}.` };
    }
  }
}

/** office.reschedule-one-on-one: asks the user when, then finds the event twice before moving it. */
function officeAgent(request: StubRequest): StubReply {
  const users = request.messages.filter((m) => m.role === "user");
  if (users.length < 2) return { content: "Sure. Which day and what time should it move to?" };
  const results = toolResults(request);
  const events = parsed(results[0] ?? { role: "tool", content: "" }) as Array<{ eventId: string }> | null;
  switch (results.length) {
    case 0:
    case 1:
      return { toolCalls: [{ name: "find_events", args: { personId: "P-06", query: "1:1" } }] };
    case 2:
      return { toolCalls: [{ name: "find_free_slots", args: { personIds: ["P-06", "P-02"], date: "2026-11-26", durationMinutes: 30 } }] };
    case 3:
      return { toolCalls: [{ name: "move_event", args: { eventId: events?.[0]?.eventId ?? "none", date: "2026-11-26", start: "14:00" } }] };
    default:
      return { content: "Moved your 1:1 with Jonas to 2026-11-26 at 14:00." };
  }
}

/** helpdesk.outage-check: the supervisor hands to technical, which checks the status twice. */
function helpdeskTeam(request: StubRequest): StubReply {
  if (offers(request, "transfer_to_technical")) {
    const report = request.messages.find((m) => m.role === "assistant" && stubText(m).includes("INC-"));
    return report ? { content: `Yes. ${stubText(report)}` } : { toolCalls: [{ name: "transfer_to_technical", args: {} }] };
  }
  const results = toolResults(request).filter((m) => stubText(m).includes('"ongoing"') || stubText(m).includes("skipped:"));
  if (results.length < 2) return { toolCalls: [{ name: "get_service_status", args: { region: "Leeds" } }] };
  const status = parsed(results[0]!) as { ongoing: Array<{ id: string; eta: string }> };
  const incident = status.ongoing[0]!;
  return { content: `Outage ${incident.id} in Leeds; service back by ${incident.eta.replace("T", " ")}.` };
}

function scriptedModels(request: StubRequest): StubReply {
  if (offers(request, "find_customer")) return retailAgent(request);
  if (offers(request, "find_events")) return officeAgent(request);
  return helpdeskTeam(request);
}

describe("counterfactual replay on a real model", () => {
  let stub: OpenAIStub;
  const saved = { url: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
  beforeAll(async () => {
    stub = await startOpenAIStub(scriptedModels);
    process.env.OPENAI_BASE_URL = stub.baseURL;
    process.env.OPENAI_API_KEY = "test";
  });
  afterAll(async () => {
    await stub.close();
    for (const [name, value] of [
      ["OPENAI_BASE_URL", saved.url],
      ["OPENAI_API_KEY", saved.key],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const record = (s: Scenario, agent: AgentDefinition): Promise<RecordedTrajectory> =>
    runTrial({
      runId: "replay-real",
      scenario: s,
      agent,
      model: "openai:stub-model",
      trial: 0,
      seed: 0,
      timeoutMs: 20_000,
      policies: builtinPolicies,
    });
  /** The second of two identical calls to `tool`. */
  const repeatOf = (t: Trajectory, tool: string): ToolCallEvent =>
    t.events.filter((e): e is ToolCallEvent => e.kind === "tool_call" && e.name === tool)[1]!;
  /** Replays without `call`, returning the record and the requests the model got meanwhile. */
  async function replay(t: Trajectory, s: Scenario, call: ToolCallEvent) {
    const before = stub.requests.length;
    const result = await replayWithout(stripGroundTruth(t), s, call.id, { agents: builtinAgents, policies: builtinPolicies });
    return { record: result, requests: stub.requests.slice(before) };
  }
  const skippedIn = (request: StubRequest): boolean =>
    request.messages.some((m) => m.role === "tool" && stubText(m).includes(SKIPPED_RESULT));

  it("forks a ReAct run at the call: the model is asked only for what comes after it", async () => {
    const s = scenario("retail.where-is-my-order");
    const t = await record(s, reactAgent);
    expect(t.outcome.pass).toBe(true);
    const { record: r, requests } = await replay(t, s, repeatOf(t, "find_customer"));
    expect(r).toMatchObject({ strategy: "fork", verdict: "skippable" });
    expect(r.reason).toMatch(/forked just before it; the outcome still passes/);
    // list_orders, track_shipment, the answer: nothing before the fork is asked again.
    expect(requests).toHaveLength(3);
    expect(requests.every(skippedIn)).toBe(true);
  });

  it("re-runs a conversation with a simulated user on the recorded replies up to the call, then asks the model", async () => {
    const s = scenario("office.reschedule-one-on-one");
    const t = await record(s, reactAgent);
    expect(t.outcome.pass).toBe(true);
    expect(t.conversation).toEqual({ userTurns: 1, endedBy: "no_question" });
    const llmCalls = t.events.filter((e) => e.kind === "llm_call");
    const { record: r, requests } = await replay(t, s, repeatOf(t, "find_events"));
    expect(r).toMatchObject({ strategy: "rerun", verdict: "skippable" });
    expect(r.reason).toMatch(/re-ran with it skipped; the outcome still passes/);
    // The question, the first find_events and its repeat come from the recording; find_free_slots, move_event and the answer from the model.
    expect(requests).toHaveLength(llmCalls.length - 3);
    expect(requests.every(skippedIn)).toBe(true);
    expect(r.trajectory.conversation).toEqual({ userTurns: 1, endedBy: "no_question" });
    expect(
      r.trajectory.events.filter((e) => e.kind === "message" && e.role === "user").map((e) => (e.kind === "message" ? e.content : "")),
    ).toEqual([t.task, "Thursday 2026-11-26 at 14:00, same length."]);
  });

  it("re-runs a supervisor team the same way, across its agents", async () => {
    const s = scenario("helpdesk.outage-check");
    const t = await record(s, supervisorAgent);
    expect(t.outcome.pass).toBe(true);
    const repeat = repeatOf(t, "get_service_status");
    expect(repeat.agent).toBe("technical");
    const { record: r, requests } = await replay(t, s, repeat);
    expect(r).toMatchObject({ strategy: "rerun", verdict: "skippable" });
    // The technical agent's report and the supervisor's answer.
    expect(requests).toHaveLength(2);
    expect(requests.map((q) => offers(q, "transfer_to_technical"))).toEqual([false, true]);
    const handoffs = r.trajectory.events.filter((e) => e.kind === "handoff").map((e) => (e.kind === "handoff" ? `${e.from}→${e.to}` : ""));
    expect(handoffs).toEqual(["supervisor→technical", "technical→supervisor"]);
  });

  it("from the command line: trajlab grade --replay verifies a supervisor team's repeated call on the model the run used", async () => {
    const cwd = await tempFolder();
    const env = { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "test" };
    const run = await trajlab(["run", "-m", "openai:stub-model", "-a", "supervisor", "-s", "helpdesk.outage-check", "-q"], { cwd, env });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const runId = readdirSync(join(cwd, "runs")).find((name) => !name.startsWith("."))!;
    const graded = await trajlab(["grade", runId, "--replay"], { cwd, env });
    expect(graded.code).toBe(0);
    expect(graded.stderr).toMatch(/1 replay\(s\) written to .*replays\.jsonl/);
    const [replayed] = (await readFile(join(cwd, "runs", runId, "replays.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(replayed).toMatchObject({ strategy: "rerun", verdict: "skippable" });
    const grades = (await readFile(join(cwd, "runs", runId, "grades.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const label = grades.find((g) => g.grader === "replay").steps[0];
    expect(label).toMatchObject({ eventId: replayed.eventId, label: "skippable", replay: replayed.replayId });
  });

  it("refuses a rerun that does not repeat the recording up to the call", async () => {
    const s = scenario("office.reschedule-one-on-one");
    const t = await record(s, reactAgent);
    const later = t.events.find((e): e is ToolCallEvent => e.kind === "tool_call" && e.name === "find_free_slots")!;
    const replayEdited = (edit: (e: Trajectory["events"][number]) => Trajectory["events"][number]) =>
      replayWithout(stripGroundTruth({ ...t, events: t.events.map(edit) }), s, later.id, {
        agents: builtinAgents,
        policies: builtinPolicies,
      });
    // As if the model had asked for another event than the recorded tool calls show: the tools answer otherwise.
    await expect(
      replayEdited((e) =>
        e.kind === "llm_call"
          ? {
              ...e,
              output: {
                ...e.output,
                toolCalls: e.output.toolCalls.map((c) => (c.name === "find_events" ? { ...c, args: { ...c.args, query: "standup" } } : c)),
              },
            }
          : e,
      ),
    ).rejects.toThrow(
      /took another path than the recording: before model call e\d+, find_events \(e\d+\) answered "\[\]" where the recording has/,
    );
    // As if a tool had answered otherwise when the run was recorded.
    await expect(
      replayEdited((e) => (e.kind === "tool_call" && e.name === "find_events" ? { ...e, resultText: "[]" } : e)),
    ).rejects.toThrow(/took another path than the recording/);
  });
});
