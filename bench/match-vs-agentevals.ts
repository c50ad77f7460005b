/**
 * matchTrajectory against agentevals' trajectory-match evaluator on the same
 * seeded pairs, in every trajectory mode with exact and subset arguments.
 * Baseline: agentevals' `createTrajectoryMatchEvaluator`, timed in the same
 * process. Prints pairs per second for each and the ratio, with how often
 * the verdicts agreed.
 *
 *   npx tsx bench/match-vs-agentevals.ts [pairs]
 */
import { createTrajectoryMatchEvaluator } from "agentevals";
import { matchTrajectory, type ToolArgsMode, type TrajectoryMatchMode } from "../harness/index.js";
import { generatePairs } from "../tests/harness/graders/support/trajectory-pairs.js";

const count = Number(process.argv[2] ?? 2000);
const pairs = generatePairs(2026, count, { turns: 6, callsPerTurn: 3 });
const modes: TrajectoryMatchMode[] = ["strict", "unordered", "subset", "superset"];
const argModes: ToolArgsMode[] = ["exact", "subset"];

async function best(work: () => Promise<void> | void, rounds = 3): Promise<number> {
  await work();
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

console.log(`matchTrajectory vs agentevals: ${count} seeded pairs per setting (up to 6 turns x 3 calls)`);
console.log(`  ${"mode / args".padEnd(20)} ${"agentevals".padStart(14)} ${"matchTrajectory".padStart(16)}  ratio  agree`);
let totalTheirs = 0;
let totalOurs = 0;
for (const mode of modes) {
  for (const toolArgs of argModes) {
    const evaluator = createTrajectoryMatchEvaluator({ trajectoryMatchMode: mode, toolArgsMatchMode: toolArgs });
    const theirVerdicts: boolean[] = [];
    const ourVerdicts: boolean[] = [];
    const theirs = await best(async () => {
      theirVerdicts.length = 0;
      for (const pair of pairs)
        theirVerdicts.push((await evaluator({ outputs: pair.actual, referenceOutputs: pair.reference })).score === true);
    });
    const ours = await best(() => {
      ourVerdicts.length = 0;
      for (const pair of pairs) ourVerdicts.push(matchTrajectory(pair.actual, pair.reference, { mode, toolArgs }).pass);
    });
    totalTheirs += theirs;
    totalOurs += ours;
    const agree = ourVerdicts.filter((verdict, i) => verdict === theirVerdicts[i]).length;
    const rate = (ms: number) => `${((count / ms) * 1000).toFixed(0)}/s`;
    console.log(
      `  ${`${mode} / ${toolArgs}`.padEnd(20)} ${rate(theirs).padStart(14)} ${rate(ours).padStart(16)}  ${(theirs / ours).toFixed(2).padStart(5)}  ${agree}/${count}`,
    );
  }
}
console.log(`  overall ratio (agentevals time / matchTrajectory time): ${(totalTheirs / totalOurs).toFixed(2)}`);
console.log("  (matchTrajectory also computes the diff, partial credit and order score on every pair)");
