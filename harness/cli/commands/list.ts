import type { Command } from "commander";
import { isHandoffStep, type Scenario } from "../../../scenarios/index.js";
import { TrajlabError } from "../../errors.js";
import { addScenarioFilters, filteredScenarios, loadCatalog, type Catalog, type ScenarioFilterOptions } from "../catalog.js";
import { formatTable } from "../format.js";

const KINDS = ["scenarios", "agents", "policies", "graders"] as const;
type Kind = (typeof KINDS)[number];

interface ListOptions extends ScenarioFilterOptions {
  json?: boolean;
}

/** `trajlab list scenarios|agents|policies|graders [--json]`. */
export function registerList(program: Command): void {
  addScenarioFilters(program.command("list <what>"), "scenarios only: ")
    .description(`list ${KINDS.join(", ")} (built-in and from trajlab.config.ts)`)
    .option("--json", "print JSON (scenarios: id, domain, title, multiAgent, multiTurn, agents, tags, referenceCalls, source)")
    .action(async (what: string, options: ListOptions) => {
      if (!KINDS.includes(what as Kind)) {
        throw new TrajlabError("BAD_ARGUMENT", `trajlab list ${JSON.stringify(what)}: expected one of ${KINDS.join(", ")}`);
      }
      const catalog = await loadCatalog();
      const filtered = { ...catalog, scenarios: filteredScenarios(catalog.scenarios, options) };
      const rows = listRows(filtered, what as Kind);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const keys = Object.keys(rows[0] ?? {}).filter((key) => key !== "source" && key !== "agents");
      const table = [keys, ...rows.map((row) => keys.map((key) => display(row[key])))];
      const summary = what === "scenarios" ? `\n\n${scenarioSummary(filtered.scenarios)}` : "";
      process.stdout.write(`${formatTable(table)}${summary}\n`);
    });
}

/** One row per item; for scenarios, what `--json` promises. */
export function listRows(catalog: Catalog, kind: Kind): Record<string, unknown>[] {
  switch (kind) {
    case "scenarios":
      return catalog.scenarios.map((s) => ({
        id: s.id,
        domain: s.domain,
        multiAgent: s.team !== undefined,
        multiTurn: s.user !== undefined,
        referenceCalls: toolCallsOf(s),
        tags: [...s.tags],
        title: s.title,
        agents: s.team ? s.team.members.map((m) => m.name) : [],
        source: s.source ?? null,
      }));
    case "agents":
      return catalog.agents.map((a) => ({ id: a.id, multiAgent: a.multiAgent === true, rootAgent: a.rootAgent, description: a.description }));
    case "policies":
      return catalog.policies.map((p) => ({ id: p.id, description: p.description }));
    case "graders":
      return catalog.graders.map((g) => ({ id: g.id, description: g.description }));
  }
}

/** Tool calls of the reference plan (questions to the user and handoffs are not tool calls). */
function toolCallsOf(scenario: Scenario): number {
  return scenario.reference.calls.filter((step) => step.tool !== undefined && !isHandoffStep(scenario, step.tool)).length;
}

function scenarioSummary(scenarios: readonly Scenario[]): string {
  const domains = new Set(scenarios.map((s) => s.domain));
  const multiAgent = scenarios.filter((s) => s.team).length;
  const multiTurn = scenarios.filter((s) => s.user).length;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return `${count(scenarios.length, "scenario")} in ${count(domains.size, "domain")} (${[...domains].join(", ")}); ${multiAgent} multi-agent, ${multiTurn} with a simulated user`;
}

function display(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}
