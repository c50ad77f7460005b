import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../cli/catalog.js";
import { loadConfig } from "../../harness/config.js";
import { tempFolder, trajlab } from "../support/cli.js";
import { projectWith } from "../support/project.js";

const brokenScenarios = `import { z } from "zod";
import { defineEnvironment, defineScenario, defineTool } from "trajlab";

const env = defineEnvironment({
  id: "counter",
  description: "a counter",
  instructions: "count",
  initialState: { count: 0 },
  tools: [defineTool({ name: "add", description: "add", args: z.object({ by: z.number() }), effect: "write", run: ({ by }, s: { count: number }) => ({ count: (s.count += by) }) })],
});

export const typo = defineScenario({
  id: "counter.typo",
  title: "a typo in a tool name",
  environment: env,
  task: "add 2",
  reference: { calls: [{ tool: "ad", args: { by: 2 } }], answer: "2" },
});

export const clash = defineScenario({
  id: "retail.cancel-pending-order",
  title: "an id the built-ins already use",
  environment: env,
  task: "add 1",
  reference: { calls: [{ tool: "add", args: { by: 1 } }], answer: "1" },
});
`;

describe("trajlab list and check", () => {
  it("list scenarios --json gives id, domain, multiAgent and tags for at least 40 scenarios in 5 domains, 8 multi-agent", async () => {
    const result = await trajlab(["list", "scenarios", "--json"], { cwd: await tempFolder() });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{
      id: string;
      domain: string;
      multiAgent: boolean;
      multiTurn: boolean;
      tags: string[];
    }>;
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((r) => r.domain)).size).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.multiAgent).length).toBeGreaterThanOrEqual(8);
    for (const row of rows)
      expect(row).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          domain: expect.any(String),
          multiAgent: expect.any(Boolean),
          tags: expect.any(Array),
        }),
      );
    expect(rows.some((r) => r.multiTurn)).toBe(true);
  });

  it("check reports each problem with its file and line and a fix, and exits 2", async () => {
    const dir = await projectWith({
      "trajlab.config.ts": `import { defineConfig } from "trajlab";\nexport default defineConfig({ scenarioDirs: ["./evals"] });\n`,
      "evals/index.ts": brokenScenarios,
    });
    const result = await trajlab(["check", "--domain", "counter", "--domain", "retail"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /evals\/index\.ts:12 {2}counter\.typo {2}reference\.calls\[0\]\n {2}problem: tool "ad" is not defined in environment "counter"\n {2}fix: use one of: add/,
    );
    expect(result.stdout).toMatch(
      /evals\/index\.ts:20 {2}retail\.cancel-pending-order {2}id\n {2}problem: id "retail.cancel-pending-order" is also used by the scenario at \S*scenarios\/retail\/scenarios\.[jt]s:\d+/,
    );
    expect(result.stderr).toContain("scenario problem(s)");
    // Other commands refuse a catalog with clashing ids, naming the config.
    const list = await trajlab(["list", "scenarios"], { cwd: dir });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('trajlab.config.ts: scenario id "retail.cancel-pending-order" is registered twice');
  });
});

describe("loading trajlab.config.ts", () => {
  const failure = async (files: Record<string, string>) => {
    const dir = await tempFolder("trajlab-bad-config-");
    const { writeFile, mkdir } = await import("node:fs/promises");
    const { join, dirname } = await import("node:path");
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    await writeFile(join(dir, "package.json"), '{ "type": "module" }');
    return loadCatalog({ cwd: dir }).then(
      () => null,
      (error: Error & { code?: string; hint?: string }) => ({ message: error.message, hint: error.hint ?? "", code: error.code }),
    );
  };

  it("names the file and what is wrong", async () => {
    expect(await failure({ "trajlab.config.ts": "export default {" })).toMatchObject({
      code: "CONFIG_LOAD",
      message: expect.stringContaining("trajlab.config.ts could not be loaded"),
    });
    expect(await failure({ "trajlab.config.ts": "export const nothing = 1;" })).toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringMatching(/trajlab\.config\.ts exports no configuration$/),
    });
    expect(await failure({ "trajlab.config.ts": "export default { agent: [] };" })).toMatchObject({
      message: expect.stringContaining("unknown field(s) agent"),
    });
    expect(await failure({ "trajlab.config.ts": 'export default { agents: [{ id: "mine" }] };' })).toMatchObject({
      message: expect.stringContaining("trajlab.config.ts: agents[0] is not an agent builder"),
    });
    expect(await failure({ "trajlab.config.ts": 'export default { agents: [{ id: "react", build: () => null }] };' })).toMatchObject({
      code: "DUPLICATE_ID",
      message: expect.stringContaining('agent id "react" is registered twice'),
    });
    expect(await failure({ "trajlab.config.ts": 'export default { scenarioDirs: ["./nowhere"] };' })).toMatchObject({
      message: expect.stringContaining("scenarioDirs[0] (./nowhere): no such folder"),
    });
    expect(
      await failure({ "trajlab.config.ts": 'export default { scenarioDirs: ["./empty"] };', "empty/index.ts": "export const x = 1;" }),
    ).toMatchObject({ message: expect.stringContaining("no scenario is exported from index.ts") });
    expect(await failure({ "trajlab.config.ts": 'export default { policies: [{ id: "p" }] };' })).toMatchObject({
      message: expect.stringContaining("policies[0] is not a policy"),
    });
    expect(await failure({ "trajlab.config.ts": 'export default { graders: [{ id: "g" }] };' })).toMatchObject({
      message: expect.stringContaining("graders[0] is not a grader"),
    });
  });

  it("reports a missing --config file", async () => {
    const dir = await tempFolder();
    await expect(loadCatalog({ cwd: dir, configFile: "elsewhere.ts" })).rejects.toThrow(/config file elsewhere\.ts does not exist/);
  });

  it("finds no config in a plain folder and keeps the built-ins", async () => {
    const catalog = await loadCatalog({ cwd: await tempFolder() });
    expect(catalog.configFile).toBeNull();
    expect(catalog.agents.map((a) => a.id)).toEqual(["react", "plan-execute", "supervisor"]);
    expect(catalog.policies.map((p) => p.id)).toEqual(["reference", "wasteful", "faulty"]);
    await expect(loadConfig("/nonexistent/trajlab.config.ts")).rejects.toThrow(/could not be loaded/);
  });
});
