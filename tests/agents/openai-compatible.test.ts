import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, stubText, type OpenAIStub } from "../support/openai-stub.js";
import { solveWhereIsMyOrder } from "../support/scripted-replies.js";
import { tempFolder, trajlab } from "../support/cli.js";

describe("--model with an OpenAI-compatible server on 127.0.0.1", () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub(solveWhereIsMyOrder);
  });
  afterAll(() => stub.close());

  it("runs a scenario on the model through initChatModel and records its calls and reported usage", async () => {
    const cwd = await tempFolder();
    const result = await trajlab(["run", "-m", "openai:stub-model", "-s", "retail.where-is-my-order", "-q"], {
      cwd,
      env: { OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "" },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/retail\.where-is-my-order\s+react\s+openai:stub-model\s+1\/1 pass/);

    expect(stub.requests).toHaveLength(4);
    expect(stub.requests[0]!.model).toBe("stub-model");
    expect(stub.requests[0]!.tools?.map((t) => t.function.name)).toContain("track_shipment");
    expect(stubText(stub.requests[0]!.messages[0]!)).toContain("customer-support agent");

    // runs/ also holds the model-call cache (.cache), which is not a run.
    const runDir = join(
      cwd,
      "runs",
      readdirSync(join(cwd, "runs")).find((name) => !name.startsWith("."))!,
    );
    const trajectory = JSON.parse((await readFile(join(runDir, "trajectories.jsonl"), "utf8")).trim());
    expect(trajectory.model).toBe("openai:stub-model");
    expect(trajectory.outcome.pass).toBe(true);
    expect(trajectory.usage.estimated).toBeUndefined();
    const llmCalls = trajectory.events.filter((e: { kind: string }) => e.kind === "llm_call");
    expect(llmCalls).toHaveLength(4);
    expect(llmCalls[0].usage.totalTokens).toBeGreaterThan(0);
    expect(llmCalls[0].model).toBe("stub-model");
    const calls = trajectory.events.filter((e: { kind: string }) => e.kind === "tool_call");
    expect(calls.map((c: { name: string; toolCallId: string }) => c.name)).toEqual(["find_customer", "list_orders", "track_shipment"]);
    expect(calls[1].args).toEqual({ customerId: "C-200" });
    expect(calls[0].toolCallId).toMatch(/^call_stub_/);
  });
});
