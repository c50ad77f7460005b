import { beforeAll, describe, expect, it } from "vitest";
import type { RunDirectory } from "../../../harness/core.js";
import { REVIEW_EXPORT_KINDS, openReviewExport, type Provenance, type ReviewExportOptions } from "../../../reviews/index.js";
import { tempRunsDir } from "../fixtures.js";
import { writeExportRun } from "./fixture.js";

let run: RunDirectory;

beforeAll(async () => {
  run = await writeExportRun(await tempRunsDir());
});

type Row = Record<string, unknown> & { provenance: Provenance & { origin?: string } };

async function exported(kind: string, options: ReviewExportOptions = {}) {
  const source = await openReviewExport([run], options);
  const rows = [...source.records(REVIEW_EXPORT_KINDS.find((k) => k.id === kind)!)] as Row[];
  return { rows, summary: source.summary() };
}

const names = (messages: unknown) =>
  (messages as { role: string; tool_calls?: { function: { name: string } }[]; content?: string }[]).map((m) =>
    m.tool_calls ? `${m.role}:${m.tool_calls.map((c) => c.function.name).join("+")}` : m.role,
  );

describe("sft", () => {
  it("writes the conversations of trajectories reviewers passed with no flawed step, with provenance", async () => {
    const { rows, summary } = await exported("sft");
    expect(rows.map((r) => r.provenance.trajectoryId)).toEqual(["tr-good", "tr-trip"]);
    const [good] = rows;
    expect(names(good!.messages)).toEqual([
      "system",
      "user",
      "assistant:find_customer",
      "tool",
      "assistant:list_orders",
      "tool",
      "assistant:cancel_order",
      "tool",
      "assistant",
    ]);
    expect((good!.messages as unknown[])[2]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ type: "function", function: { name: "find_customer", arguments: { email: "ana@example.com" } } }],
    });
    expect((good!.messages as unknown[])[3]).toEqual({ role: "tool", name: "find_customer", content: '{"customerId":"C-1"}' });
    expect((good!.tools as { function: { name: string; parameters: object } }[])[0]).toEqual({
      type: "function",
      function: {
        name: "find_customer",
        description: "Find a customer by email.",
        parameters: { type: "object", properties: { email: { type: "string" } }, required: ["email"] },
      },
    });
    expect(good!.provenance).toMatchObject({
      kind: "sft",
      runId: "run-x",
      trajectoryId: "tr-good",
      scenarioId: "retail.cancel-order",
      reviewers: ["ana", "bo"],
      adjudicators: [],
      agreement: 1,
      weak: false,
    });
    expect(good!.provenance.eventIds).toEqual(["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"]);
    expect(good!.provenance.targets.map((t) => `${t.target}=${t.value}/${t.source}`)).toEqual([
      "plan=pass/unanimous",
      "step:e4=correct/unanimous",
      "step:e6=correct/unanimous",
      "step:e8=correct/unanimous",
    ]);
    // tr-waste passed, but the adjudicator settled its e6 as skippable; tr-wrong failed.
    expect(summary.skipped).toMatchObject({ "a step was judged flawed": 1, "plan failed": 1 });
  });

  it("filters by domain, scenario, reviewers, agreement and settlement", async () => {
    const ids = async (options: ReviewExportOptions) => (await exported("sft", options)).rows.map((r) => r.provenance.trajectoryId);
    expect(await ids({ domain: "travel" })).toEqual(["tr-trip"]);
    expect(await ids({ scenario: "retail.*" })).toEqual(["tr-good"]);
    // tr-trip was judged by ana alone: neither settled nor agreed on.
    expect(await ids({ settledOnly: true })).toEqual(["tr-good"]);
    expect(await ids({ minAgreement: 1 })).toEqual(["tr-good"]);
    const { summary } = await exported("sft", { minAgreement: 1 });
    expect(summary.leftOut["below-agreement"]).toBeGreaterThan(0);
    // Without the adjudicator, ana's and bo's verdicts on tr-waste e6 differ: disputed, so not flawed, and tr-waste passes.
    expect(await ids({ reviewers: new Set(["ana", "bo"]) })).toEqual(["tr-good", "tr-waste", "tr-trip"]);
  });
});

