import { beforeAll, describe, expect, it } from "vitest";
import { tempFolder, trajlab } from "../../support/cli.js";

let cwd: string;

beforeAll(async () => {
  cwd = await tempFolder();
  const scenario = ["-s", "retail.cancel-pending-order", "-s", "retail.return-damaged-mug", "-q"];
  expect((await trajlab(["run", ...scenario, "-p", "reference", "-k", "2", "--run-id", "good"], { cwd })).code).toBe(0);
  expect((await trajlab(["run", ...scenario, "-p", "wasteful", "-k", "2", "--run-id", "waste"], { cwd })).code).toBe(0);
}, 120_000);

describe("trajlab report", () => {
  it("prints success, pass@k and pass^k, precision, recall, skippable calls and costs, by group", async () => {
    const result = await trajlab(["report", "waste"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("run waste: 4 trials, success 100.0% (4/4)");
    expect(result.stdout).toContain("pass@2 100.0% pass^2 100.0%");
    expect(result.stdout).toMatch(/tool calls: precision \d+\.\d%, recall 100\.0% against the reference; 8 skippable/);
    expect(result.stdout).toMatch(
      /^domain\s+trials\s+success\s+pass@2\s+pass\^2\s+precision\s+recall\s+skippable\s+steps\s+tokens\s+latency$/m,
    );
    expect(result.stdout).toMatch(/^retail\.cancel-pending-order\s+2\s+100\.0%/m);
  });

  it("gives the report as JSON and compares two runs", async () => {
    const json = JSON.parse((await trajlab(["report", "good", "--json"], { cwd })).stdout);
    expect(json.overall).toMatchObject({ trials: 4, successRate: 1, skippableCalls: 0, toolCallPrecision: 1, toolCallRecall: 1 });
    expect(json.byModel.map((g: { group: string }) => g.group)).toEqual(["policy:reference"]);
    const compare = await trajlab(["report", "good", "--compare", "waste"], { cwd });
    expect(compare.code).toBe(0);
    expect(compare.stdout).toContain("good (baseline) vs waste");
    expect(compare.stdout).toMatch(/skippable rate\s+0\.0%\s+\d+\.\d%\s+\+\d+\.\d pt/);
    const compareJson = JSON.parse((await trajlab(["report", "good", "--compare", "waste", "--json"], { cwd })).stdout);
    expect(compareJson.comparison[0].changes.find((c: { metric: string }) => c.metric === "meanToolCalls").delta).toBeGreaterThan(0);
  });
});
