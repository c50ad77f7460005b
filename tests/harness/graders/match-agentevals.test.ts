import { createTrajectoryMatchEvaluator } from "agentevals";
import { describe, expect, it } from "vitest";
import { matchTrajectory, type MatchOptions, type ToolArgsMode, type TrajectoryMatchMode } from "../../../harness/index.js";
import { generatePairs, type PairMessage } from "./support/trajectory-pairs.js";

const MODES: TrajectoryMatchMode[] = ["strict", "unordered", "subset", "superset"];
const ARG_MODES: ToolArgsMode[] = ["exact", "ignore", "subset", "superset"];
const PAIRS_PER_SETTING = 300;

// Case-insensitive equality of `q` only: an equivalence relation, so greedy
// and maximum matching must agree when it is the only lenient part.
const caseInsensitiveQ = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  String(a.q ?? "").toLowerCase() === String(b.q ?? "").toLowerCase();

type Oracle = (
  actual: PairMessage[],
  reference: PairMessage[],
  options: Required<Pick<MatchOptions, "mode" | "toolArgs">> & MatchOptions,
) => boolean;

describe("matchTrajectory against agentevals on generated pairs", () => {
  for (const mode of MODES) {
    for (const toolArgs of ARG_MODES) {
      for (const overrides of [undefined, { lookup: ["id"] as string[], search: caseInsensitiveQ }]) {
        const label = `${mode} / ${toolArgs}${overrides ? " / with overrides" : ""}`;
        it(label, async () => {
          const evaluator = createTrajectoryMatchEvaluator({
            trajectoryMatchMode: mode,
            toolArgsMatchMode: toolArgs,
            toolArgsMatchOverrides: overrides,
          });
          const seed = MODES.indexOf(mode) * 100 + ARG_MODES.indexOf(toolArgs) * 10 + (overrides ? 1 : 0);
          const counts = { bothPass: 0, bothFail: 0, oursOnly: 0, theirsOnly: 0 };
          for (const pair of generatePairs(seed, PAIRS_PER_SETTING)) {
            const theirs = (await evaluator({ outputs: pair.actual, referenceOutputs: pair.reference })).score === true;
            const ours = matchTrajectory(pair.actual, pair.reference, { mode, toolArgs, overrides });
            const truth = bruteForce(pair.actual, pair.reference, { mode, toolArgs, overrides });
            expect(ours.pass, `${label}: ours disagrees with exhaustive search; edits ${pair.edits.join(", ")}`).toBe(truth);
            if (theirs) expect(ours.pass, `${label}: agentevals passes, ours fails; edits ${pair.edits.join(", ")}`).toBe(true);
            if (ours.pass && theirs) counts.bothPass += 1;
            else if (!ours.pass && !theirs) counts.bothFail += 1;
            else if (ours.pass) counts.oursOnly += 1;
            else counts.theirsOnly += 1;
          }
          expect(counts.theirsOnly).toBe(0);
          // Greedy first-fit and maximum matching agree whenever argument
          // comparison is an equivalence (exact, ignore, key lists, our case-insensitive function).
          if (toolArgs === "exact" || toolArgs === "ignore") expect(counts.oursOnly).toBe(0);
          // Not vacuous: each setting sees both verdicts.
          expect(counts.bothPass).toBeGreaterThan(PAIRS_PER_SETTING * 0.05);
          expect(counts.bothFail).toBeGreaterThan(PAIRS_PER_SETTING * 0.05);
        });
      }
    }
  }

  it("passes pairs that greedy first-fit rejects when argument comparison is asymmetric", async () => {
    const call = (id: string, args: Record<string, unknown>) => ({
      id,
      type: "function" as const,
      function: { name: "lookup", arguments: JSON.stringify(args) },
    });
    const reference: PairMessage[] = [{ role: "assistant", content: "", tool_calls: [call("r1", { a: 1 }), call("r2", { a: 1, b: 2 })] }];
    const actual: PairMessage[] = [{ role: "assistant", content: "", tool_calls: [call("o1", { a: 1, b: 2 }), call("o2", { a: 1 })] }];
    const evaluator = createTrajectoryMatchEvaluator({ trajectoryMatchMode: "superset", toolArgsMatchMode: "superset" });
    expect((await evaluator({ outputs: actual, referenceOutputs: reference })).score).toBe(false);
    const ours = matchTrajectory(actual, reference, { mode: "superset", toolArgs: "superset" });
    expect(ours.pass).toBe(true);
    expect(ours.matched.map((m) => [m.actual, m.reference])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});

/** Exhaustive search over assignments: the definition the matcher must meet. */
const bruteForce: Oracle = (actual, reference, options) => {
  const calls = (messages: PairMessage[]) =>
    messages.flatMap((m) =>
      (m.tool_calls ?? []).map((c) => ({ name: c.function.name, args: JSON.parse(c.function.arguments) as Record<string, unknown> })),
    );
  const same = (
    a: { name: string; args: Record<string, unknown> },
    r: { name: string; args: Record<string, unknown> },
    backward: boolean,
  ): boolean => {
    if (a.name !== r.name) return false;
    const [first, second] = backward ? [r.args, a.args] : [a.args, r.args];
    const override = (options.overrides as Record<string, unknown> | undefined)?.[a.name];
    if (Array.isArray(override)) return override.every((key: string) => equal(first[key], second[key]));
    if (typeof override === "function") return (override as (x: unknown, y: unknown) => boolean)(first, second);
    switch (options.toolArgs) {
      case "exact":
        return equal(first, second);
      case "ignore":
        return true;
      case "subset":
        return Object.entries(first).every(([k, v]) => k in second && equal(second[k], v));
      case "superset":
        return Object.entries(second).every(([k, v]) => k in first && equal(first[k], v));
    }
  };
  // Can every element of `need` be given a distinct partner in `offer`?
  const covers = <T, U>(need: T[], offer: U[], ok: (n: T, o: U) => boolean): boolean => {
    const used = new Array<boolean>(offer.length).fill(false);
    const place = (i: number): boolean => {
      if (i === need.length) return true;
      for (let j = 0; j < offer.length; j++) {
        if (used[j] || !ok(need[i]!, offer[j]!)) continue;
        used[j] = true;
        if (place(i + 1)) return true;
        used[j] = false;
      }
      return false;
    };
    return place(0);
  };
  const A = calls(actual);
  const R = calls(reference);
  switch (options.mode) {
    case "superset":
      return covers(R, A, (r, a) => same(a, r, false));
    case "subset":
      return covers(A, R, (a, r) => same(a, r, true));
    case "unordered":
      return covers(R, A, (r, a) => same(a, r, false)) && covers(A, R, (a, r) => same(a, r, true));
    case "strict": {
      if (actual.length !== reference.length) return false;
      return actual.every((m, i) => {
        const r = reference[i]!;
        if (m.role !== r.role || (m.tool_calls == null) !== (r.tool_calls == null)) return false;
        const mc = calls([m]);
        const rc = calls([r]);
        return mc.length === rc.length && covers(mc, rc, (a, x) => same(a, x, false));
      });
    }
  }
};

function equal(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => kb.includes(k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
