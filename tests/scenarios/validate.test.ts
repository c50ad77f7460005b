import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEnvironment, defineScenario, defineTeam, defineTool, defineUser, validateScenarios } from "../../scenarios/index.js";

const counter = defineEnvironment<{ count: number }>({
  id: "counter",
  description: "a counter",
  instructions: "count",
  initialState: { count: 0 },
  tools: [
    defineTool({
      name: "get_count",
      description: "read",
      args: z.object({}),
      effect: "read",
      run: (_a, s: { count: number }) => ({ count: s.count }),
    }),
    defineTool({
      name: "add",
      description: "add",
      args: z.object({ by: z.number().int().positive() }),
      effect: "write",
      run: ({ by }, s: { count: number }) => {
        s.count += by;
        return { count: s.count };
      },
    }),
  ],
});

const good = defineScenario({
  id: "counter.add-two",
  title: "add two",
  environment: counter,
  task: "add 2",
  reference: { calls: [{ tool: "add", args: { by: 2 } }], answer: "The count is 2." },
  distractors: [{ tool: "get_count", args: {} }],
  expect: { answerIncludes: ["2"] },
});

describe("validateScenarios", () => {
  it("accepts a sound scenario", () => {
    expect(validateScenarios([good])).toEqual([]);
  });

  it("names the file and line, the field, the problem and the fix", () => {
    const broken = defineScenario({
      ...good,
      id: "counter.typo",
      source: undefined,
      reference: { calls: [{ tool: "ad", args: { by: 2 } }], answer: "x" },
    } as never);
    const [problem] = validateScenarios([broken]);
    expect(problem).toMatchObject({ scenarioId: "counter.typo", field: "reference.calls[0]" });
    expect(problem!.source).toMatch(/^tests\/scenarios\/validate\.test\.ts:\d+$/);
    expect(problem!.message).toContain('tool "ad" is not defined');
    expect(problem!.fix).toContain("get_count, add");
  });

  it("reports arguments that fail the schema, answers that miss facts, write distractors and duplicate ids", () => {
    const badArgs = defineScenario({
      id: "counter.bad-args",
      title: "t",
      environment: counter,
      task: "t",
      reference: { calls: [{ tool: "add", args: { by: -1 } }], answer: "ok" },
      distractors: [{ tool: "get_count", args: {} }],
    });
    const missingFact = defineScenario({
      id: "counter.missing-fact",
      title: "t",
      environment: counter,
      task: "t",
      reference: { calls: [{ tool: "add", args: { by: 1 } }], answer: "done" },
      expect: { answerIncludes: ["1"] },
    });
    const writeDistractor = defineScenario({
      id: "counter.write-distractor",
      title: "t",
      environment: counter,
      task: "t",
      reference: { calls: [{ tool: "get_count", args: {} }], answer: "0" },
      distractors: [{ tool: "add", args: { by: 1 } }],
    });
    const problems = validateScenarios([badArgs, missingFact, writeDistractor, good, good]);
    const byScenario = (id: string) => problems.filter((p) => p.scenarioId === id);
    expect(byScenario("counter.bad-args")[0]).toMatchObject({
      field: "reference.calls[0]",
      fix: "make the arguments of add match its schema",
    });
    expect(byScenario("counter.bad-args")[0]!.message).toMatch(/too small|>0/);
    expect(byScenario("counter.missing-fact")[0]).toMatchObject({ field: "expect (answer)" });
    expect(byScenario("counter.missing-fact")[0]!.message).toContain('lacks: "1"');
    expect(byScenario("counter.write-distractor")[0]).toMatchObject({ field: "distractors[0]" });
    expect(byScenario("counter.add-two")).toEqual([expect.objectContaining({ field: "id" })]);
  });

  it("reports questions without a simulated user, questions the user cannot answer, and handoffs the team does not allow", () => {
    const noUser = defineScenario({
      id: "counter.no-user",
      title: "t",
      environment: counter,
      task: "t",
      reference: { calls: [{ ask: "How many?" }, { tool: "add", args: { by: 1 } }], answer: "1" },
    });
    const mute = defineScenario({
      id: "counter.mute-user",
      title: "t",
      environment: counter,
      task: "t",
      user: defineUser({ persona: "p", knows: [{ cues: ["amount"], says: "3" }] }),
      reference: { calls: [{ ask: "What colour?" }, { tool: "add", args: { by: 3 } }], answer: "3" },
    });
    const team = defineTeam(counter, {
      instructions: "route",
      members: [
        { name: "reader", description: "reads", tools: ["get_count"] },
        { name: "writer", description: "writes", tools: ["add"] },
      ],
    });
    const badHandoff = defineScenario({
      id: "counter.bad-handoff",
      title: "t",
      environment: counter,
      task: "t",
      team,
      reference: {
        calls: [
          { agent: "reader", tool: "get_count", args: {} },
          { agent: "reader", tool: "transfer_to_writer", args: {} },
          { agent: "writer", tool: "add", args: { by: 1 } },
        ],
        answer: "1",
      },
    });
    const problems = validateScenarios([noUser, mute, badHandoff]);
    expect(problems.find((p) => p.scenarioId === "counter.no-user")?.message).toContain("no simulated user");
    expect(problems.find((p) => p.scenarioId === "counter.mute-user")?.message).toContain("does not answer");
    expect(problems.find((p) => p.scenarioId === "counter.bad-handoff")).toMatchObject({ field: "reference.calls[1]" });
    expect(problems.find((p) => p.scenarioId === "counter.bad-handoff")!.message).toContain('"reader" cannot transfer to "writer"');
  });

  it("rejects teams that name unknown tools or members", () => {
    expect(() => defineTeam(counter, { instructions: "x", members: [{ name: "a", description: "a", tools: ["nope"] }] })).toThrow(
      /unknown tool/,
    );
    expect(() =>
      defineTeam(counter, { instructions: "x", members: [{ name: "a", description: "a", tools: [], handoffs: ["b"] }] }),
    ).toThrow(/not another member/);
    expect(() => defineTeam(counter, { instructions: "x", members: [{ name: "supervisor", description: "a", tools: [] }] })).toThrow(
      /supervisor/,
    );
  });
});
