import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROMPTS_DIR, llmJudgeGrader, loadJudgePrompts, type GradedResult } from "../../../harness/index.js";
import { startOpenAIStub, stubText, type OpenAIStub, type StubRequest } from "../../support/openai-stub.js";
import { buildTrajectory } from "./support/build-trajectory.js";

const trajectory = buildTrajectory(
  [
    { call: "find", args: { email: "a@x" }, result: { id: "C-1" } },
    { call: "find", args: { email: "a@x" }, result: { id: "C-1" } },
    { call: "cancel", args: { id: "C-1" }, effect: "write", result: { ok: true } },
  ],
  {
    task: "cancel my order",
    answer: "Cancelled.",
    reference: [
      { name: "find", args: { email: "a@x" } },
      { name: "cancel", args: { id: "C-1" } },
    ],
  },
);

/** Judges by model name: "strict" calls the repeat skippable, "lenient" calls everything ok, "broken" replies prose. */
function reply(request: StubRequest) {
  const user = stubText(request.messages.at(-1)!);
  const steps = [...user.matchAll(/^\[(e\d+)\] tool call/gm)].map((m) => m[1]!);
  if (request.model === "broken") return { content: "I think it went fine." };
  const verdict = (id: string) => (request.model === "strict" && id === "e5" ? "skippable" : "ok");
  const judgement = {
    plan: { score: request.model === "strict" ? 3 : 5, reason: `${request.model} view` },
    steps: steps.map((eventId) => ({ eventId, verdict: verdict(eventId), reason: `${eventId} looks ${verdict(eventId)}` })),
  };
  return { content: `\`\`\`json\n${JSON.stringify(judgement)}\n\`\`\`` };
}

describe("LLM judge against an OpenAI-compatible server on 127.0.0.1", () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub(reply);
  });
  afterAll(async () => {
    await stub.close();
  });
  const env = () => ({ OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "test" });

  it("sends the trajectory with its steps and reference, and reads the plan score and step verdicts", async () => {
    const grader = llmJudgeGrader({ models: ["openai:strict"], env: env() });
    const result = (await grader.grade(trajectory, undefined)) as GradedResult;
    expect(result.score).toBe(0.5);
    expect(result.pass).toBe(true);
    expect(result.steps).toEqual([
      { eventId: "e5", label: "skippable", reason: "1 of 1 judge(s): openai:strict (skippable): e5 looks skippable" },
    ]);
    const sent = stub.requests.at(-1)!;
    expect(sent.messages[0]!.role).toBe("system");
    const prompt = stubText(sent.messages[1]!);
    expect(prompt).toContain("cancel my order");
    expect(prompt).toContain('1. find {"email":"a@x"}');
    expect(prompt).toContain('[e7] tool call: cancel {"id":"C-1"} -> {"ok":true}');
  });

  it("aggregates several judges by majority and mean, leaving out a judge whose reply cannot be read", async () => {
    const grader = llmJudgeGrader({ models: ["openai:strict", "openai:lenient", "openai:broken"], env: env() });
    const result = (await grader.grade(trajectory, undefined)) as GradedResult;
    expect(result.score).toBeCloseTo(0.75);
    // One of two usable judges is not a majority.
    expect(result.steps).toEqual([]);
    expect(result.comment).toContain("from 2 judge(s)");
    expect(result.comment).toContain("left out: openai:broken: no JSON object in the reply");
    const two = (await llmJudgeGrader({ models: ["openai:strict", "openai:strict"], env: env() }).grade(
      trajectory,
      undefined,
    )) as GradedResult;
    expect(two.steps.map((s) => s.eventId)).toEqual(["e5"]);
  });

  it("reads prompts from files users can change, and checks their placeholders", async () => {
    const dir = mkdtempSync(join(tmpdir(), "judge-prompts-"));
    writeFileSync(join(dir, "system.md"), readFileSync(join(DEFAULT_PROMPTS_DIR, "system.md"), "utf8"));
    writeFileSync(join(dir, "trajectory.md"), "TASK={{task}}\n{{transcript}}\nSTEPS:\n{{steps}}");
    await llmJudgeGrader({ models: ["openai:lenient"], env: env(), promptsDir: dir }).grade(trajectory, undefined);
    expect(stubText(stub.requests.at(-1)!.messages[1]!)).toMatch(/^TASK=cancel my order\n/);
    writeFileSync(join(dir, "trajectory.md"), "{{task}} {{secret}}");
    expect(() => loadJudgePrompts(dir)).toThrow(/unknown placeholder\(s\) \{\{secret\}\}/);
  });

  it("refuses offline policies as judges", () => {
    expect(() => llmJudgeGrader({ models: ["policy:reference"] })).toThrow(/cannot read a trajectory/);
  });
});
