import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * trajlab's own package root (where its package.json is): the nearest folder
 * above this file that has one. That is one level up in the sources and two
 * in the compiled package (dist/harness/), which has no package.json of its own.
 */
export const PACKAGE_ROOT = packageRootAbove(dirname(fileURLToPath(import.meta.url)));

function packageRootAbove(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, "package.json"))) return current;
    if (dirname(current) === current) return join(dir, "..");
  }
}

/** Packages whose versions every run records in its manifest. */
export const RECORDED_PACKAGES = ["@langchain/core", "@langchain/langgraph", "langchain", "@langchain/openai", "zod"] as const;

/** trajlab's version from its package.json. */
export function trajlabVersion(): string {
  return readVersion(join(PACKAGE_ROOT, "package.json")) ?? "unknown";
}

/** Installed versions of {@link RECORDED_PACKAGES}, found by walking up node_modules folders. */
export function installedVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of RECORDED_PACKAGES) {
    for (let dir = PACKAGE_ROOT; ; dir = dirname(dir)) {
      const version = readVersion(join(dir, "node_modules", name, "package.json"));
      if (version) {
        versions[name] = version;
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return versions;
}

function readVersion(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
  return typeof parsed.version === "string" ? parsed.version : undefined;
}
