import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../support/openai-stub.js";
import { PACKAGE, projectWith } from "../support/project.js";
import { docModelReply } from "./doc-model.js";
import { codeBlocks } from "./markdown.js";
import { codeOf, runDoc, type DocFailure } from "./run-doc.js";
import { compareOutput, normalise, shellCommands, transcriptCommands } from "./transcript.js";
import { typeCheck, typeScriptSources } from "./typecheck.js";

const fence = "```";

describe("reading a page's code blocks", () => {
  it("gives each block its line, language, flags and attributes", () => {
    const page = [
      "# Title",
      "",
      `${fence}sh tty ready="3 of 9 reviewed" keys=q`,
      "npx trajlab review",
      fence,
      "",
      `${fence}ts file=src/a.ts append`,
      "export const a = 1;",
      fence,
      `${fence}`,
      "plain",
      fence,
    ].join("\n");
    const blocks = codeBlocks("page.md", page);
    expect(blocks.map((b) => [b.line, b.lang, [...b.flags], b.attrs, b.lines])).toEqual([
      [3, "sh", ["tty"], { ready: "3 of 9 reviewed", keys: "q" }, ["npx trajlab review"]],
      [7, "ts", ["append"], { file: "src/a.ts" }, ["export const a = 1;"]],
      [10, "", [], {}, ["plain"]],
    ]);
  });

  it("refuses a block that is never closed, naming its line", () => {
    expect(() => codeBlocks("page.md", `text\n${fence}sh\nls\n`)).toThrow("page.md:2");
  });

  it("splits commands: comments and blanks skipped, continuations joined, here-documents kept whole", () => {
    const commands = shellCommands([
      "# a comment",
      "npx trajlab run \\",
      "  --domain retail   # offline",
      "",
      "cat > notes.txt <<'EOF'",
      "one",
      "EOF",
      "ls",
    ]);
    expect(commands.map((c) => [c.offset, c.text])).toEqual([
      [1, "npx trajlab run --domain retail   # offline"],
      [4, "cat > notes.txt <<'EOF'\none\nEOF"],
      [7, "ls"],
    ]);
    expect(transcriptCommands(["$ a", "out 1", "out 2", "", "$ b"]).map((c) => [c.offset, c.text, c.output])).toEqual([
      [0, "a", ["out 1", "out 2"]],
      [4, "b", []],
    ]);
  });

  it("looks for placeholders only in the code of a command, not in its comment", () => {
    expect(codeOf("npx trajlab run --domain helpdesk   # also --tag <t>")).toBe("npx trajlab run --domain helpdesk   ");
    expect(codeOf("echo '#1 <run>' # done")).toBe("echo '#1 <run>' ");
  });
});

describe("comparing documented output with what a command printed", () => {
  const printed = ["run 20261121-070155-b600: 2 trial(s)", "a  1   50ms", "b  2  1.2s", "c  3", "", "saved"];

  it("accepts the same lines with other run ids, durations and column widths", () => {
    expect(compareOutput(["run 20251231-235959-0000: 2 trial(s)", "a 1 7ms", "b    2 3m05s", "c  3", "", "saved"], printed)).toBe(
      undefined,
    );
    expect(normalise("tr-0f13abe65ad3 at 2026-11-21T06:24:16.432Z, 14:03:27")).toBe("<tr-id> at <timestamp>, <clock>");
    // A change of latency may come out either way on a loaded machine.
    expect(normalise("latency/trial   373ms  421ms     +48ms")).toBe(normalise("latency/trial   380ms  371ms      -9ms"));
    expect(normalise("tool-call precision 100.0% 62.1% -37.9 pt")).toBe("tool-call precision 100.0% 62.1% -37.9 pt");
  });

  it("lets `...` stand for any lines, at the start, in the middle or at the end", () => {
    expect(compareOutput(["...", "c  3", "...", "saved"], printed)).toBe(undefined);
    expect(compareOutput(["run 20261121-070155-b600: 2 trial(s)", "...", "saved"], printed)).toBe(undefined);
    expect(compareOutput(["...", "b 2 1s", "..."], printed)).toBe(undefined);
  });

  it("fails a changed figure and names the documented line", () => {
    const difference = compareOutput(["run 20261121-070155-b600: 2 trial(s)", "a  1   50ms", "b  9  1.2s", "..."], printed);
    expect(difference).toContain("documented output line 1 does not match at the start");
    expect(difference).toContain("b 9 <duration>");
  });

  it("fails lines the doc leaves out without an elision, and output where the doc shows none", () => {
    expect(compareOutput(["run 20261121-070155-b600: 2 trial(s)", "saved"], printed)).toMatch(/does not match at the start/);
    expect(compareOutput(printed.slice(0, 4), printed)).toMatch(/goes on after the last documented line/);
    expect(compareOutput([], ["something"])).toMatch(/shows no output/);
    expect(compareOutput(["...", "missing line"], printed)).toMatch(/its first line is nowhere/);
  });
});

