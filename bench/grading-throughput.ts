/**
 * Grading throughput on a large run. One run of every built-in scenario
 * under the reference, wasteful and faulty policies is recorded, then copied
 * (with fresh ids) until it holds the requested number of trajectories.
 * Baseline, measured in the same process on the same trajectories: reading
 * them (schema validation of each line, what `trajlab grade` pays before
 * grading). Prints trajectories per second for both, the ratio, and each
 * built-in grader's share.
 *
 *   npx tsx bench/grading-throughput.ts [trajectories]
 */
import { builtinAgents, defaultAgentId } from "../agents/index.js";
import { builtinPolicies, builtinScenarios } from "../scenarios/index.js";
import { builtinGraders, gradeTrajectory, runTrial, TrajectorySchema, type Trajectory } from "../harness/index.js";

const size = Number(process.argv[2] ?? 2000);
const scenarios = builtinScenarios();
const byId = new Map(scenarios.map((scenario) => [scenario.id, scenario]));

const recorded: Trajectory[] = [];
for (const scenario of scenarios) {
  const agent = builtinAgents.find((candidate) => candidate.id === defaultAgentId(scenario))!;
  for (const policy of ["reference", "wasteful", "faulty"]) {
    recorded.push(
      await runTrial({
        runId: "bench",
        scenario,
        agent,
        model: `policy:${policy}`,
        trial: 0,
        seed: 1,
        timeoutMs: 60_000,
        policies: builtinPolicies,
      }),
    );
  }
}
const run: Trajectory[] = Array.from({ length: size }, (_, i) => ({
  ...structuredClone(recorded[i % recorded.length]!),
  id: `tr-bench-${i}`,
}));
const lines = run.map((trajectory) => JSON.stringify(trajectory));

function timed(label: string, work: () => void, rounds = 3): number {
  work(); // warm-up
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  const perSecond = (size / best) * 1000;
  console.log(`  ${label.padEnd(44)} ${perSecond.toFixed(0).padStart(8)} trajectories/s  (${best.toFixed(0)} ms for ${size})`);
  return perSecond;
}

console.log(`grading throughput: ${size} trajectories (${recorded.length} recorded over ${scenarios.length} scenarios, copied)`);
const parsing = timed("baseline: read and validate each line", () => {
  for (const line of lines) TrajectorySchema.parse(JSON.parse(line));
});
const grading = timed("all built-in graders (gradeTrajectory)", () => {
  for (const trajectory of run) gradeTrajectory(trajectory, byId.get(trajectory.scenarioId));
});
console.log(
  `  ratio grading/baseline throughput: ${(grading / parsing).toFixed(3)} (grading is ${(parsing / grading).toFixed(2)}x the time of reading)`,
);
console.log("  per grader:");
for (const grader of builtinGraders) {
  timed(
    `    ${grader.id}`,
    () => {
      for (const trajectory of run) gradeTrajectory(trajectory, byId.get(trajectory.scenarioId), [grader]);
    },
    2,
  );
}
