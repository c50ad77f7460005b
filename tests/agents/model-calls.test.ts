import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backoffMs, retryAfterMs } from "../../agents/model-calls/retry.js";
import { builtinAgents, configureModelCalls, costOf, type ModelCallSettings } from "../../agents/index.js";
import { runTrial, type LlmCallEvent, type Trajectory } from "../../harness/index.js";
import { builtinPolicies, builtinScenarios } from "../../scenarios/index.js";
import { startOpenAIStub, type OpenAIStub, type StubReply } from "../support/openai-stub.js";
import { afterFailures, solveWhereIsMyOrder } from "../support/scripted-replies.js";
import { tempFolder } from "../support/cli.js";
import { eventually } from "../reviews/render.js";

/**
 * Calls to real models, against an OpenAI-compatible stub on 127.0.0.1 that
 * fails the way busy providers do: retried with backoff on 429, 5xx, timeouts
 * and dropped connections (honouring Retry-After), not on other errors; each
 * attempt recorded on the model call; a per-provider limit on calls in
 * flight; the cost of every call from the price table.
 */

const scenario = builtinScenarios().find((candidate) => candidate.id === "retail.where-is-my-order")!;
const react = builtinAgents.find((agent) => agent.id === "react")!;
let stub: OpenAIStub;
let replies: (request: Parameters<typeof solveWhereIsMyOrder>[0]) => StubReply = solveWhereIsMyOrder;

/** Fast settings for tests: short backoff, no cache unless asked for. */
function settings(overrides: Partial<ModelCallSettings> = {}): void {
  configureModelCalls({ baseDelayMs: 20, maxDelayMs: 2000, random: () => 0.5, ...overrides });
}

async function trial(model = "openai:stub-model", seed = 0): Promise<Trajectory> {
  return runTrial({ runId: "run", scenario, agent: react, model, trial: seed, seed, timeoutMs: 60_000, policies: builtinPolicies });
}

const llmCalls = (trajectory: Trajectory): LlmCallEvent[] =>
  trajectory.events.filter((event): event is LlmCallEvent => event.kind === "llm_call");

beforeAll(async () => {
  stub = await startOpenAIStub((request) => replies(request));
  process.env.OPENAI_BASE_URL = stub.baseURL;
  process.env.OPENAI_API_KEY = "";
});
afterAll(() => stub.close());
afterEach(() => {
  replies = solveWhereIsMyOrder;
  configureModelCalls({});
});

