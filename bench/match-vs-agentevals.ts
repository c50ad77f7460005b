/**
 * matchTrajectory against agentevals' trajectory matching on the same seeded
 * pairs, in every trajectory mode with exact and subset arguments. Two
 * baselines, timed in the same process: agentevals' evaluator
 * (`createTrajectoryMatchEvaluator`, which spends most of its time in its
 * tracing and feedback wrappers), and its scorer alone (the `_scorer` of each
 * mode, called on the same messages: the matching itself, greedy first-fit
 * with no diff). Prints pairs per second for each, the ratios, and how often
 * the verdicts agreed.
 *
 * Same inputs for all three (the pairs' chat-format messages, as they are),
 * and the same question (does the pair pass in this mode?), but not the same
 * work: the scorer stops at the first comparison that fails (strict mode at
 * the first differing message) and gives only a verdict, while
 * matchTrajectory compares every call and also computes the diff, partial
 * credit and order score of every pair. The target is matchTrajectory as a
 * whole against the scorer alone. So that the ratio per mode says where the
 * difference comes from, the scorer and matchTrajectory are also timed on the
 * passing pairs alone (where the scorer compares every call, as
 * matchTrajectory does) and on the failing ones alone (where the scorer stops
 * early: in strict mode often at the message count).
 *
 * Leaves out: agentevals' scorer is async (it awaits each argument
 * comparison), matchTrajectory is not.
 *
 *   npx tsx bench/match-vs-agentevals.ts [pairs]
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createTrajectoryMatchEvaluator } from "agentevals";
import { matchTrajectory, type ToolArgsMode, type TrajectoryMatchMode } from "../harness/index.js";
import { generatePairs, type TrajectoryPair } from "../tests/harness/graders/support/trajectory-pairs.js";

type Scorer = (params: Record<string, unknown>) => Promise<boolean>;
// The scorers are not in agentevals' exports map: load them from its files, beside its entry.
const agentevalsDir = dirname(createRequire(import.meta.url).resolve("agentevals"));
const scorers = Object.fromEntries(
  await Promise.all(
    (["strict", "unordered", "subset", "superset"] as const).map(async (mode) => {
      const module = (await import(pathToFileURL(join(agentevalsDir, "dist", "trajectory", `${mode}.js`)).href)) as { _scorer: Scorer };
      return [mode, module._scorer] as const;
    }),
  ),
) as Record<TrajectoryMatchMode, Scorer>;

const count = Number(process.argv[2] ?? 2000);
const pairs = generatePairs(2026, count, { turns: 6, callsPerTurn: 3 });
const modes: TrajectoryMatchMode[] = ["strict", "unordered", "subset", "superset"];
const argModes: ToolArgsMode[] = ["exact", "subset"];

/**
 * The fastest of `rounds` timings of each piece of work, taking turns (one
 * round of each, then again), so that a busy moment of the machine falls on
 * all of them rather than on one. Each is run once first, to warm it up.
 */
async function fastestInTurns(works: ReadonlyArray<() => Promise<void> | void>, rounds = 7): Promise<number[]> {
  for (const work of works) await work();
  const fastest = works.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (const [index, work] of works.entries()) {
      const started = performance.now();
      await work();
      fastest[index] = Math.min(fastest[index]!, performance.now() - started);
    }
  }
  return fastest;
}

/** Scorer time / matchTrajectory time on some of the pairs, with how many: `1.23 (n=456)`. */
async function scorerRatio(some: readonly TrajectoryPair[], mode: TrajectoryMatchMode, toolArgs: ToolArgsMode): Promise<string> {
  const scorer = scorers[mode];
  const [scored = NaN, ours = NaN] = await fastestInTurns([
    async () => {
      for (const pair of some) await scorer({ outputs: pair.actual, referenceOutputs: pair.reference, toolArgsMatchMode: toolArgs });
    },
    () => {
      for (const pair of some) matchTrajectory(pair.actual, pair.reference, { mode, toolArgs });
    },
  ]);
  return `${(scored / ours).toFixed(2)} (n=${some.length})`;
}

console.log(`matchTrajectory vs agentevals: ${count} seeded pairs per setting (up to 6 turns x 3 calls)`);
console.log(
  `  ${"mode / args".padEnd(20)} ${"evaluator".padStart(10)} ${"scorer".padStart(10)} ${"matchTrajectory".padStart(16)}  ${"vs evaluator".padStart(12)}  ${"vs scorer".padStart(9)}  ${"passing".padStart(12)}  ${"failing".padStart(12)}  agree`,
);
const totals = { evaluator: 0, scorer: 0, ours: 0 };
for (const mode of modes) {
  for (const toolArgs of argModes) {
    const evaluator = createTrajectoryMatchEvaluator({ trajectoryMatchMode: mode, toolArgsMatchMode: toolArgs });
    const scorer = scorers[mode];
    const theirVerdicts: boolean[] = [];
    const ourVerdicts: boolean[] = [];
    const [wrapped = NaN, scored = NaN, ours = NaN] = await fastestInTurns([
      async () => {
        theirVerdicts.length = 0;
        for (const pair of pairs)
          theirVerdicts.push((await evaluator({ outputs: pair.actual, referenceOutputs: pair.reference })).score === true);
      },
      async () => {
        for (const pair of pairs) await scorer({ outputs: pair.actual, referenceOutputs: pair.reference, toolArgsMatchMode: toolArgs });
      },
      () => {
        ourVerdicts.length = 0;
        for (const pair of pairs) ourVerdicts.push(matchTrajectory(pair.actual, pair.reference, { mode, toolArgs }).pass);
      },
    ]);
    totals.evaluator += wrapped;
    totals.scorer += scored;
    totals.ours += ours;
    const agree = ourVerdicts.filter((verdict, i) => verdict === theirVerdicts[i]).length;
    // One after the other: timings taken at once would overlap.
    const subset = (pass: boolean) => pairs.filter((_, i) => ourVerdicts[i] === pass && theirVerdicts[i] === pass);
    const passing = await scorerRatio(subset(true), mode, toolArgs);
    const failing = await scorerRatio(subset(false), mode, toolArgs);
    const rate = (ms: number) => `${((count / ms) * 1000).toFixed(0)}/s`;
    console.log(
      `  ${`${mode} / ${toolArgs}`.padEnd(20)} ${rate(wrapped).padStart(10)} ${rate(scored).padStart(10)} ${rate(ours).padStart(16)}  ${(wrapped / ours).toFixed(2).padStart(12)}  ${(scored / ours).toFixed(2).padStart(9)}  ${passing.padStart(12)}  ${failing.padStart(12)}  ${agree}/${count}`,
    );
  }
}
console.log(`  overall time ratio, agentevals evaluator / matchTrajectory: ${(totals.evaluator / totals.ours).toFixed(2)}`);
console.log(
  `  overall time ratio, agentevals scorer alone / matchTrajectory: ${(totals.scorer / totals.ours).toFixed(2)} (target: at least 1.00)`,
);
console.log("  (matchTrajectory also computes the diff, partial credit and order score on every pair; the scorer only a verdict)");
console.log(
  "  (passing, failing: scorer / matchTrajectory on the pairs both pass, or both fail, alone; on failing pairs the scorer stops at the first failed comparison)",
);
