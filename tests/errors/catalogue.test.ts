import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, TrajlabError, isTrajlabError, type ErrorCode } from "../../errors/index.js";
import { defineAgent, parseModelSpec } from "../../agents/index.js";
import { readJsonFile } from "../../harness/index.js";
import { defineEnvironment, defineTool } from "../../scenarios/index.js";
import { z } from "zod";

const ROOT = resolve(import.meta.dirname, "../..");

/** Every source file of the package (not tests), with its text. */
function sources(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (path: string) => {
    if (statSync(join(ROOT, path)).isDirectory()) for (const name of readdirSync(join(ROOT, path))) walk(join(path, name));
    else if (/\.tsx?$/.test(path)) found.push({ file: path, text: readFileSync(join(ROOT, path), "utf8") });
  };
  for (const folder of ["errors", "scenarios", "agents", "harness", "reviews", "cli"]) walk(folder);
  return found;
}

/** The error a function throws (fails the test when it throws none). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("the error catalogue", () => {
  it("documents each code with one sentence, and every code is raised somewhere", () => {
    const files = sources().filter((source) => source.file !== join("errors", "codes.ts"));
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code, code).toMatch(/^[A-Z][A-Z_]+[A-Z]$/);
      expect(meaning, code).toMatch(/^\S.{10,}\.$/);
      expect(
        files.some((source) => source.text.includes(`"${code}"`)),
        `${code} is listed in errors/codes.ts but raised nowhere`,
      ).toBe(true);
    }
  });

  it("leaves no deliberate error outside it: sources raise no other error class of their own", () => {
    const hierarchies = sources()
      .filter((source) => /class \w+ extends Error\b/.test(source.text))
      .map((source) => source.file)
      .sort();
    // ToolFailure is a tool's answer to the agent, not an error of trajlab's.
    expect(hierarchies).toEqual([join("errors", "trajlab-error.ts"), join("scenarios", "define.ts")]);
  });

  it("is what every layer raises: scenarios, agents and the harness", () => {
    const tool = defineTool({ name: "get", description: "", args: z.object({}), effect: "read", run: () => 1 });
    const errors: [unknown, ErrorCode][] = [
      [thrown(() => defineTool({ name: "two words", description: "", args: z.object({}), effect: "read", run: () => 1 })), "BAD_TOOL"],
      [
        thrown(() => defineEnvironment({ id: "e", description: "", instructions: "", initialState: {}, tools: [tool, tool] })),
        "DUPLICATE_TOOL",
      ],
      [thrown(() => defineAgent({ id: "no build" } as never)), "BAD_AGENT"],
      [thrown(() => parseModelSpec("gpt-4o")), "BAD_MODEL_SPEC"],
    ];
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(TrajlabError);
      expect((error as TrajlabError).code).toBe(code);
    }
    expect((thrown(() => parseModelSpec("gpt-4o")) as TrajlabError).hint).toContain("openai:gpt-4o-mini");
  });

  it("names a file that is missing, with its code, from the store", async () => {
    await expect(readJsonFile(join(ROOT, "no-such-file.json"), z.object({}))).rejects.toMatchObject({ code: "FILE_MISSING" });
  });

  it("recognises an error of another copy of trajlab by name and code, and only with a catalogued code", () => {
    const foreign = Object.assign(new Error("no run"), { name: "TrajlabError", code: "RUN_NOT_FOUND" });
    expect(isTrajlabError(foreign)).toBe(true);
    expect(isTrajlabError(foreign, "RUN_NOT_FOUND")).toBe(true);
    expect(isTrajlabError(foreign, "NO_RUNS")).toBe(false);
    expect(isTrajlabError(Object.assign(new Error("x"), { name: "TrajlabError", code: "NOT_A_CODE" }))).toBe(false);
    expect(isTrajlabError(new Error("a bug"))).toBe(false);
    expect(isTrajlabError(new TrajlabError("NO_RUNS", "none", { hint: "run one" }), "NO_RUNS")).toBe(true);
  });
});
