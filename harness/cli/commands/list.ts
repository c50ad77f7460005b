import type { Command } from "commander";
import { TrajlabError } from "../../errors.js";
import { loadCatalog } from "../catalog.js";
import { formatTable } from "../format.js";

const KINDS = ["scenarios", "agents", "policies", "graders"] as const;
type Kind = (typeof KINDS)[number];

export function registerList(program: Command): void {
  program
    .command("list <what>")
    .description(`list ${KINDS.join(", ")}`)
    .option("--json", "print JSON")
    .action(async (what: string, options: { json?: boolean }) => {
      if (!KINDS.includes(what as Kind)) {
        throw new TrajlabError("BAD_ARGUMENT", `trajlab list ${JSON.stringify(what)}: expected one of ${KINDS.join(", ")}`);
      }
      const catalog = await loadCatalog();
      const rows = listRows(catalog, what as Kind);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const keys = Object.keys(rows[0] ?? {});
      const table = [keys, ...rows.map((row) => keys.map((key) => display(row[key])))];
      process.stdout.write(`${formatTable(table)}\n`);
    });
}

function listRows(catalog: Awaited<ReturnType<typeof loadCatalog>>, kind: Kind): Record<string, unknown>[] {
  switch (kind) {
    case "scenarios":
      return catalog.scenarios.map((s) => ({
        id: s.id,
        domain: s.domain,
        multiAgent: false,
        referenceCalls: s.reference.calls.length,
        tags: [...s.tags],
        title: s.title,
      }));
    case "agents":
      return catalog.agents.map((a) => ({ id: a.id, description: a.description }));
    case "policies":
      return catalog.policies.map((p) => ({ id: p.id, description: p.description }));
    case "graders":
      return catalog.graders.map((g) => ({ id: g.id, description: g.description }));
  }
}

function display(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}
