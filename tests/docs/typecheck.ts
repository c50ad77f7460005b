import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { projectWith, ROOT } from "../support/project.js";
import { tempFolder } from "../support/cli.js";
import { where, type CodeBlock } from "./markdown.js";
import type { DocFailure } from "./run-doc.js";
import { TYPESCRIPT_LANGS } from "./run-doc.js";

/** A TypeScript file a page's blocks make, and which block each of its lines came from. */
export interface TypeScriptSource {
  /** Path in the page's project folder. */
  readonly path: string;
  text: string;
  /** The blocks the file is made of (one, or several with `append`), by the file line each starts at (1-based). */
  readonly segments: Array<{ fromLine: number; block: CodeBlock }>;
}

const lineCount = (text: string): number => text.split("\n").length - 1;

/**
 * The TypeScript files a page's blocks make: a `file=` block writes its path
 * (or appends to it), any other block is a program of its own. When a later
 * block rewrites a path, the earlier version is kept beside it under another
 * name, so every version a reader sees is checked, with its relative imports
 * intact.
 */
export function typeScriptSources(blocks: readonly CodeBlock[]): TypeScriptSource[] {
  const current = new Map<string, TypeScriptSource>();
  const retired: TypeScriptSource[] = [];
  for (const block of blocks) {
    if (!TYPESCRIPT_LANGS.has(block.lang) || block.flags.has("illustrative")) continue;
    const text = `${block.lines.join("\n")}\n`;
    const path = block.attrs.file ?? `example-${block.line}.ts`;
    const existing = current.get(path);
    if (existing && block.flags.has("append")) {
      existing.segments.push({ fromLine: lineCount(existing.text) + 1, block });
      existing.text += text;
      continue;
    }
    if (existing) {
      const first = existing.segments[0]!.block.line;
      retired.push({ ...existing, path: path.replace(/(\.[cm]?ts)$/, `.doc-${first}$1`) });
    }
    current.set(path, { path, text, segments: [{ fromLine: 1, block }] });
  }
  return [...current.values(), ...retired];
}

/** The doc line a line of a source came from. */
function docLine(source: TypeScriptSource, line: number): string {
  const segment = source.segments.findLast((s) => s.fromLine <= line) ?? source.segments[0]!;
  return where(segment.block, line - segment.fromLine + 1);
}

/**
 * Type-checks the TypeScript of every page at once with the repository's own
 * compiler options, each page in a project where `trajlab` is installed, and
 * returns each error at the doc line it comes from.
 */
export async function typeCheck(pages: ReadonlyArray<{ doc: string; sources: TypeScriptSource[] }>): Promise<DocFailure[]> {
  const root = await tempFolder("trajlab-doc-types-");
  const byPath = new Map<string, TypeScriptSource>();
  for (const page of pages) {
    if (page.sources.length === 0) continue;
    const dir = await projectWith(Object.fromEntries(page.sources.map((source) => [source.path, source.text])));
    for (const source of page.sources) byPath.set(join(dir, source.path), source);
  }
  if (byPath.size === 0) return [];
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
  await writeFile(
    join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, typeRoots: [join(ROOT, "node_modules/@types")] },
      files: [...byPath.keys()],
    }),
  );
  const output = await new Promise<string>((done) =>
    execFile(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.json"), "--pretty", "false"],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (_error, stdout, stderr) => done(`${stdout}${stderr}`),
    ),
  );
  const failures: DocFailure[] = [];
  for (const match of output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*(?:\n {2,}.*)*)/gm)) {
    const [, file, line, , code, message] = match as unknown as [string, string, string, string, string, string];
    const source = byPath.get(resolve(root, file));
    failures.push(
      source
        ? { where: docLine(source, Number(line)), message: `${code}: ${message}` }
        : { where: file, message: `${code} (in a file the examples import): ${message}` },
    );
  }
  if (failures.length === 0 && /error/i.test(output)) failures.push({ where: "tsc", message: output });
  return failures;
}
