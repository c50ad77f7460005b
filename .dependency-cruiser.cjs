/**
 * Which folder may import which: the table in docs/architecture.md, enforced in `npm test`.
 * Each folder's index.ts is its public face; the harness has two more: harness/core.ts (formats
 * and the run store, no LangChain) and harness/versions.ts (the package's version alone, so that
 * `trajlab --version` and `--help` load nothing else), and agents/ has agents/defaults.ts (the
 * defaults of model calls, for flags' help, without LangChain). A file in one folder never
 * reaches into another folder's files.
 */
const TOP = "^(errors|scenarios|agents|harness|reviews|cli)/";
const FACES =
  "^(errors/index\\.ts|scenarios/index\\.ts|agents/(index|defaults)\\.ts|harness/(index|core|versions|help)\\.ts|reviews/(index|help)\\.ts|reviews/tui/index\\.ts)$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-deep-imports",
      comment: "Across top-level folders, import the other folder's public face (index.ts; harness/core.ts), never its files.",
      severity: "error",
      from: { path: TOP },
      to: { path: TOP, pathNot: [FACES, "^$1/"] },
    },
    {
      name: "errors-at-the-bottom",
      comment: "errors/ (TrajlabError and the catalogue of codes) imports nothing of ours, so every layer may import it.",
      severity: "error",
      from: { path: "^errors/" },
      to: { path: "^(scenarios|agents|harness|reviews|cli)/|^index\\.ts$" },
    },
    {
      name: "scenarios-stand-alone",
      comment: "scenarios/ is the lowest layer above errors/: it imports nothing else of ours.",
      severity: "error",
      from: { path: "^scenarios/" },
      to: { path: "^(agents|harness|reviews|cli)/" },
    },
    {
      name: "agents-above-scenarios-only",
      comment: "agents/ may import scenarios/ and errors/, nothing else of ours.",
      severity: "error",
      from: { path: "^agents/" },
      to: { path: "^(harness|reviews|cli)/" },
    },
    {
      name: "harness-below-reviews-and-cli",
      comment: "harness/ never imports reviews/ or cli/.",
      severity: "error",
      from: { path: "^harness/" },
      to: { path: "^(reviews|cli)/" },
    },
    {
      name: "graders-are-pure",
      comment: "Graders read trajectories; they never run agents or touch run files (that is harness/experiments/).",
      severity: "error",
      from: { path: "^harness/graders/" },
      to: { path: "^harness/(runner|store|experiments|recorder|metrics)/" },
    },
    {
      name: "runner-below-experiments",
      comment: "Experiments (replay, validation) sit above the runner, never the other way round.",
      severity: "error",
      from: { path: "^harness/(runner|store|recorder|trajectory|metrics|graders|util)/" },
      to: { path: "^harness/experiments/" },
    },
    {
      name: "store-reads-formats-only",
      comment: "The run store knows file formats (trajectory, grade), not how they are produced.",
      severity: "error",
      from: { path: "^harness/store/" },
      to: { path: "^harness/(runner|recorder|experiments|metrics)/|^harness/graders/(?!grade\\.ts$)" },
    },
    {
      name: "reviews-read-the-light-harness",
      comment: "reviews/ reads run files through harness/core.ts, so the review never loads LangChain.",
      severity: "error",
      from: { path: "^reviews/" },
      to: { path: "^(harness/(?!core\\.ts$)|agents/|cli/)" },
    },
    {
      name: "tui-only-from-cli-lazily",
      comment: "Only the CLI loads the Ink TUI, and only with a dynamic import, so headless use never loads Ink.",
      severity: "error",
      from: { path: "^(scenarios|agents|harness|cli)/|^index\\.ts$|^reviews/(?!tui/)" },
      to: { path: "^reviews/tui/", dependencyTypesNot: ["dynamic-import"] },
    },
    {
      name: "package-entry-is-light-of-cli",
      comment: "The package entry (index.ts) never loads the CLI.",
      severity: "error",
      from: { path: "^index\\.ts$" },
      to: { path: "^cli/" },
    },
    {
      name: "no-circular-folders",
      comment: "No import cycle leaves the folder it starts in (modules of one folder may import each other; folders may not).",
      severity: "error",
      from: { path: "^((?:errors|scenarios|agents|harness|reviews|cli)[^.]*)/[^/]+$" },
      to: { circular: true, via: { pathNot: "^$1/[^/]+$" } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|runs|tests|bench)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js"],
    },
  },
};
