import { execFile } from "node:child_process";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../support/cli.js";

/**
 * The import rules in .dependency-cruiser.cjs (run by `npm run lint`, part of
 * `npm test`) catch what they are written to catch: a small tree laid out like
 * trajlab's, each file breaking one rule, is cruised with the project's own
 * configuration, and every rule reports the import that breaks it.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** Files of the tree: each import after the faces breaks the rule named beside it. */
const TREE: Record<string, string> = {
  "index.ts": 'export * from "./cli/main.js"; // package-entry-is-light-of-cli\n',
  "errors/index.ts": 'export * from "../scenarios/index.js"; // errors-at-the-bottom\n',
  "scenarios/index.ts": 'export { agent } from "../agents/index.js"; // scenarios-stand-alone, no-circular-folders\n',
  "scenarios/define.ts": 'export * from "../errors/index.js"; // allowed: every layer may import errors/\n',
  "agents/agent.ts": 'export * from "../errors/index.js"; // allowed\n',
  "agents/index.ts": 'export * from "../scenarios/index.js";\nexport const agent = 1;\n',
  "agents/models.ts": 'export * from "../harness/core.js"; // agents-above-scenarios-only\n',
  "harness/index.ts": "export const harness = 1;\n",
  "harness/core.ts": "export const core = 1;\n",
  "harness/report.ts": 'export * from "../reviews/index.js"; // harness-below-reviews-and-cli\n',
  "harness/graders/outcome.ts": 'export * from "../runner/run-trial.js"; // graders-are-pure\n',
  "harness/runner/run-trial.ts":
    'export * from "../experiments/replay.js"; // runner-below-experiments\nexport * from "../graders/outcome.js"; // no-circular-folders\n',
  "harness/experiments/replay.ts": "export const replay = 1;\n",
  "harness/store/run-store.ts": 'export * from "../recorder/recorder.js"; // store-reads-formats-only\n',
  "harness/recorder/recorder.ts": 'export * from "./callback-values.js";\nexport const recorder = 1;\n',
  "harness/recorder/callback-values.ts": 'export { recorder as from } from "./recorder.js"; // a cycle inside one folder is allowed\n',
  "reviews/index.ts": 'export * from "../harness/index.js"; // reviews-read-the-light-harness\n',
  "reviews/session.ts": 'export * from "./tui/index.js"; // tui-only-from-cli-lazily\n',
  "reviews/tui/index.ts": "export const tui = 1;\n",
  "cli/main.ts":
    'export * from "../harness/runner/run-trial.js"; // no-deep-imports\nexport const review = () => import("../reviews/tui/index.js");\n',
};

const RULES = [
  "no-deep-imports",
  "errors-at-the-bottom",
  "scenarios-stand-alone",
  "agents-above-scenarios-only",
  "harness-below-reviews-and-cli",
  "graders-are-pure",
  "runner-below-experiments",
  "store-reads-formats-only",
  "reviews-read-the-light-harness",
  "tui-only-from-cli-lazily",
  "package-entry-is-light-of-cli",
  "no-circular-folders",
];

describe("the import rules", () => {
  it("report each rule broken on purpose, with the import that breaks it, and fail", async () => {
    const dir = await tempFolder("trajlab-import-rules-");
    for (const [file, text] of Object.entries(TREE)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    await copyFile(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }));
    const depcruise = join(ROOT, "node_modules", ".bin", "depcruise");
    const failure = await run(depcruise, ["index.ts", "errors", "cli", "harness", "agents", "scenarios", "reviews"], { cwd: dir }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBeGreaterThan(0);
    // Lines read "error <rule>: <from> → <to>" (a cycle continues on further lines).
    const violations = [...failure!.stdout.matchAll(/error ([\w-]+): (\S+) →\s+(\S+)/g)].map(([, rule, from, to]) => ({ rule, from, to }));
    const broken = (rule: string) => violations.filter((violation) => violation.rule === rule).map((v) => `${v.from} → ${v.to}`);
    for (const rule of RULES) expect(broken(rule), rule).not.toEqual([]);
    expect(broken("no-deep-imports")).toContain("cli/main.ts → harness/runner/run-trial.ts");
    expect(broken("graders-are-pure")).toEqual(["harness/graders/outcome.ts → harness/runner/run-trial.ts"]);
    expect(broken("tui-only-from-cli-lazily")).toEqual(["reviews/session.ts → reviews/tui/index.ts"]);
    expect(broken("reviews-read-the-light-harness")).toEqual(["reviews/index.ts → harness/index.ts"]);
    // A cycle is reported once, from either of its ends.
    const cycles = violations.filter((v) => v.rule === "no-circular-folders").map((v) => [v.from, v.to].sort().join(" ⇄ "));
    expect(cycles.sort()).toEqual(["agents/index.ts ⇄ scenarios/index.ts", "harness/graders/outcome.ts ⇄ harness/runner/run-trial.ts"]);
    expect(violations.filter((violation) => violation.from?.startsWith("harness/recorder/"))).toEqual([]);
    expect(violations.filter((violation) => violation.to === "errors/index.ts" && violation.from !== "errors/index.ts")).toEqual([]);
  });
});