describe("openai-sft", () => {
  it("keeps flawed trajectories and weights their flawed turns 0", async () => {
    const { rows } = await exported("openai-sft");
    expect(rows.map((r) => r.provenance.trajectoryId)).toEqual(["tr-good", "tr-waste", "tr-trip"]);
    const waste = rows[1]!;
    const assistants = (
      waste.messages as { role: string; weight?: number; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[]
    ).filter((m) => m.role === "assistant");
    expect(assistants.map((m) => m.weight)).toEqual([1, 0, 1, 1, 1]);
    expect(assistants[0]!.tool_calls![0]).toEqual({
      id: "call_1",
      type: "function",
      function: { name: "find_customer", arguments: '{"email":"ana@example.com"}' },
    });
    expect(
      (waste.messages as { role: string; tool_call_id?: string }[]).filter((m) => m.role === "tool").map((m) => m.tool_call_id),
    ).toEqual(["call_1", "call_2", "call_3", "call_4"]);
    expect(waste.parallel_tool_calls).toBe(false);
    expect(waste.provenance.adjudicators).toEqual(["lead"]);
    expect(waste.provenance.targets.find((t) => t.target === "step:e6")).toMatchObject({
      value: "skippable",
      source: "settled",
      adjudicator: "lead",
    });
  });

  it("does not train on a turn the reviews dispute", async () => {
    // Without the adjudicator, ana (skippable) and bo (correct) dispute tr-waste e6.
    const { rows } = await exported("openai-sft", { reviewers: new Set(["ana", "bo"]) });
    const waste = rows.find((r) => r.provenance.trajectoryId === "tr-waste")!;
    expect((waste.messages as { role: string; weight?: number }[]).filter((m) => m.role === "assistant").map((m) => m.weight)).toEqual([
      1, 0, 1, 1, 1,
    ]);
    expect(waste.provenance.targets.some((t) => t.target === "step:e6")).toBe(false);
  });

  it("uses grader labels as weak labels only when asked, and marks them", async () => {
    expect((await exported("openai-sft")).rows.some((r) => r.provenance.trajectoryId === "tr-unreviewed")).toBe(false);
    const { rows } = await exported("openai-sft", { includeGraders: true });
    const weak = rows.find((r) => r.provenance.trajectoryId === "tr-unreviewed")!;
    expect(weak.provenance.weak).toBe(true);
    expect(weak.provenance.targets.find((t) => t.target === "plan")).toMatchObject({
      value: "pass",
      source: "grader",
      graders: [{ grader: "outcome", label: "pass" }],
    });
    expect(weak.provenance.targets.find((t) => t.target === "step:e6")).toMatchObject({
      value: "skippable",
      source: "grader",
      graders: [{ grader: "repeated-calls", label: "skippable" }],
    });
    expect((weak.messages as { role: string; weight?: number }[]).filter((m) => m.role === "assistant").map((m) => m.weight)).toEqual([
      1, 0, 1, 1, 1,
    ]);
    // Reviewed trajectories keep the reviews' values.
    expect(rows.find((r) => r.provenance.trajectoryId === "tr-good")!.provenance.weak).toBe(false);
  });
});

describe("dpo and openai-dpo", () => {
  it("turns a pair verdict into the shared prefix against the two continuations", async () => {
    const { rows } = await exported("dpo");
    const pair = rows.find((r) => r.provenance.origin === "pair")!;
    expect(pair.provenance).toMatchObject({
      trajectoryId: "tr-good",
      otherTrajectoryId: "tr-waste",
      reviewers: ["ana", "bo"],
      agreement: 1,
    });
    expect(names(pair.prompt)).toEqual(["system", "user", "assistant:find_customer", "tool"]);
    expect(names(pair.chosen)).toEqual(["assistant:list_orders", "tool", "assistant:cancel_order", "tool", "assistant"]);
    expect(names(pair.rejected)).toEqual([
      "assistant:find_customer",
      "tool",
      "assistant:list_orders",
      "tool",
      "assistant:cancel_order",
      "tool",
      "assistant",
    ]);
  });

  it("turns step corrections into the turn as it should have been", async () => {
    const { rows } = await exported("dpo");
    const corrections = rows.filter((r) => r.provenance.origin === "correction");
    expect(corrections.map((r) => [r.provenance.trajectoryId, r.provenance.targets.map((t) => t.target)])).toEqual([
      ["tr-waste", ["step:e6"]],
      ["tr-wrong", ["step:e6"]],
    ]);
    const [skip, wrong] = corrections;
    // Skippable: straight on to the next needed step.
    expect(names(skip!.prompt)).toEqual(["system", "user", "assistant:find_customer", "tool"]);
    expect(names(skip!.rejected)).toEqual(["assistant:find_customer"]);
    expect(names(skip!.chosen)).toEqual(["assistant:list_orders"]);
    // Wrong arguments: the call the reviewer said it should have made.
    expect((wrong!.chosen as unknown[])[0]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ type: "function", function: { name: "list_orders", arguments: { customerId: "C-1" } } }],
    });
    expect(names(wrong!.rejected)).toEqual(["assistant:get_order"]);
  });

  it("writes OpenAI's preference format with one assistant message on each side", async () => {
    const { rows } = await exported("openai-dpo");
    expect(rows).toHaveLength(3);
    const pair = rows.find((r) => r.provenance.origin === "pair")!;
    const input = pair.input as { messages: { role: string }[]; tools: unknown[]; parallel_tool_calls: boolean };
    expect(input.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(input.tools).toHaveLength(5);
    expect(pair.preferred_output).toEqual([
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "call_2", type: "function", function: { name: "list_orders", arguments: '{"customerId":"C-1"}' } }],
      },
    ]);
    expect(pair.non_preferred_output).toEqual([
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "call_2", type: "function", function: { name: "find_customer", arguments: '{"email":"ana@example.com"}' } }],
      },
    ]);
  });
});

