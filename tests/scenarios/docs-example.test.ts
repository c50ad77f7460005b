import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trajlab } from "../support/cli.js";
import { projectWith, ROOT } from "./project.js";

/** The files of one config example in docs/scenarios.md: fenced blocks whose info string is `ts <example>:<file>`. */
async function exampleFiles(example: string): Promise<Map<string, string>> {
  const doc = await readFile(join(ROOT, "docs/scenarios.md"), "utf8");
  const files = new Map<string, string>();
  for (const match of doc.matchAll(/```ts (\w+):([\w./-]+)\n([\s\S]*?)```/g)) if (match[1] === example) files.set(match[2]!, match[3]!);
  return files;
}

describe("the trajlab.config.ts examples in docs/scenarios.md", () => {
  it("are complete files", async () => {
    expect([...(await exampleFiles("minimal")).keys()]).toEqual(["trajlab.config.ts"]);
    expect([...(await exampleFiles("full")).keys()]).toEqual(["trajlab.config.ts", "my-scenarios/index.ts"]);
  });

  it("the minimal one (the README's) registers an agent that runs the built-in scenarios as written", async () => {
    const dir = await projectWith(Object.fromEntries(await exampleFiles("minimal")));
    const run = await trajlab(
      ["run", "--agent", "terse-react", "--domain", "retail", "--runs-dir", join(dir, "runs"), "--run-id", "minimal", "-q"],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const trajectories = (await readFile(join(dir, "runs/minimal/trajectories.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(trajectories.length).toBeGreaterThanOrEqual(22);
    expect(new Set(trajectories.map((t) => t.agent))).toEqual(new Set(["terse-react"]));
    expect(trajectories.filter((t) => t.model === "policy:reference").every((t) => t.outcome.pass)).toBe(true);
  });

  it("the full one works as written: the agent and scenario are registered, checked and run", async () => {
    const dir = await projectWith(Object.fromEntries(await exampleFiles("full")));
    const agents = await trajlab(["list", "agents", "--json"], { cwd: dir });
    expect(agents.stderr).toBe("");
    expect(JSON.parse(agents.stdout).map((a: { id: string }) => a.id)).toContain("terse-react");

    const scenarios = JSON.parse((await trajlab(["list", "scenarios", "--json", "--domain", "library"], { cwd: dir })).stdout);
    expect(scenarios).toEqual([
      expect.objectContaining({ id: "library.lend-dune", domain: "library", multiAgent: false, tags: ["example"] }),
    ]);
    expect(scenarios[0].source).toMatch(/^my-scenarios\/index\.ts:\d+$/);

    const check = await trajlab(["check", "--scenario", "library.*"], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("1 scenario(s) checked: no problems");

    const run = await trajlab(
      [
        "run",
        "--agent",
        "terse-react",
        "--policy",
        "reference,loops",
        "--scenario",
        "library.*",
        "--runs-dir",
        join(dir, "runs"),
        "--run-id",
        "example",
        "-q",
      ],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const trajectories = (await readFile(join(dir, "runs/example/trajectories.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const byModel = new Map(trajectories.map((t) => [t.model, t]));
    const reference = byModel.get("policy:reference");
    expect(reference.agent).toBe("terse-react");
    expect(reference.outcome.pass).toBe(true);
    expect(
      reference.events.filter((e: { kind: string }) => e.kind === "llm_call").every((e: { agent: string }) => e.agent === "terse"),
    ).toBe(true);
    const loops = byModel.get("policy:loops");
    expect(loops.termination.reason).toBe("max_steps");
    expect(loops.groundTruth.faults.map((f: { kind: string }) => f.kind)).toEqual(["loop"]);
    expect(loops.groundTruth.faults[0].eventIds.length).toBeGreaterThan(5);
  });
});
