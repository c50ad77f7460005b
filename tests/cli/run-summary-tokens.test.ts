import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub.js";
import { tempFolder, trajlab } from "../support/cli.js";

/** The totals line of a run summary: "N trajectories · ... · <tokens> · <time>". */
const totals = (stdout: string): string => stdout.split("\n").find((line) => / trajectories · /.test(line)) ?? stdout;

describe("the run summary says where its token counts come from", () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub(() => ({ content: "Nothing to do." }));
  });
  afterAll(() => stub.close());
  const env = () => ({ OPENAI_BASE_URL: stub.baseURL, OPENAI_API_KEY: "sk-test" });

  it("a run on a real model counts the provider's tokens and calls none of them estimated", async () => {
    const result = await trajlab(["run", "-m", "openai:stub-model", "-s", "retail.where-is-my-order", "-q"], {
      cwd: await tempFolder(),
      env: env(),
    });
    expect(result.code).toBe(0);
    expect(totals(result.stdout)).toMatch(/ · [\d,]+ tokens · /);
    expect(result.stdout).not.toContain("estimated");
  });

  it("a run on policy models, alone or beside a real model, says their tokens are estimated", async () => {
    const policy = await trajlab(["run", "-p", "reference", "-s", "retail.where-is-my-order", "-q"], { cwd: await tempFolder() });
    expect(totals(policy.stdout)).toMatch(/ · [\d,]+ tokens \(estimated for policy models\) · /);
    const mixed = await trajlab(["run", "-p", "reference", "-m", "openai:stub-model", "-s", "retail.where-is-my-order", "-q"], {
      cwd: await tempFolder(),
      env: env(),
    });
    expect(totals(mixed.stdout)).toMatch(/ · [\d,]+ tokens \(estimated for policy models\) · /);
  });

  it("an imported run whose log has no token counts says they were not recorded", async () => {
    const cwd = await tempFolder();
    const conversation = {
      messages: [
        { role: "user", content: "Where is order 7?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "get_order", arguments: '{"id":"7"}' } }],
        },
        { role: "tool", tool_call_id: "c1", content: '{"status":"shipped"}' },
        { role: "assistant", content: "It shipped." },
      ],
    };
    await writeFile(join(cwd, "log.jsonl"), `${JSON.stringify(conversation)}\n`);
    const result = await trajlab(["import", "openai", "log.jsonl"], { cwd });
    expect(result.code).toBe(0);
    expect(totals(result.stdout)).toContain(" · tokens not recorded · ");
    expect(result.stdout).not.toContain("estimated");
  });
});
