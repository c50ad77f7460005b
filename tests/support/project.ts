import { readFileSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { tempFolder } from "./cli.js";

/** The repository root, which a project links to as its installed `trajlab` package. */
export const ROOT = resolve(import.meta.dirname, "../..");

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts: Record<string, string>;
}

/** trajlab's own package.json. */
export const PACKAGE: PackageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/**
 * A fresh project folder with the given files, an ES-module package.json, and
 * node_modules as `npm install trajlab` leaves it: trajlab (this checkout), its
 * dependencies and peer dependencies (hoisted, so `zod` and `langchain`
 * import directly), and
 * the executables of `trajlab` and `tsx` in node_modules/.bin, so `npx trajlab`
 * runs there without a download.
 */
export async function projectWith(files: Record<string, string>): Promise<string> {
  const dir = await tempFolder("trajlab-project-");
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "my-evals", private: true, type: "module" }));
  const modules = join(dir, "node_modules");
  await mkdir(join(modules, ".bin"), { recursive: true });
  await symlink(ROOT, join(modules, "trajlab"), "dir");
  for (const dependency of [...Object.keys(PACKAGE.dependencies), ...Object.keys(PACKAGE.peerDependencies ?? {})]) {
    await mkdir(dirname(join(modules, dependency)), { recursive: true });
    await symlink(join(ROOT, "node_modules", dependency), join(modules, dependency), "dir");
  }
  for (const [name, path] of Object.entries(PACKAGE.bin)) await symlink(join(ROOT, path), join(modules, ".bin", name));
  await symlink(join(ROOT, "node_modules/.bin/tsx"), join(modules, ".bin/tsx"));
  return dir;
}
