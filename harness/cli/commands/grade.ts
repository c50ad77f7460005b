import { existsSync } from "node:fs";
import { copyFile, readFile } from "node:fs/promises";
import type { Command } from "commander";
import { gradeTrajectory } from "../../graders/registry.js";
import { summarise } from "../../metrics/summary.js";
import { openRun, runsDirectory } from "../../store/run-store.js";
import { loadCatalog } from "../catalog.js";
import { renderSummary } from "./run.js";

interface GradeOptions {
  runsDir?: string;
  json?: boolean;
}

export function registerGrade(program: Command): void {
  program
    .command("grade [run]")
    .description("re-grade a run's trajectories without re-running agents (latest run by default)")
    .option("--runs-dir <dir>", "where runs are stored")
    .option("--json", "print the summary as JSON")
    .action(async (runArg: string | undefined, options: GradeOptions) => {
      const catalog = await loadCatalog();
      const run = await openRun(runsDirectory(options.runsDir), runArg);
      const trajectories = await run.readTrajectories((problem) =>
        process.stderr.write(`warning: skipped ${problem.file}:${problem.line} (${problem.message}); it looks like a write cut short by a crash\n`),
      );
      const byId = new Map(catalog.scenarios.map((scenario) => [scenario.id, scenario]));
      const grades = trajectories.flatMap((trajectory) => gradeTrajectory(trajectory, byId.get(trajectory.scenarioId), catalog.graders));
      const content = grades.map((grade) => `${JSON.stringify(grade)}\n`).join("");
      const file = run.file("grades");
      const previous = existsSync(file) ? await readFile(file, "utf8") : null;
      if (previous !== null && previous !== content) {
        // Earlier grades are kept beside the new ones, never overwritten.
        const backup = `${file.replace(/\.jsonl$/, "")}.${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`;
        await copyFile(file, backup);
        process.stderr.write(`grades changed; previous grades kept in ${backup}\n`);
      }
      if (previous !== content) await run.writeAtomically("grades", content);
      const manifest = await run.manifest();
      const summary = summarise(manifest.runId, trajectories, grades, 0);
      process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderSummary(summary)}\n\ngrades written to ${file}\n`);
    });
}
