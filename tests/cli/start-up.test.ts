import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Help } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, buildProgram, commandNamed } from "../../cli/main.js";
import { BIN, tempFolder } from "../support/cli.js";

/**
 * What `trajlab` loads to start: the program's help and version load no
 * command module (and so neither zod nor LangChain), a command's help only its
 * registration, a command only its own modules, and the list of commands in the help, drawn from the COMMANDS
 * table, is what each command's module declares.
 */

const run = promisify(execFile);

/** Runs the binary with a module hook that writes every module it resolves to a file; returns their URLs. */
async function modulesLoadedBy(args: string[], { mayFail = false } = {}): Promise<{ urls: string[]; stdout: string; stderr: string }> {
  const dir = await tempFolder("trajlab-start-");
  const log = join(dir, "modules.log");
  const hooks = join(dir, "hooks.mjs");
  await writeFile(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}`,
  );
  const register = join(dir, "register.mjs");
  await writeFile(register, `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  const { stdout, stderr } = await run(process.execPath, ["--import", register, BIN, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1" },
  }).catch((error: { stdout: string; stderr: string }) => {
    if (!mayFail) throw error;
    return error;
  });
  return { urls: (await readFile(log, "utf8")).trim().split("\n"), stdout, stderr };
}

describe("start-up", () => {
  it("prints the help and the version without loading any command, zod or LangChain", async () => {
    for (const args of [["--help"], ["--version"], ["help"]]) {
      const { urls, stdout } = await modulesLoadedBy(args);
      expect(stdout, args.join(" ")).toMatch(args[0] === "--version" ? /^\d+\.\d+\.\d+/ : /Commands:\n {2}run \[options\]/);
      expect(urls.filter((url) => /\/cli\/commands\/|\/zod\/|@langchain|\/langchain\/|\/harness\/core\.js/.test(url))).toEqual([]);
    }
  });

  it("prints each command's help from its registration alone: no command code, zod or LangChain", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const { urls, stdout } = await modulesLoadedBy([name, "--help"]);
      expect(stdout, name).toContain(`Usage: trajlab ${name} `);
      expect(stdout, name).toContain("Options:");
      const commandModules = urls.filter((url) => url.includes("/cli/commands/")).map((url) => url.replace(/.*\/cli\/commands\//, ""));
      expect(commandModules, name).toEqual([`${name}.js`]);
      expect(
        urls.filter((url) => /\/zod\/|@langchain|\/langchain\/|\/harness\/(core|index)\.js/.test(url)),
        name,
      ).toEqual([]);
    }
  });

  it("loads only the module of the command it runs: schema loads no LangChain", async () => {
    const { urls, stdout } = await modulesLoadedBy(["schema"]);
    expect(JSON.parse(stdout)).toMatchObject({ $schema: expect.any(String) });
    expect(urls.filter((url) => url.includes("/cli/commands/")).map((url) => url.replace(/.*\/cli\/commands\//, ""))).toEqual([
      "schema.js",
      "schema-start.js",
    ]);
    expect(urls.filter((url) => url.includes("@langchain"))).toEqual([]);
  });

  it("loads the review's code as one bundled file, not Ink's modules one by one, and no LangChain", async () => {
    // No run to review here: the review stops with an error after its code is loaded (printing it loads harness/core).
    const { urls, stderr } = await modulesLoadedBy(["review", "--reviewer", "ana"], { mayFail: true });
    expect(stderr).toMatch(/no runs? /);
    expect(urls.filter((url) => url.includes("/cli/commands/")).map((url) => url.replace(/.*\/cli\/commands\//, ""))).toEqual([
      "review.js",
      "review-start.bundle.js",
    ]);
    expect(urls.filter((url) => /\/node_modules\/(ink|react|es-toolkit|yoga-layout)\/|@langchain|\/langchain\//.test(url))).toEqual([]);
  });

  it("finds the command after the program's own options, and after help", () => {
    expect(commandNamed(["--config", "run", "list", "agents"])).toBe("list");
    expect(commandNamed(["help", "grade"])).toBe("grade");
    expect(commandNamed(["--help"])).toBeUndefined();
    expect(commandNamed(["rn"])).toBeUndefined();
  });

  it("lists each command with the usage and description its module declares", async () => {
    const help = new Help();
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = (await buildProgram([name])).commands.find((candidate) => candidate.name() === name);
      expect(command, name).toBeDefined();
      expect(help.subcommandTerm(command!), name).toBe(`${name} ${entry.usage}`.trim());
      expect(command!.description(), name).toBe(entry.description);
    }
    const listed = (await buildProgram(["--help"])).helpInformation();
    for (const name of Object.keys(COMMANDS)) expect(listed).toContain(`  ${`${name} ${COMMANDS[name]!.usage}`.trim()}`);
  });
});
