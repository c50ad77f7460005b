import { describe, expect, it } from "vitest";
import { reactAgent } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios } from "../../scenarios/index.js";
import { TrajectorySchema, runTrial, summarise, buildReport, type Trajectory } from "../../harness/index.js";

async function recorded() {
  const scenario = builtinScenarios().find((s) => s.id === "retail.where-is-my-order")!;
  return runTrial({
    runId: "v2-test",
    scenario,
    agent: reactAgent,
    model: "policy:reference",
    trial: 0,
    seed: 0,
    timeoutMs: 20_000,
    policies: builtinPolicies,
  });
}

/** The trajectory as a v1 file held it: no effectSource, `estimated` flags, no provenance. */
function asV1(trajectory: Trajectory): Record<string, unknown> {
  const v1 = structuredClone(trajectory) as unknown as Record<string, unknown> & { events: Array<Record<string, unknown>> };
  v1.schemaVersion = 1;
  delete v1.provenance;
  const usage = v1.usage as Record<string, unknown>;
  delete usage.source;
  usage.estimated = true;
  for (const event of v1.events) {
    if (event.kind === "tool_call") delete event.effectSource;
    if (event.kind === "llm_call") event.usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  }
  for (const tool of v1.tools as Array<Record<string, unknown>>) delete tool.effectSource;
  return v1;
}

describe("trajectory schema v2", () => {
  it("is what the runner writes: policy-model tokens marked estimated, effects from the tools' own definitions", async () => {
    const trajectory = await recorded();
    expect(trajectory.schemaVersion).toBe(2);
    expect(trajectory.provenance).toBeNull();
    expect(trajectory.usage.source).toBe("estimated");
    const calls = trajectory.events.filter((event) => event.kind === "tool_call");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect([call.effect, call.effectSource]).toEqual([expect.stringMatching(/^(read|write)$/), "source"]);
  });

  it("reads v1 lines, upgrading them: all-zero model-call counts become unknown, not zero", async () => {
    const v1 = asV1(await recorded());
    const parsed = TrajectorySchema.safeParse(v1);
    expect(parsed.success, parsed.success ? "" : parsed.error.message).toBe(true);
    const upgraded = parsed.data!;
    expect(upgraded.schemaVersion).toBe(2);
    expect(upgraded.provenance).toBeNull();
    expect(upgraded.usage.source).toBe("estimated");
    const call = upgraded.events.find((event) => event.kind === "llm_call")!;
    expect(call.kind === "llm_call" && call.usage).toEqual({ source: "unknown", inputTokens: null, outputTokens: null, totalTokens: null });
    const tool = upgraded.events.find((event) => event.kind === "tool_call")!;
    expect(tool.kind === "tool_call" && tool.effectSource).toBe("source");
    // The input is not changed in place.
    expect(v1.schemaVersion).toBe(1);
  });

  it("holds what a log lacks as null, and summaries and reports leave it out instead of counting zero", async () => {
    const known = await recorded();
    const bare: Trajectory = {
      ...known,
      id: "tr-bare",
      model: null,
      startedAt: null,
      endedAt: null,
      durationMs: null,
      usage: { source: "unknown", inputTokens: null, outputTokens: null, totalTokens: null, llmCalls: 0, toolCalls: 0 },
      events: known.events.map((event) => ({ ...event, startMs: null, durationMs: null })),
      environment: null,
      outcome: null,
      tools: null,
      task: null,
    };
    expect(TrajectorySchema.safeParse(bare).success).toBe(true);
    // null is explicit: leaving a field out is an error, so "not recorded" is never confused with "forgotten".
    const { environment: _dropped, ...withoutEnvironment } = bare;
    expect(TrajectorySchema.safeParse(withoutEnvironment).success).toBe(false);

    const summary = summarise("run", [known, bare], [], null);
    expect(summary.totalTokens).toBe(known.usage.totalTokens);
    expect(summary.tokensRecorded).toBe(1);
    expect(summary.durationMs).toBeNull();
    const bareRow = summary.rows.find((row) => row.model === null)!;
    expect(bareRow).toMatchObject({ meanTokens: null, meanDurationMs: null });
    const report = buildReport("run", [known, bare], []);
    expect(report.overall).toMatchObject({ tokensRecorded: 1, timedTrials: 1, meanLatencyMs: known.durationMs });
    expect(report.byModel.map((group) => group.group)).toEqual(["not recorded", "policy:reference"]);
    expect(buildReport("run", [bare], []).overall).toMatchObject({ meanTokens: null, meanLatencyMs: null, p95LatencyMs: null });
  });
});
