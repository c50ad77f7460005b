import picomatch from "picomatch";
import { builtinAgents, type AgentDefinition } from "../../agents/index.js";
import { builtinPolicies, builtinScenarios, type Policy, type Scenario } from "../../scenarios/index.js";
import { builtinGraders } from "../graders/registry.js";
import type { Grader } from "../graders/grade.js";
import { TrajlabError } from "../errors.js";

/** Everything a command can choose from: scenarios, agents, policies, graders. */
export interface Catalog {
  readonly scenarios: readonly Scenario[];
  readonly agents: readonly AgentDefinition[];
  readonly policies: readonly Policy[];
  readonly graders: readonly Grader[];
}

/** The built-in catalog. */
export async function loadCatalog(): Promise<Catalog> {
  return { scenarios: builtinScenarios(), agents: builtinAgents, policies: builtinPolicies, graders: builtinGraders };
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
      hint: `scenario ids look like ${scenarios.slice(0, 3).map((s) => s.id).join(", ")}; domains: ${domains}; list them all with: npx trajlab list scenarios`,
    });
  }
  return selected;
}

/** Looks up items by id, with an error that lists the valid ids. */
export function pickById<T extends { id: string }>(items: readonly T[], ids: readonly string[], what: string, flag: string, plural = `${what}s`): T[] {
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
