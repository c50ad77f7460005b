import picomatch from "picomatch";
import { builtinAgents, type AgentDefinition, type PriceTable } from "../agents/index.js";
import { builtinPolicies, builtinScenarios, type Policy, type Scenario } from "../scenarios/index.js";
import {
  BUILTIN_RULES,
  builtinGraders,
  findConfigFile,
  type Grader,
  loadConfig,
  type PolicyRule,
  policyRulesGrader,
} from "../harness/index.js";
import { relative } from "node:path";
import { TrajlabError } from "../harness/core.js";
import type { ScenarioFilterOptions } from "./options.js";

/** Everything a command can choose from: scenarios, agents, policies, graders. */
export interface Catalog {
  readonly scenarios: readonly Scenario[];
  readonly agents: readonly AgentDefinition[];
  readonly policies: readonly Policy[];
  readonly graders: readonly Grader[];
  /** Policy rules the `rules` grader knows: the built-in ones and the config's. */
  readonly rules: readonly PolicyRule[];
  /** Model prices the config adds to (and puts before) the built-in table. */
  readonly prices: PriceTable;
  /** The config file that added to the built-ins, if any. */
  readonly configFile?: string | null;
}

/** Where {@link loadCatalog} looks for a configuration. */
export interface CatalogOptions {
  /** Folder to look for `trajlab.config.ts` in (default: the working directory). */
  readonly cwd?: string;
  /** Config file to load (default: `$TRAJLAB_CONFIG`, else `trajlab.config.ts` in `cwd` if present). */
  readonly configFile?: string;
  /** Keep scenarios with clashing ids instead of failing (for `trajlab check`, which reports them). */
  readonly allowDuplicateScenarios?: boolean;
}

/**
 * The built-in catalog plus what `trajlab.config.ts` registers. Agent,
 * policy and grader ids must be unique; so must scenario ids, unless asked to
 * keep clashes for `trajlab check` to report.
 */
export async function loadCatalog(options: CatalogOptions = {}): Promise<Catalog> {
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(cwd, options.configFile ?? (process.env.TRAJLAB_CONFIG || undefined));
  const config = file ? await loadConfig(file) : null;
  const where = file ? relative(cwd, file) || file : "";
  const rules = uniqueIds([...BUILTIN_RULES, ...(config?.rules ?? [])], "rule", where);
  // The rules grader knows the config's rules too.
  const graders = builtinGraders.map((grader) => (grader.id === "rules" && config?.rules.length ? policyRulesGrader({ rules }) : grader));
  const catalog: Catalog = {
    scenarios: [...builtinScenarios(), ...(config?.scenarios ?? [])],
    agents: uniqueIds([...builtinAgents, ...(config?.agents ?? [])], "agent", where),
    policies: uniqueIds([...builtinPolicies, ...(config?.policies ?? [])], "policy", where),
    graders: uniqueIds([...graders, ...(config?.graders ?? [])], "grader", where),
    rules,
    prices: config?.prices ?? {},
    configFile: file,
  };
  if (!options.allowDuplicateScenarios) uniqueIds(catalog.scenarios, "scenario", where);
  return catalog;
}

function uniqueIds<T extends { id: string; source?: string }>(items: readonly T[], what: string, file: string): readonly T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const first = seen.get(item.id);
    if (first) {
      const places = [first.source, item.source].filter(Boolean).join(" and ");
      throw new TrajlabError(
        "DUPLICATE_ID",
        `${file || "the catalog"}: ${what} id "${item.id}" is registered twice${places ? ` (${places})` : ""}`,
        {
          hint:
            what === "scenario"
              ? "give each scenario its own id; `npx trajlab check` lists every problem"
              : `give your ${what} another id; built-in ${what} ids are taken`,
        },
      );
    }
    seen.set(item.id, item);
  }
  return items;
}

/** Scenario filters from the command line. */
export interface ScenarioFilter {
  readonly patterns?: readonly string[];
  readonly domains?: readonly string[];
  readonly tags?: readonly string[];
}

/**
 * Scenarios matching every given filter: any of the glob patterns (on the
 * id), any of the domains, any of the tags. An empty selection is an error
 * that lists what exists.
 */
export function selectScenarios(scenarios: readonly Scenario[], filter: ScenarioFilter): Scenario[] {
  const patterns = filter.patterns ?? [];
  const matchers = patterns.map((pattern) => picomatch(pattern));
  const selected = scenarios.filter(
    (scenario) =>
      (matchers.length === 0 || matchers.some((match) => match(scenario.id))) &&
      (!filter.domains?.length || filter.domains.includes(scenario.domain)) &&
      (!filter.tags?.length || filter.tags.some((tag) => scenario.tags.includes(tag))),
  );
  if (selected.length === 0) {
    const asked = [
      ...patterns.map((p) => `--scenario ${JSON.stringify(p)}`),
      ...(filter.domains ?? []).map((d) => `--domain ${d}`),
      ...(filter.tags ?? []).map((t) => `--tag ${t}`),
    ].join(" ");
    const domains = [...new Set(scenarios.map((s) => s.domain))].join(", ");
    throw new TrajlabError("NO_SCENARIOS", `no scenario matches ${asked}`, {
      hint: `scenario ids look like ${scenarios
        .slice(0, 3)
        .map((s) => s.id)
        .join(", ")}; domains: ${domains}; list them all with: npx trajlab list scenarios`,
    });
  }
  return selected;
}

/** The scenarios the filter options pick: all of them when none is given. */
export function filteredScenarios(scenarios: readonly Scenario[], options: ScenarioFilterOptions): Scenario[] {
  return selectScenarios(scenarios, { patterns: options.scenario, domains: options.domain, tags: options.tag });
}

/** Looks up items by id, with an error that lists the valid ids. */
export function pickById<T extends { id: string }>(
  items: readonly T[],
  ids: readonly string[],
  what: string,
  flag: string,
  plural = `${what}s`,
): T[] {
  return ids.map((id) => {
    const found = items.find((item) => item.id === id);
    if (!found) {
      throw new TrajlabError("UNKNOWN_ID", `${flag} ${JSON.stringify(id)}: no such ${what}`, {
        hint: `${plural}: ${items.map((item) => item.id).join(", ")}`,
      });
    }
    return found;
  });
}
