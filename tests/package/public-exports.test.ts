import { join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/project.js";

/**
 * The public faces, as the compiler sees them: every name each one exports
 * (values and types) and the declaration it stands for. The package entry is
 * what users import as "trajlab"; the folder faces are what other folders may
 * import (docs/architecture.md).
 */
const FACES = [
  "index.ts",
  "errors/index.ts",
  "scenarios/index.ts",
  "agents/index.ts",
  "agents/defaults.ts",
  "harness/core.ts",
  "harness/help.ts",
  "harness/index.ts",
  "reviews/index.ts",
  "reviews/help.ts",
  "reviews/tui/index.ts",
] as const;

interface Export {
  readonly name: string;
  /** What the name is: function, class, const, type, interface, enum, namespace. */
  readonly kind: string;
  /** The declaration it resolves to, past re-exports. */
  readonly target: ts.Symbol;
}

function kindOf(symbol: ts.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Variable) return "const";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  if (flags & ts.SymbolFlags.Module) return "namespace";
  return "other";
}

let exportsOf: Map<string, Export[]>;

beforeAll(() => {
  const { config } = ts.readConfigFile(join(ROOT, "tsconfig.json"), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const program = ts.createProgram(
    FACES.map((face) => join(ROOT, face)),
    { ...options, noEmit: true },
  );
  const checker = program.getTypeChecker();
  exportsOf = new Map(
    FACES.map((face) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, face))!)!;
      const list = checker.getExportsOfModule(module).map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return { name: symbol.name, kind: kindOf(target), target };
      });
      return [face, list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
    }),
  );
}, 120_000);

describe("the public exports", () => {
  it("are what they were: changing a face means updating this snapshot (npx vitest run tests/package/public-exports.test.ts -u)", () => {
    const listing = FACES.map(
      (face) =>
        `${face}\n${exportsOf
          .get(face)!
          .map((e) => `  ${e.name} (${e.kind})`)
          .join("\n")}`,
    ).join("\n\n");
    expect(`${listing}\n`).toMatchSnapshot();
  });

  it("of harness/core.ts are all exported by harness/index.ts, as the same declarations", () => {
    const index = new Map(exportsOf.get("harness/index.ts")!.map((e) => [e.name, e.target]));
    const missing = exportsOf
      .get("harness/core.ts")!
      .filter((e) => index.get(e.name) !== e.target)
      .map((e) => e.name);
    expect(missing).toEqual([]);
  });

  it("of the package entry are all found in the folder faces (the entry picks from them, it defines nothing)", () => {
    const faces = new Set(FACES.slice(1).flatMap((face) => exportsOf.get(face)!.map((e) => e.target)));
    expect(
      exportsOf
        .get("index.ts")!
        .filter((e) => !faces.has(e.target))
        .map((e) => e.name),
    ).toEqual([]);
  });
});
