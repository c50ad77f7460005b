import { spawn } from "node:child_process";
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize } from "node:path";
import type { ZodType } from "zod";
import { GradeSchema, ManifestSchema, TrajectorySchema } from "../../harness/index.js";
import { ReviewRecordSchema } from "../../reviews/index.js";
import { ROOT } from "../support/project.js";
import { where, type CodeBlock } from "./markdown.js";
import { compareOutput, isTranscript, shellCommands, transcriptCommands, type Command } from "./transcript.js";
import { runInTerminal } from "./terminal.js";

/** A documented example that did not do what its page says. */
export interface DocFailure {
  /** `docs/graders.md:40`: the line of the block, or of the command in it. */
  readonly where: string;
  readonly message: string;
}

/** Where and how a page's examples run. */
export interface DocContext {
  /** The page's project folder (see `projectWith`): every block of the page runs there, in order. */
  readonly dir: string;
  /** Base URL of the OpenAI-compatible stub every `openai:` model of the page talks to. */
  readonly stubURL: string;
}

export const SHELL_LANGS = new Set(["sh", "bash", "shell", "console"]);
export const TYPESCRIPT_LANGS = new Set(["ts", "typescript"]);

/** The formats a `json schema=<name>` block is validated against. */
const JSON_SCHEMAS: Record<string, ZodType> = {
  trajectory: TrajectorySchema,
  grade: GradeSchema,
  manifest: ManifestSchema,
  "review-record": ReviewRecordSchema,
};

/** How long one documented command may take before it counts as hung. */
const COMMAND_TIMEOUT_MS = 1_200_000;

/**
 * `npx` and `npm` as doc commands see them. `npx <bin>` runs the project's
 * installed executable, as npx does when the package is installed, but never
 * downloads one. `npm install` / `npm ci` with no package are no-ops (the
 * project is installed); `npm test` and `npm run <script>` are the suite's
 * own scripts, which the suite cannot run from inside itself: the script must
 * exist in trajlab's package.json. Anything else npm would do (install a
 * package) is refused: such a block is illustrative.
 */
const PRELUDE = String.raw`
npx() {
  local bin="$1"; shift
  if [ -x "$DOCS_PROJECT/node_modules/.bin/$bin" ]; then "$DOCS_PROJECT/node_modules/.bin/$bin" "$@"; return; fi
  echo "doc runner: npx $bin is not installed in the project, and doc commands never download packages" >&2; return 127
}
npm() {
  case "$1" in
    install|i|ci) if [ $# -eq 1 ]; then return 0; fi ;;
    test) set -- run test ;;
  esac
  if [ "$1" = run ] && [ $# -ge 2 ]; then
    if node -e 'process.exit(require(process.argv[1]).scripts?.[process.argv[2]] ? 0 : 1)' "$DOCS_TRAJLAB/package.json" "$2"; then return 0; fi
    echo "doc runner: trajlab's package.json has no script \"$2\"" >&2; return 1
  fi
  echo "doc runner: npm $* is not run here (it would install or download something); mark the block illustrative" >&2; return 1
}
`;

