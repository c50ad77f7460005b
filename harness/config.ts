import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";
import { isScenario, type Policy, type Scenario } from "../scenarios/index.js";
import { defineAgent, type AgentDefinition, type ModelPrice, type PriceTable } from "../agents/index.js";
import { TrajlabError, describeValue, errorMessage } from "../errors/index.js";
import { importUserModule } from "./util/user-module.js";
import type { Grader } from "./graders/grade.js";
import type { PolicyRule } from "./graders/rules/rule.js";
import { checkGraders } from "./graders/registry.js";

/**
 * What a `trajlab.config.ts` registers: agent builders, scenarios (directly,
 * or folders of scenario modules), offline policies and graders. Everything
 * is added to the built-in ones; ids must not clash with them.
 */
export interface TrajlabConfig {
  /** Agent builders, run with `--agent <id>` (see defineAgent). */
  readonly agents?: readonly AgentDefinition[];
  /** Scenarios made with defineScenario. */
  readonly scenarios?: readonly Scenario[];
  /**
   * Folders, relative to the config file, whose modules export scenarios:
   * the folder's index module if it has one, otherwise every module in it.
   */
  readonly scenarioDirs?: readonly string[];
  /** Offline policies, run with `--policy <id>` (see faultyPolicy for a seeded fault injector). */
  readonly policies?: readonly Policy[];
  /** Graders, run by `trajlab run` and `trajlab grade` after the built-in ones. */
  readonly graders?: readonly Grader[];
  /**
   * Policy rules (made with defineRule), checked by the `rules` grader where
   * scenarios (`rules: ["my_rule"]`), imported trajectories or
   * `trajlab grade --rule` declare them.
   */
  readonly rules?: readonly PolicyRule[];
  /**
   * Prices in US dollars per million tokens, by model spec (`openai:my-model`)
   * or bare model name, looked up before the built-in table: what a run's
   * calls cost, and what `--max-cost` counts.
   */
  readonly prices?: PriceTable;
}

/** Declares a configuration; export it as the default export of `trajlab.config.ts`. */
export function defineConfig(config: TrajlabConfig): TrajlabConfig {
  return config;
}

/** File names looked for in the working directory, in order. */
export const CONFIG_FILES = ["trajlab.config.ts", "trajlab.config.mts", "trajlab.config.js", "trajlab.config.mjs"] as const;

/** A configuration after loading: its file and what it registers, checked. */
export interface LoadedConfig {
  readonly file: string;
  readonly agents: AgentDefinition[];
  readonly scenarios: Scenario[];
  readonly policies: Policy[];
  readonly graders: Grader[];
  readonly rules: PolicyRule[];
  readonly prices: PriceTable;
}

/** The config file to use: the one given, else the first of {@link CONFIG_FILES} in `cwd`, else null. */
export function findConfigFile(cwd: string, explicit?: string): string | null {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new TrajlabError("CONFIG_NOT_FOUND", `config file ${explicit} does not exist`, {
        hint: `looked for ${file}; check the path given to --config (or TRAJLAB_CONFIG)`,
      });
    }
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Imports a config file (TypeScript works: see importUserModule) and checks
 * what it registers. Every problem names the file and the entry at fault.
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const shown = relative(process.cwd(), file) || file;
  let module: Record<string, unknown>;
  try {
    module = await importUserModule(file);
  } catch (error) {
    throw new TrajlabError("CONFIG_LOAD", `${shown} could not be loaded: ${errorMessage(error)}`, { hint: loadHint(error), cause: error });
  }
  const config = (module.default ?? module.config) as TrajlabConfig | undefined;
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    const what = config === undefined ? "no configuration" : `${describeValue(config)} as its configuration, not an object`;
    throw new TrajlabError("CONFIG_INVALID", `${shown} exports ${what}`, {
      hint: 'end it with: export default defineConfig({ agents: [...], scenarioDirs: ["./scenarios"] })',
    });
  }
  const known = new Set(["agents", "scenarios", "scenarioDirs", "policies", "graders", "rules", "prices"]);
  const unknown = Object.keys(config).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new TrajlabError("CONFIG_INVALID", `${shown}: unknown field(s) ${unknown.join(", ")}`, {
      hint: `fields: ${[...known].join(", ")}`,
    });
  }
  const agents = listOf(config.agents, shown, "agents").map((agent, index) => checkAgent(agent, `${shown}: agents[${index}]`, shown));
  const scenarios = listOf(config.scenarios, shown, "scenarios").map((scenario, index) => {
    if (!isScenario(scenario))
      throw new TrajlabError("CONFIG_INVALID", `${shown}: scenarios[${index}] is not a scenario`, {
        hint: "make scenarios with defineScenario({ id, title, environment, task, reference, ... })",
      });
    return scenario;
  });
  for (const [index, dir] of listOf(config.scenarioDirs, shown, "scenarioDirs").entries()) {
    if (typeof dir !== "string")
      throw new TrajlabError("CONFIG_INVALID", `${shown}: scenarioDirs[${index}] is not a path`, {
        hint: 'give folders as strings, e.g. scenarioDirs: ["./scenarios"]',
      });
    scenarios.push(...(await scenariosIn(resolve(dirname(file), dir), `${shown}: scenarioDirs[${index}] (${dir})`)));
  }
  const policies = listOf(config.policies, shown, "policies").map((policy, index) => {
    const candidate = policy as Partial<Policy> | null;
    if (!candidate || typeof candidate.id !== "string" || typeof candidate.script !== "function") {
      throw new TrajlabError("CONFIG_INVALID", `${shown}: policies[${index}] is not a policy`, {
        hint: "a policy is { id, description, script(scenario, { seed }) => { policy, steps, answer } }, or use faultyPolicy({ id, rates })",
      });
    }
    return { description: `policy ${candidate.id}`, ...candidate } as Policy;
  });
  const graders = [...checkGraders(listOf(config.graders, shown, "graders") as Grader[], shown)];
  const rules = listOf(config.rules, shown, "rules").map((rule, index) => {
    const candidate = rule as Partial<PolicyRule> | null;
    if (!candidate || typeof candidate.id !== "string" || typeof candidate.check !== "function") {
      throw new TrajlabError("CONFIG_INVALID", `${shown}: rules[${index}] is not a policy rule`, {
        hint: "make rules with defineRule({ id, description, check(trajectory) { return [{ eventId, reason }] } })",
      });
    }
    return candidate as PolicyRule;
  });
  return { file, agents, scenarios, policies, graders, rules, prices: checkPrices(config.prices, shown) };
}

