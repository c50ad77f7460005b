#!/usr/bin/env node
// Compiles trajlab to dist/ (JavaScript and declarations, with tsconfig.build.json) and copies
// the files the code reads at run time (the judge's prompts). Run by `npm run build`, by
// `npm install` in a clone (the prepare script), and before every vitest run, so the CLI the
// tests start is never older than the sources. A build with nothing changed (the same digest of
// the sources' and settings' contents) returns at once;
// otherwise tsc compiles incrementally, and what dist/ holds of a removed or renamed source is
// deleted, so no module whose source is gone can still be imported.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".build-stamp.json");

/** What is compiled: the package entry and the source folders (never tests/ or bench/). */
const SOURCES = ["index.ts", "errors", "cli", "harness", "agents", "scenarios", "reviews"];
/** Modules the review bundle takes from scripts/ in place of packages (see bundle). */
const STAND_INS = {
  "react-devtools-core": "scripts/no-devtools.js",
  ws: "scripts/no-devtools.js",
  "string-width": "scripts/string-width-first.js",
  "slice-ansi": "scripts/slice-ansi-later.js",
};
/** Files besides the sources whose change means a rebuild. */
const SETTINGS = ["tsconfig.json", "tsconfig.build.json", "scripts/build.js", ...new Set(Object.values(STAND_INS)), "package-lock.json"];
const COMPILED = new Set([".ts", ".tsx"]);
/** `trajlab review`'s code in one file, with Ink, React and their dependencies (see bundle). */
const REVIEW_ENTRY = join(DIST, "cli/commands/review-start.js");
const REVIEW_BUNDLE = join(DIST, "cli/commands/review-start.bundle.js");

/** Every file under the source folders, relative to the root, sorted. */
function sourceFiles() {
  const files = [];
  const walk = (path) => {
    const stat = statSync(join(ROOT, path));
    if (stat.isDirectory()) for (const name of readdirSync(join(ROOT, path)).sort()) walk(join(path, name));
    else files.push(path);
  };
  for (const path of SOURCES) walk(path);
  return files.sort();
}

/** What dist/ was last built from (the digest of its sources and settings), or null when it was never built. */
function builtFrom() {
  return existsSync(STAMP) ? JSON.parse(readFileSync(STAMP, "utf8")) : null;
}

/**
 * One digest of every source and setting, names and contents (about 50 ms for 1.9 MB). Contents
 * rather than modification times: files restored with older times (tar, rsync -a, cp -p, a
 * checkout's backup) are seen as the change they are.
 */
function digestOf(files) {
  const hash = createHash("sha256");
  for (const file of [...files, ...SETTINGS])
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update("\0");
  return hash.digest("hex");
}

/** The source a file in dist/ came from: itself for a copied file, the .ts or .tsx for compiled output. */
function sourcesOf(output) {
  const compiled = /^(.*?)(\.d\.ts|\.js)$/.exec(output);
  return compiled ? [`${compiled[1]}.ts`, `${compiled[1]}.tsx`, output] : [output];
}

/** Removes what dist/ holds of sources that are gone (incremental compilation never does). */
function pruneOrphans(files) {
  const sources = new Set(files);
  const walk = (dir) => {
    for (const name of readdirSync(join(DIST, dir))) {
      const path = join(dir, name);
      if (statSync(join(DIST, path)).isDirectory()) walk(path);
      else if (!name.startsWith(".") && !sourcesOf(path).some((source) => sources.has(source))) rmSync(join(DIST, path));
    }
  };
  if (existsSync(DIST)) walk("");
}

/**
 * Brings dist/ up to date with the sources and returns what it did ("fresh",
 * "incremental" or "up to date") with the compiler's type errors, if any. The
 * JavaScript is written even when there are type errors (as vitest runs
 * sources that do not type-check); `strict` makes them throw instead.
 */
export function build({ strict = false } = {}) {
  const files = sourceFiles();
  const previous = builtFrom();
  const digest = digestOf(files);
  if (previous?.digest === digest && existsSync(REVIEW_BUNDLE)) return { kind: "up to date", typeErrors: "" };
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, encoding: "utf8" });
  const typeErrors = result.status === 0 ? "" : `${result.stdout}${result.stderr}`;
  if (typeErrors && (strict || !existsSync(join(DIST, "index.js")))) throw new Error(`tsc -p tsconfig.build.json failed:\n${typeErrors}`);
  pruneOrphans(files);
  for (const file of files) {
    if (COMPILED.has(extname(file))) continue;
    mkdirSync(dirname(join(DIST, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(DIST, file));
  }
  bundle(REVIEW_ENTRY, REVIEW_BUNDLE);
  // With type errors the next build compiles again (no stamp), so they are reported again.
  if (typeErrors) rmSync(STAMP, { force: true });
  else writeFileSync(STAMP, JSON.stringify({ digest }) + "\n");
  return { kind: previous ? "incremental" : "fresh", typeErrors };
}

/**
 * Bundles `entry` into `outfile`: what `trajlab review` runs, into one file beside its compiled
 * module (tests bundle the stand-ins below the same way). Ink and its
 * dependencies are over 500 modules (es-toolkit's alone are 415), and Node's module loader
 * spends about as long loading them one by one as the review spends indexing 10,000
 * trajectories; one file of the same code loads in a third of the time. The bundle has its own
 * copies of the modules it holds; only the CLI loads it, with plain values (its options), so no
 * object crosses from one copy to the other. What the first frame would pay for and never use
 * is left out:
 * - React's development builds: the bundle is built for production, as the review runs;
 * - React DevTools, which Ink loads only when DEV=true, and the WebSocket library it would use;
 * - string-width's start-up (~60 ms: an emoji pattern and a grapheme segmenter), until a text
 *   needs it: scripts/string-width-first.js stands in for it, one copy for every importer
 *   (wrap-ansi asks for an older major, whose API is the same);
 * - slice-ansi's start-up (~20 ms: a grapheme segmenter), until Ink clips or truncates a text
 *   (scripts/slice-ansi-later.js);
 * - `fetch`: yoga-layout fetches its embedded WebAssembly from a data: URL when fetch exists,
 *   which loads Node's fetch implementation to decode it (~60 ms); without it, yoga decodes the
 *   bytes itself. Nothing else in the bundle uses fetch.
 */
export function bundle(entry, outfile) {
  const esbuild = createRequire(import.meta.url)("esbuild");
  esbuild.buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    define: { "process.env.NODE_ENV": '"production"', fetch: "undefined" },
    alias: Object.fromEntries(Object.entries(STAND_INS).map(([name, file]) => [name, join(ROOT, file)])),
    // CommonJS dependencies (React) call require(); an ES module has none of its own. The stand-ins'
    // require() of a bundled module becomes a call that loads it then.
    banner: { js: 'import { createRequire as bundleRequire } from "node:module";\nconst require = bundleRequire(import.meta.url);' },
    legalComments: "eof",
    logLevel: "warning",
    // review.ts sets NODE_ENV before it loads the bundle; the bundle holds that module only for its
    // list of sorts, and never runs the assignment that this warning is about.
    logOverride: { "assign-to-define": "silent" },
  });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  try {
    const started = performance.now();
    const { kind, typeErrors } = build({ strict: process.argv.includes("--strict") });
    if (typeErrors) process.stderr.write(`trajlab build: written despite type errors (npm run typecheck shows them):\n${typeErrors}`);
    process.stderr.write(
      `trajlab build: ${kind} (${relative(process.cwd(), DIST) || "."}, ${Math.round(performance.now() - started)} ms)\n`,
    );
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