/** The environment of every doc command: offline, no colour, any OpenAI-compatible model on the stub. */
export function docEnvironment(context: DocContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(TRAJLAB_|OPENAI_|ANTHROPIC_|VITEST|FORCE_COLOR|NODE_ENV$|NODE_OPTIONS$)/.test(key)) env[key] = value;
  return {
    ...env,
    PATH: `${join(context.dir, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
    OPENAI_BASE_URL: context.stubURL,
    OPENAI_API_KEY: "sk-doc-examples",
    BASH_ENV: join(context.dir, ".doc-runner/prelude.sh"),
    DOCS_PROJECT: context.dir,
    DOCS_TRAJLAB: ROOT,
  };
}

/** Placeholders a command may use, and what they stand for in the page's folder. */
const PLACEHOLDERS: Record<string, (dir: string) => Promise<string | undefined>> = {
  "<run>": newestRun,
};

async function newestRun(dir: string): Promise<string | undefined> {
  // Dot folders (the model-call cache, runs/.cache) are not runs.
  const runs = (await readdir(join(dir, "runs")).catch(() => [] as string[])).filter((name) => !name.startsWith("."));
  const dated = await Promise.all(runs.map(async (id) => ({ id, at: (await stat(join(dir, "runs", id))).mtimeMs })));
  return dated.sort((a, b) => b.at - a.at)[0]?.id;
}

/**
 * The command as it runs: placeholders filled in, and an `OPENAI_BASE_URL`
 * the command sets pointed at the stub (the doc's own URL is a server the
 * reader runs). Throws, naming the placeholder, when one is unknown.
 */
async function prepare(command: string, context: DocContext): Promise<string> {
  let text = command.replace(/\bOPENAI_BASE_URL=\S+/g, `OPENAI_BASE_URL=${context.stubURL}`);
  for (const match of new Set(codeOf(text).match(/<[a-z][a-z-]*>/g) ?? [])) {
    const fill = PLACEHOLDERS[match];
    if (!fill) throw new Error(`unknown placeholder ${match}; the runner knows ${Object.keys(PLACEHOLDERS).join(", ")}`);
    const value = await fill(context.dir);
    if (value === undefined) throw new Error(`${match} stands for the newest run, and there is none yet`);
    text = text.replaceAll(match, value);
  }
  return text;
}

/** A command's first line up to its comment (a `#` after a blank, outside quotes): what placeholders are looked for in. */
export function codeOf(command: string): string {
  const line = command.split("\n")[0]!;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** What a shell command printed (stdout and stderr interleaved, as a terminal shows them) and its exit status. */
export interface ShellResult {
  readonly code: number;
  readonly output: string;
}

/** Runs one command with bash in the page's folder. */
export function runShell(command: string, context: DocContext): Promise<ShellResult> {
  return new Promise((done) => {
    const child = spawn("bash", ["-c", `exec 2>&1\n${command}`], {
      cwd: context.dir,
      env: docEnvironment(context),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), COMMAND_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({
        code: code ?? (signal === "SIGKILL" ? 124 : 1),
        output: signal === "SIGKILL" ? `${output}\n(killed after ${COMMAND_TIMEOUT_MS} ms)` : output,
      });
    });
  });
}

/** The last lines of some output, indented, for a failure message. */
const tail = (output: string, lines = 30): string =>
  output
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join("\n");

/** A relative path inside the page's folder, or an error saying why not. */
function projectPath(path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean.startsWith("..")) throw new Error(`file=${path} must be a relative path inside the project`);
  return clean;
}

/**
 * Runs every block of one page in its folder, in page order, so a block
 * builds on what the blocks before it did (a run, a config file), and returns
 * what did not behave as documented. Illustrative blocks are skipped; any
 * block the runner cannot execute and that is not marked illustrative is
 * itself a failure.
 */