describe("running a page whose examples are broken on purpose", () => {
  let stub: OpenAIStub;
  let failures: DocFailure[];
  const page = [
    /* 1 */ `${fence}text`,
    /* 2 */ "$ npx trajlab --version",
    /* 3 */ "0.0.0-not-the-version",
    /* 4 */ fence,
    /* 5 */ `${fence}sh`,
    /* 6 */ "npx trajlab --version",
    /* 7 */ "npx trajlab no-such-command",
    /* 8 */ "npm test",
    /* 9 */ "npm run no-such-script",
    /* 10 */ "npx left-pad",
    /* 11 */ "npx trajlab report <baseline>",
    /* 12 */ fence,
    /* 13 */ `${fence}sh exit=1`,
    /* 14 */ "node -e 'process.exit(1)'",
    /* 15 */ fence,
    /* 16 */ `${fence}`,
    /* 17 */ "a diagram nobody marked",
    /* 18 */ fence,
    /* 19 */ `${fence}text illustrative`,
    /* 20 */ "$ npx trajlab nothing-checked",
    /* 21 */ fence,
    /* 22 */ `${fence}ts`,
    /* 23 */ 'throw new Error("the program fails");',
    /* 24 */ fence,
    /* 25 */ `${fence}ts file=greeting.ts`,
    /* 26 */ 'export const greeting: string = "hello";',
    /* 27 */ fence,
    /* 28 */ `${fence}text`,
    /* 29 */ `$ npx tsx -e 'import("./greeting.ts").then((m) => console.log(m.greeting))'`,
    /* 30 */ "hello",
    /* 31 */ fence,
    /* 32 */ `${fence}jsonl schema=grade`,
    /* 33 */ '{"grader": "outcome"}',
    /* 34 */ "{not json",
    /* 35 */ fence,
    /* 36 */ `${fence}text`,
    /* 37 */ `$ OPENAI_BASE_URL=http://127.0.0.1:8000/v1 node -e 'console.log(process.env.OPENAI_BASE_URL.startsWith("http://127.0.0.1:8000") ? "the page server" : "the stub")'`,
    /* 38 */ "the stub",
    /* 39 */ fence,
  ].join("\n");

  beforeAll(async () => {
    stub = await startOpenAIStub(docModelReply);
    failures = await runDoc(codeBlocks("broken.md", page), { dir: await projectWith({}), stubURL: stub.baseURL });
  }, 240_000);
  afterAll(() => stub.close());

  const at = (line: number): string[] => failures.filter((f) => f.where === `broken.md:${line}`).map((f) => f.message);

  it("reports a transcript whose output is not what the command prints", () => {
    expect(at(2)).toEqual([expect.stringContaining(`does not match at the start`)]);
    expect(at(2)[0]).toContain(PACKAGE.version);
  });

  it("reports a command that fails, an npm script that does not exist and a package that is not installed", () => {
    expect(at(6)).toEqual([]);
    expect(at(7)).toEqual([expect.stringContaining("exited 2, the doc expects 0")]);
    expect(at(8)).toEqual([]);
    expect(at(9)).toEqual([expect.stringContaining('has no script "no-such-script"')]);
    expect(at(10)).toEqual([expect.stringContaining("never download")]);
    expect(at(11)).toEqual([expect.stringContaining("unknown placeholder <baseline>")]);
    expect(at(14)).toEqual([]);
  });

  it("reports a block it cannot run unless it is marked illustrative", () => {
    expect(at(16)).toEqual([expect.stringContaining("mark it ```text illustrative")]);
    expect(at(19)).toEqual([]);
  });

  it("runs programs and keeps files for later commands", () => {
    expect(at(22)).toEqual([expect.stringContaining("the program fails")]);
    expect(at(29)).toEqual([]);
  });

  it("checks data samples against the schema they name", () => {
    expect(at(33)).toEqual([expect.stringContaining("not a valid grade")]);
    expect(at(34)).toEqual([expect.stringContaining("not JSON")]);
  });

  it("points an OPENAI_BASE_URL a command sets at the stub", () => {
    expect(at(37)).toEqual([]);
  });

  it("reports nothing else", () => {
    expect(failures.map((f) => f.where).sort()).toEqual(
      [
        "broken.md:2",
        "broken.md:7",
        "broken.md:9",
        "broken.md:10",
        "broken.md:11",
        "broken.md:16",
        "broken.md:22",
        "broken.md:33",
        "broken.md:34",
      ].sort(),
    );
  });

  it("type-checks TypeScript blocks and reports an error at its doc line", async () => {
    const blocks = codeBlocks(
      "types.md",
      [
        `${fence}ts file=a.ts`,
        "export const n: number = 1;",
        fence,
        `${fence}ts file=a.ts append`,
        'export const m: number = "two";',
        fence,
      ].join("\n"),
    );
    const sources = typeScriptSources(blocks);
    expect(sources.map((s) => [s.path, s.text])).toEqual([["a.ts", 'export const n: number = 1;\nexport const m: number = "two";\n']]);
    expect(await typeCheck([{ doc: "types.md", sources }])).toEqual([
      { where: "types.md:5", message: expect.stringContaining("TS2322: Type 'string' is not assignable to type 'number'") },
    ]);
  }, 240_000);

  it("keeps each version of a file a later block rewrites, so every version is checked", () => {
    const blocks = codeBlocks(
      "v.md",
      [`${fence}ts file=cfg.ts`, "export const v = 1;", fence, `${fence}ts file=cfg.ts`, "export const v = 2;", fence].join("\n"),
    );
    expect(typeScriptSources(blocks).map((s) => [s.path, s.text])).toEqual([
      ["cfg.ts", "export const v = 2;\n"],
      ["cfg.doc-1.ts", "export const v = 1;\n"],
    ]);
  });
});