describe("retries", () => {
  it("retries 429, 500, 503 and a dropped connection, honours Retry-After, and records every attempt on the call", async () => {
    settings();
    replies = afterFailures(
      [{ fail: { status: 429, retryAfter: "1" } }, { fail: { status: 500 } }, { reset: true }, { fail: { status: 503, retryAfter: "0" } }],
      solveWhereIsMyOrder,
    );
    const started = performance.now();
    const trajectory = await trial();
    expect(trajectory.outcome?.pass).toBe(true);
    const first = llmCalls(trajectory)[0]!;
    expect(first.error).toBeNull();
    expect(first.transport).toMatchObject({ attempts: 5, cached: false });
    const retries = first.transport!.retries;
    expect(retries.map((retry) => retry.error)).toEqual([
      expect.stringContaining("429"),
      expect.stringContaining("500"),
      expect.stringMatching(/connection/i),
      expect.stringContaining("503"),
    ]);
    // Retry-After: 1 → one second; no header → backoff doubling from 20 ms (retries 2 and 3: 40 and 80, half fixed and half jitter); Retry-After: 0 → none.
    expect(retries.map((retry) => retry.waitMs)).toEqual([1000, 30, 60, 0]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(
      llmCalls(trajectory)
        .slice(1)
        .every((call) => call.transport?.attempts === 1),
    ).toBe(true);
  });

  it("retries an attempt that runs over its time limit", async () => {
    settings({ callTimeoutMs: 300 });
    replies = afterFailures([{ delayMs: 2000, content: "too late" }], solveWhereIsMyOrder);
    const trajectory = await trial();
    expect(trajectory.outcome?.pass).toBe(true);
    expect(llmCalls(trajectory)[0]!.transport!.retries).toEqual([{ error: "the model call timed out after 300 ms", waitMs: 15 }]);
  });

  it("does not retry an error that would fail again (400), and gives up after the last retry", async () => {
    settings({ maxRetries: 2 });
    replies = () => ({ fail: { status: 400, message: "bad request" } });
    const requests = stub.requests.length;
    const bad = await trial();
    expect(bad.termination.reason).toBe("error");
    expect(stub.requests.length - requests).toBe(1);
    replies = () => ({ fail: { status: 429, retryAfter: "0" } });
    const busy = await trial();
    expect(busy.termination.reason).toBe("error");
    expect(stub.requests.length - requests).toBe(1 + 3);
    const failed = llmCalls(busy)[0]!;
    expect(failed.error).toContain("429");
    // Every attempt is on the failed call: three, the first two retried.
    expect(failed.transport).toMatchObject({ attempts: 3, cached: false });
    expect(failed.transport!.retries).toHaveLength(2);
    expect(llmCalls(bad)[0]!.transport).toEqual({ attempts: 1, retries: [], cached: false });
  });

  it("reads Retry-After as seconds, an HTTP date or retry-after-ms, and caps it", () => {
    const headers = (values: Record<string, string>) => ({ headers: new Headers(values) });
    expect(retryAfterMs(headers({ "retry-after": "2.5" }))).toBe(2500);
    expect(retryAfterMs(headers({ "retry-after": new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(headers({ "retry-after-ms": "120" }))).toBe(120);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    const policy = { baseDelayMs: 100, maxDelayMs: 5000, random: () => 1 };
    expect(backoffMs(1, headers({ "retry-after": "3600" }), policy)).toBe(5000);
    expect([1, 2, 3, 4, 10].map((attempt) => backoffMs(attempt, new Error("x"), policy))).toEqual([100, 200, 400, 800, 5000]);
    expect(backoffMs(3, new Error("x"), { ...policy, random: () => 0 })).toBe(200);
  });
});

describe("limits and costs", () => {
  it("keeps calls to one provider within its limit, however many trials run at once", async () => {
    settings({ providerConcurrency: { default: 16, openai: 2 } });
    replies = (request) => ({ ...solveWhereIsMyOrder(request), delayMs: 60 });
    // An attempt an earlier test gave up on may still be in the stub: wait for it to end.
    await eventually(
      () => stub.inFlight === 0,
      () => "the stub to be idle",
      10_000,
    );
    stub.resetMaxInFlight();
    await Promise.all([0, 1, 2, 3, 4, 5].map((seed) => trial("openai:stub-model", seed)));
    expect(stub.maxInFlight).toBe(2);
  });

  it("prices each call from the table, a user's price before the built-in one, and null for a model without one", async () => {
    settings({ prices: { "stub-model": { inputPerMTok: 1, outputPerMTok: 2 } } });
    const priced = llmCalls(await trial("openai:stub-model"));
    for (const call of priced) {
      expect(call.costUsd).toBeCloseTo((call.usage.inputTokens! * 1 + call.usage.outputTokens! * 2) / 1e6, 12);
    }
    const known = llmCalls(await trial("openai:gpt-4o-mini"));
    expect(known[0]!.costUsd).toBeCloseTo((known[0]!.usage.inputTokens! * 0.15 + known[0]!.usage.outputTokens! * 0.6) / 1e6, 12);
    settings();
    expect(llmCalls(await trial("openai:stub-model"))[0]!.costUsd).toBeNull();
    expect(costOf("openai:gpt-4o", { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 500_000 })).toBe(1.875);
  });
});

describe("the model-call cache", () => {
  it("answers an unchanged call from the cache, keys repeated trials apart, and keeps what the call would cost", async () => {
    settings({ cacheDir: await tempFolder("trajlab-cache-"), prices: { "stub-model": { inputPerMTok: 1, outputPerMTok: 1 } } });
    const requests = stub.requests.length;
    const first = await trial("openai:stub-model", 0);
    const again = await trial("openai:stub-model", 0);
    const repeated = await trial("openai:stub-model", 1);
    expect(stub.requests.length - requests).toBe(2 * llmCalls(first).length);
    expect(llmCalls(again).every((call) => call.transport?.cached === true && call.transport.attempts === 0)).toBe(true);
    expect(llmCalls(repeated).every((call) => call.transport?.cached === false)).toBe(true);
    const strip = (trajectory: Trajectory) =>
      llmCalls(trajectory).map(({ output, usage, costUsd, inputEventIds }) => ({ output, usage, costUsd, inputEventIds }));
    expect(strip(again)).toEqual(strip(first));
    expect(again.finalAnswer).toBe(first.finalAnswer);
  });
});
