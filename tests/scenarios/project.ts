import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { tempFolder } from "../support/cli.js";

/** The repository root, which a project links to as its installed `trajlab` package. */
export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * A fresh project folder with the given files, an ES-module package.json,
 * and trajlab (this checkout), langchain and zod linked into node_modules, as
 * a user's project has them after `npm install trajlab`.
 */
export async function projectWith(files: Record<string, string>): Promise<string> {
  const dir = await tempFolder("trajlab-project-");
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "my-evals", private: true, type: "module" }));
  await mkdir(join(dir, "node_modules"));
  await symlink(ROOT, join(dir, "node_modules/trajlab"), "dir");
  for (const dependency of ["langchain", "zod", "@langchain"])
    await symlink(join(ROOT, "node_modules", dependency), join(dir, "node_modules", dependency), "dir");
  return dir;
}
