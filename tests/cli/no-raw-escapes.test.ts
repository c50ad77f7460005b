import { readFile, writeFile, mkdir, copyFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trajlab, type CliResult } from "../support/cli.js";
import { RAW_CONTROL } from "../support/terminal.js";
import { projectWith } from "../support/project.js";

/**
 * Text from trajectories, scenarios and files reaches no terminal raw: every
 * command is run on a project and runs whose titles, tasks, tool failures,
 * answers, model, agent and domain names hold an OSC 52 clipboard write, CSI
 * sequences, a C1 control, bidi overrides and a zero-width space, and the raw
 * bytes each prints are checked for any of them.
 */

// As it is written in the config's source: JavaScript escapes, so the file itself is plain ASCII.
const HOSTILE_SOURCE = String.raw`\u001b]52;c;aGVsbG8=\u0007 \u001b[31mred\u001b[0m \u009b2J \u202egnp.exe\u202c z\u200bw`;
const HOSTILE = JSON.parse(`"${HOSTILE_SOURCE}"`) as string;

const CONFIG = `import { z } from "zod";
import { defineConfig, defineEnvironment, defineScenario, defineTool, ToolFailure } from "trajlab";

const HOSTILE = "${HOSTILE_SOURCE}";
const env = defineEnvironment({
  id: "evil",
  description: "notes " + HOSTILE,
  instructions: "be helpful " + HOSTILE,
  initialState: { notes: ["note " + HOSTILE] },
  tools: [
    defineTool({
      name: "read_note",
      description: "reads a note " + HOSTILE,
      args: z.object({ id: z.number() }),
      effect: "read",
      run: ({ id }, state) => {
        if (id > 0) throw new ToolFailure("no note " + id + " " + HOSTILE);
        return { note: state.notes[0] };
      },
    }),
  ],
});

export const clipboard = defineScenario({
  id: "evil.clipboard",
  title: "Clipboard " + HOSTILE,
  environment: env,
  task: "Read note 0 " + HOSTILE,
  reference: { calls: [{ tool: "read_note", args: { id: 0 } }], answer: "done " + HOSTILE },
});
export const broken = defineScenario({
  id: "evil.broken",
  title: "Broken " + HOSTILE,
  environment: env,
  task: "Read note 1",
  reference: { calls: [{ tool: "read_note", args: { id: 1 } }], answer: "x" },
});
export default defineConfig({ scenarios: [clipboard, broken] });
`;

/** Fails naming the command when its output holds a raw control; returns it for further checks. */
function clean(name: string, result: CliResult): CliResult {
  for (const [stream, text] of [
    ["stdout", result.stdout],
    ["stderr", result.stderr],
  ] as const) {
    const found = RAW_CONTROL.exec(text);
    expect(found, `${name} printed U+${found?.[0].codePointAt(0)?.toString(16).padStart(4, "0")} raw on ${stream}`).toBeNull();
  }
  return result;
}

describe("no raw escapes from any command", () => {
  it("prints hostile text from scenarios, trajectories and files only made visible or JSON-escaped", async () => {
    const cwd = await projectWith({ "trajlab.config.ts": CONFIG });
    const run = (name: string, args: string[]) => trajlab(args, { cwd }).then((result) => clean(name, result));

    const listed = await run("list scenarios", ["list", "scenarios", "-s", "evil.*"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("Clipboard ␛]52;c;aGVsbG8=␇ ␛[31mred␛[0m ␦2J ␦gnp.exe␦ zw");
    const listedJson = await run("list scenarios --json", ["list", "scenarios", "-s", "evil.*", "--json"]);
    expect(listedJson.stdout).toContain("\\u001b]52;c;aGVsbG8=\\u0007 \\u001b[31mred\\u001b[0m \\u009b2J \\u202egnp.exe\\u202c z\\u200bw");
    expect(JSON.parse(listedJson.stdout)[0].title).toBe(`Clipboard ${HOSTILE}`);

    const checked = await run("check", ["check", "-s", "evil.*"]);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain("no note 1 ␛]52");
    const checkedJson = await run("check --json", ["check", "-s", "evil.*", "--json"]);
    expect(checkedJson.stdout).toContain("no note 1 \\u001b]52");

    expect((await run("run", ["run", "-s", "evil.clipboard", "--run-id", "r1"])).code).toBe(0);
    // A run of a scenario that fails check is refused with check's messages, sanitized too.
    expect((await run("run of a broken scenario", ["run", "-s", "evil.*", "--run-id", "r0"])).code).toBe(2);
    const runJson = await run("run --json", ["run", "-s", "evil.clipboard", "-p", "reference", "--run-id", "r2", "--json"]);
    expect(runJson.code).toBe(0);

    // An imported trajectory can name anything: model, agent and domain become hostile too.
    const file = join(cwd, "runs", "r1", "trajectories.jsonl");
    const tampered = (await readFile(file, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.stringify({ ...JSON.parse(line), model: `m ${HOSTILE}`, agent: `a ${HOSTILE}`, domain: `d ${HOSTILE}` }));
    await writeFile(file, `${tampered.join("\n")}\n`);

    const report = await run("report", ["report", "r1"]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("m ␛]52");
    await run("report --json", ["report", "r1", "--json"]);
    await run("report --compare", ["report", "r1", "--compare", "r2"]);
    await run("report --compare --json", ["report", "r1", "--compare", "r2", "--json"]);
    const graded = await run("grade", ["grade", "r1"]);
    expect(graded.code).toBe(0);
    expect(graded.stdout).toContain("a ␛]52");
    await run("grade --json", ["grade", "r1", "--json"]);
    await run("list runs", ["list", "runs"]);
    await run("list runs --json", ["list", "runs", "--json"]);
    await run("schema", ["schema"]);
    await run("agreement", ["agreement", "r1"]);
    await run("agreement --json", ["agreement", "r1", "--json"]);

    // A line that is not JSON, quoted by the parse error: the message shows its bytes made visible.
    await mkdir(join(cwd, "runs", "r3"));
    await copyFile(join(cwd, "runs", "r1", "manifest.json"), join(cwd, "runs", "r3", "manifest.json"));
    await writeFile(join(cwd, "runs", "r3", "trajectories.jsonl"), `${HOSTILE}{not json\n${tampered[0]}\n`);
    const broken = await run("report of a bad line", ["report", "r3"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("trajectories.jsonl:1");
  }, 120_000);
});