export async function runDoc(blocks: readonly CodeBlock[], context: DocContext): Promise<DocFailure[]> {
  await mkdir(join(context.dir, ".doc-runner"), { recursive: true });
  await writeFile(join(context.dir, ".doc-runner/prelude.sh"), PRELUDE);
  const failures: DocFailure[] = [];
  for (const block of blocks) {
    if (block.flags.has("illustrative")) continue;
    try {
      failures.push(...(await runBlock(block, context)));
    } catch (error) {
      failures.push({ where: where(block), message: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures;
}

async function runBlock(block: CodeBlock, context: DocContext): Promise<DocFailure[]> {
  if (SHELL_LANGS.has(block.lang)) return runCommands(block, shellCommands(block.lines), context);
  if (block.lang === "text" && isTranscript(block.lines)) return runCommands(block, transcriptCommands(block.lines), context);
  if (TYPESCRIPT_LANGS.has(block.lang)) return runTypeScript(block, context);
  if (block.lang === "json" || block.lang === "jsonl") return checkJson(block);
  throw new Error(
    `a \`\`\`${block.lang || "(no language)"} block is neither a command (sh), a transcript (text starting with "$ "), TypeScript (ts) nor JSON: ` +
      `mark it \`\`\`${block.lang || "text"} illustrative if it is only there to be read`,
  );
}

/** Runs a block's commands in order; each must exit as the block says (`exit=<n>`, default 0) and print its documented output. */
async function runCommands(block: CodeBlock, commands: Command[], context: DocContext): Promise<DocFailure[]> {
  const expectedCode = Number(block.attrs.exit ?? 0);
  const failures: DocFailure[] = [];
  for (const command of commands) {
    const at = where(block, command.offset + 1);
    let text: string;
    try {
      text = await prepare(command.text, context);
    } catch (error) {
      failures.push({ where: at, message: `\`${command.text}\`: ${(error as Error).message}` });
      continue;
    }
    const result = block.flags.has("tty")
      ? await runInTerminal(text, block, docEnvironment(context), context.dir)
      : await runShell(text, context);
    const output = result.output.replaceAll(`${context.dir}/`, "");
    if (result.code !== expectedCode) {
      failures.push({
        where: at,
        message: `\`${command.text}\` exited ${result.code}, the doc expects ${expectedCode}; it printed:\n${tail(output)}`,
      });
      continue;
    }
    const difference = compareOutput(command.output, output.split("\n"));
    if (block.lang === "text" && difference) failures.push({ where: at, message: `\`${command.text}\`: ${difference}` });
  }
  return failures;
}

/**
 * A TypeScript block: with `file=<path>` it is written to the project
 * (`append` adds it to the end of the file an earlier block began) and used
 * by the commands after it; without, it is a program, run with tsx where it
 * stands. Every one is also type-checked (see typecheck.ts).
 */
async function runTypeScript(block: CodeBlock, context: DocContext): Promise<DocFailure[]> {
  const text = `${block.lines.join("\n")}\n`;
  if (block.attrs.file) {
    const path = join(context.dir, projectPath(block.attrs.file));
    await mkdir(dirname(path), { recursive: true });
    if (block.flags.has("append")) await appendFile(path, text);
    else await writeFile(path, text);
    return [];
  }
  const program = `example-${block.line}.ts`;
  await writeFile(join(context.dir, program), text);
  const result = await runShell(`npx tsx ${program}`, context);
  return result.code === 0 ? [] : [{ where: where(block), message: `the program exited ${result.code}:\n${tail(result.output)}` }];
}

/** A JSON block parses (a `jsonl` block line by line), and matches its `schema=<name>` when it names one. */
async function checkJson(block: CodeBlock): Promise<DocFailure[]> {
  const schemaName = block.attrs.schema;
  const schema = schemaName === undefined ? undefined : JSON_SCHEMAS[schemaName];
  if (schemaName !== undefined && !schema) throw new Error(`unknown schema=${schemaName}; known: ${Object.keys(JSON_SCHEMAS).join(", ")}`);
  const values: Array<{ offset: number; text: string }> =
    block.lang === "jsonl"
      ? block.lines.flatMap((text, offset) => (text.trim() === "" ? [] : [{ offset, text }]))
      : [{ offset: 0, text: block.lines.join("\n") }];
  const failures: DocFailure[] = [];
  for (const { offset, text } of values) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      failures.push({ where: where(block, offset + 1), message: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = schema?.safeParse(value);
    if (parsed && !parsed.success)
      failures.push({ where: where(block, offset + 1), message: `not a valid ${schemaName}: ${parsed.error.message}` });
  }
  return failures;
}

/** Reads a page (relative to the repository root). */
export const readDoc = (doc: string): Promise<string> => readFile(join(ROOT, doc), "utf8");