/** A price table from a config: each entry { inputPerMTok, outputPerMTok[, cachedInputPerMTok] }, in dollars, at least 0. */
function checkPrices(value: unknown, file: string): PriceTable {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TrajlabError("CONFIG_INVALID", `${file}: prices must be an object of model → price`, {
      hint: 'prices: { "openai:gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 } }',
    });
  }
  for (const [model, price] of Object.entries(value)) {
    const fields = price as Partial<Record<keyof ModelPrice, unknown>> | null;
    const bad = (["inputPerMTok", "outputPerMTok", "cachedInputPerMTok"] as const).filter((name) => {
      const amount = fields?.[name];
      return (
        (amount !== undefined || name !== "cachedInputPerMTok") && !(typeof amount === "number" && Number.isFinite(amount) && amount >= 0)
      );
    });
    if (!fields || typeof fields !== "object" || bad.length > 0) {
      throw new TrajlabError(
        "CONFIG_INVALID",
        `${file}: prices[${JSON.stringify(model)}]: ${bad.join(", ") || "the price"} must be a number of dollars per million tokens, at least 0`,
        {
          hint: `write "${model}": { inputPerMTok: 0.15, outputPerMTok: 0.6 }`,
        },
      );
    }
  }
  return value as PriceTable;
}

function listOf(value: unknown, file: string, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new TrajlabError("CONFIG_INVALID", `${file}: ${field} must be an array`, { hint: `write ${field}: [ ... ]` });
  return [...value];
}

function checkAgent(value: unknown, where: string, file: string): AgentDefinition {
  const candidate = value as Partial<AgentDefinition> | null;
  if (!candidate || typeof candidate.id !== "string" || typeof candidate.build !== "function") {
    throw new TrajlabError("CONFIG_INVALID", `${where} is not an agent builder`, {
      hint: "an agent is defineAgent({ id, build: ({ model, tools, scenario }) => compiledGraph }); build returns a LangGraph graph (createAgent works)",
    });
  }
  try {
    return defineAgent({ ...candidate, id: candidate.id, build: candidate.build, source: candidate.source ?? file });
  } catch (error) {
    throw new TrajlabError("CONFIG_INVALID", `${where}: ${errorMessage(error)}`, {
      hint: "agent ids are letters, digits, '.', '_' or '-'",
    });
  }
}

const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

/** Scenarios exported by a folder's index module, or by every module in it. */
async function scenariosIn(dir: string, where: string): Promise<Scenario[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TrajlabError("CONFIG_INVALID", `${where}: no such folder`, {
      hint: `looked for ${dir}; paths are relative to the config file`,
    });
  }
  const entries = readdirSync(dir)
    .filter((name) => MODULE_EXTENSIONS.has(extname(name)) && !name.endsWith(".d.ts") && !/\.test\.[cm]?[jt]s$/.test(name))
    .sort();
  const index = entries.find((name) => /^index\.[cm]?[jt]s$/.test(name));
  const scenarios: Scenario[] = [];
  for (const name of index ? [index] : entries) {
    let module: Record<string, unknown>;
    try {
      module = await importUserModule(join(dir, name));
    } catch (error) {
      throw new TrajlabError("CONFIG_LOAD", `${where}: ${name} could not be loaded: ${errorMessage(error)}`, {
        hint: loadHint(error),
        cause: error,
      });
    }
    for (const value of Object.values(module)) {
      for (const item of Array.isArray(value) ? value : [value]) if (isScenario(item) && !scenarios.includes(item)) scenarios.push(item);
    }
  }
  if (scenarios.length === 0) {
    throw new TrajlabError("CONFIG_INVALID", `${where}: no scenario is exported from ${index ?? `its ${entries.length} module(s)`}`, {
      hint: "export the scenarios (export const myScenario = defineScenario({...}), or an array of them)",
    });
  }
  return scenarios;
}

/** The fix for a module that failed to import; CommonJS scopes are the usual surprise. */
function loadHint(error: unknown): string {
  if (/require\(\)|ES Module|import statement outside a module|exports is not defined/i.test(errorMessage(error))) {
    return 'config and scenario modules are ES modules: add "type": "module" to your package.json, or name the files .mts';
  }
  return "fix the error in that file (or in a module it imports); files are imported as ES modules, TypeScript included";
}
