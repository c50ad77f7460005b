import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { reactAgent } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios } from "../../scenarios/index.js";
import { TrajectorySchema, parseJsonl, runTrial, stripGroundTruth, trajectoryJsonSchema, TrajlabError } from "../../harness/index.js";

async function sample() {
  const scenario = builtinScenarios().find((s) => s.id === "retail.return-damaged-mug")!;
  return runTrial({
    runId: "schema-test",
    scenario,
    agent: reactAgent,
    model: "policy:wasteful",
    trial: 0,
    seed: 1,
    timeoutMs: 20_000,
    policies: builtinPolicies,
  });
}

describe("trajectory schema v1", () => {
  it("accepts recorded trajectories, and the published JSON Schema agrees with the zod schema", async () => {
    const trajectory = await sample();
    expect(TrajectorySchema.safeParse(trajectory).success).toBe(true);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(trajectoryJsonSchema());
    expect(validate(JSON.parse(JSON.stringify(trajectory))), JSON.stringify(validate.errors)).toBe(true);

    const broken = JSON.parse(JSON.stringify(trajectory));
    broken.events[3].kind = "telepathy";
    expect(validate(broken)).toBe(false);
    expect(TrajectorySchema.safeParse(broken).success).toBe(false);
  });

  it("requires what ARCHITECTURE lists: termination reasons, event fields, outcome", async () => {
    const trajectory = await sample();
    const schema = trajectoryJsonSchema() as {
      properties: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
      required: string[];
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(["id", "runId", "scenarioId", "termination", "usage", "events", "finalAnswer", "environment", "outcome"]),
    );
    expect(schema.properties.termination!.properties!.reason!.enum).toEqual(["completed", "max_steps", "timeout", "error"]);
    const withoutDuration = structuredClone(trajectory) as { events: Array<Record<string, unknown>> };
    delete withoutDuration.events.find((e) => e.kind === "tool_call")!.durationMs;
    expect(TrajectorySchema.safeParse(withoutDuration).success).toBe(false);
  });

  it("reports bad lines with file, line and field", async () => {
    const good = JSON.stringify(await sample());
    const bad = JSON.parse(good);
    bad.events[1].startMs = "soon";
    const text = `${good}\n${JSON.stringify(bad)}\n`;
    let error: unknown;
    try {
      parseJsonl(text, "runs/x/trajectories.jsonl", TrajectorySchema);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrajlabError);
    expect((error as Error).message).toMatch(/^runs\/x\/trajectories\.jsonl:2: events\[1\]\.startMs: /);
  });

  it("skips a torn last line (a crash mid-write) with a warning instead of failing", async () => {
    const good = JSON.stringify(await sample());
    const skipped: number[] = [];
    const values = parseJsonl(`${good}\n${good.slice(0, 200)}`, "t.jsonl", TrajectorySchema, { onSkip: (p) => skipped.push(p.line) });
    expect(values).toHaveLength(1);
    expect(skipped).toEqual([2]);
    expect(() => parseJsonl(`${good.slice(0, 200)}\n${good}\n`, "t.jsonl", TrajectorySchema)).toThrow(/t\.jsonl:1: not valid JSON/);
  });

  it("hides injected-fault ground truth from graders", async () => {
    const trajectory = await sample();
    expect(trajectory.groundTruth?.faults.length).toBeGreaterThan(0);
    expect("groundTruth" in stripGroundTruth(trajectory)).toBe(false);
  });
});
