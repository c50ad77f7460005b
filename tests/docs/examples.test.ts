import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub.js";
import { projectWith, ROOT } from "../support/project.js";
import { docModelReply } from "./doc-model.js";
import { codeBlocks, type CodeBlock } from "./markdown.js";
import { readDoc, runDoc, type DocFailure } from "./run-doc.js";
import { closeTerminals } from "./terminal.js";
import { typeCheck, typeScriptSources } from "./typecheck.js";

/**
 * Every code block of the README and of docs/*.md runs as the page says
 * (conventions: docs/architecture.md, "Examples in the docs"). Each page runs
 * in a fresh project of its own, its blocks in page order; pages run side by
 * side.
 */
const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

/** A page's blocks, read once. */
const blocksOf = async (doc: string): Promise<CodeBlock[]> => codeBlocks(doc, await readDoc(doc));

/**
 * A repository path in inline code (`harness/store/lock.ts`, `cli/commands/`, `scenarios/define.ts:40`).
 * Data files (`.json`, `.jsonl`) are left out: pages name them inside a run's folder.
 */
const PATH_IN_CODE = /`((?:agents|bench|bin|cli|docs|errors|harness|reviews|scenarios|scripts|tests)\/[\w./<>-]*)`/g;

const report = (failures: readonly DocFailure[]): string => failures.map((failure) => `${failure.where}: ${failure.message}`).join("\n\n");

/** A page runs its whole sequence in one test: two to three minutes for the README on two idle cores, many times that on a loaded machine (the limits catch a hung command, not a slow one). */
const PAGE_TIMEOUT_MS = 2_400_000;

describe("the examples in README.md and docs/*.md", () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub(docModelReply);
  });
  afterAll(async () => {
    closeTerminals();
    await stub.close();
  });

  for (const doc of PAGES)
    it.concurrent(
      `${doc}: every command, transcript, program and data sample does what the page says`,
      async () => {
        const failures = await runDoc(await blocksOf(doc), { dir: await projectWith({}), stubURL: stub.baseURL });
        expect(report(failures)).toBe("");
      },
      PAGE_TIMEOUT_MS,
    );

  it("every file and folder of the repository a page names exists", async () => {
    const missing: string[] = [];
    for (const doc of PAGES)
      for (const match of (await readDoc(doc)).matchAll(PATH_IN_CODE)) {
        const path = match[1]!.replace(/:\d+$/, "");
        if (!path.includes("<") && !/\.jsonl?$/.test(path) && !existsSync(join(ROOT, path))) missing.push(`${doc}: ${path}`);
      }
    expect(missing).toEqual([]);
  });

  it.concurrent(
    "their TypeScript type-checks, every version of every file a page shows",
    async () => {
      const pages = await Promise.all(PAGES.map(async (doc) => ({ doc, sources: typeScriptSources(await blocksOf(doc)) })));
      expect(pages.flatMap((page) => page.sources).length).toBeGreaterThan(0);
      expect(report(await typeCheck(pages))).toBe("");
    },
    PAGE_TIMEOUT_MS,
  );
});