describe("kto, prm and prm-ratings", () => {
  it("labels each judged assistant turn", async () => {
    const { rows } = await exported("kto");
    const labels = rows.map((r) => `${r.provenance.trajectoryId}:${r.provenance.targets.map((t) => t.target).join("+")}=${r.label}`);
    expect(labels).toEqual([
      "tr-good:step:e4=true",
      "tr-good:step:e6=true",
      "tr-good:step:e8=true",
      "tr-waste:step:e4=true",
      "tr-waste:step:e6=false",
      "tr-waste:step:e8=true",
      "tr-waste:step:e10=true",
      "tr-wrong:step:e4=true",
      "tr-wrong:step:e6=false",
      "tr-wrong:step:e8=true",
      "tr-trip:step:e4=true",
    ]);
    const waste = rows[4]!;
    expect(names(waste.prompt)).toEqual(["system", "user", "assistant:find_customer", "tool"]);
    expect(names(waste.completion)).toEqual(["assistant:find_customer"]);
  });

  it("writes each trajectory's steps as text with a label each, the answer judged by the plan", async () => {
    const { rows } = await exported("prm");
    const byId = new Map(rows.map((r) => [r.provenance.trajectoryId, r]));
    expect(byId.get("tr-waste")!.labels).toEqual([true, false, true, true, true]);
    expect(byId.get("tr-wrong")!.labels).toEqual([true, false, true, false]);
    const good = byId.get("tr-good")!;
    expect(good.prompt).toBe("System: You are a support agent.\n\nUser: Cancel my order, I'm ana@example.com");
    expect((good.completions as string[])[0]).toBe('Call find_customer {"email":"ana@example.com"}\nResult: {"customerId":"C-1"}');
    expect((good.completions as string[]).at(-1)).toBe("Assistant: Your order is on its way.");
  });

  it("rates steps PRM800K's way with the reviewers' reasons and corrections", async () => {
    const { rows } = await exported("prm-ratings");
    const byId = new Map(
      rows.map((r) => [
        r.provenance.trajectoryId,
        r as Row & {
          label: {
            steps: { completions: { rating: number; reason: string | null }[]; human_completion: string | null }[];
            finish_reason: string | null;
          };
        },
      ]),
    );
    const waste = byId.get("tr-waste")!;
    expect(waste.label.steps.map((s) => s.completions[0]!.rating)).toEqual([1, 0, 1, 1, 1]);
    expect(waste.label.steps[1]!.completions[0]!.reason).toBe("settled: the second lookup repeats e4");
    expect(waste.label.finish_reason).toBe("solution");
    const wrong = byId.get("tr-wrong")!;
    expect(wrong.label.steps.map((s) => s.completions[0]!.rating)).toEqual([1, -1, 1, -1]);
    expect(wrong.label.steps[1]!.human_completion).toBe('list_orders {"customerId": "C-1"}');
    expect(wrong.label.steps[1]!.completions[0]!.reason).toBe("looked the customer id up as an order");
    expect(wrong.label.finish_reason).toBe("found_error");
  });
});
