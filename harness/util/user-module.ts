import { extname } from "node:path";
import { pathToFileURL } from "node:url";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

let typescriptLoader: Promise<void> | undefined;

/**
 * Imports a user's module (a config file, a scenario module) as an ES module.
 * TypeScript files are compiled on the fly by tsx, whose loader is registered
 * the first time one is imported: trajlab itself is compiled JavaScript, so a
 * run without a TypeScript config never pays for a loader.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  if (TYPESCRIPT.has(extname(file))) await registerTypeScriptLoader();
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function registerTypeScriptLoader(): Promise<void> {
  typescriptLoader ??= import("tsx/esm/api").then(({ register }) => {
    register();
  });
  return typescriptLoader;
}
