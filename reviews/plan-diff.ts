import { canonicalJson, type ReferencePlan, type ToolCallEvent } from "../harness/core.js";

/** One reference call, numbered from 1 as the reviewer sees it. */
export interface ReferenceCall {
  readonly number: number;
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly agent?: string;
}

/**
 * One row of the reference plan set beside the actual calls:
 * `same` (same tool and arguments), `args` (same tool, other arguments),
 * `missing` (in the plan, never called), `extra` (called, not in the plan).
 */
export type PlanRow =
  | { readonly kind: "same" | "args"; readonly reference: ReferenceCall; readonly actual: ToolCallEvent }
  | { readonly kind: "missing"; readonly reference: ReferenceCall }
  | { readonly kind: "extra"; readonly actual: ToolCallEvent };

/**
 * Aligns the reference plan with the calls the agent made, keeping both in
 * order: the longest common subsequence by tool name, preferring pairs whose
 * arguments are equal too. Rows follow the actual calls, with each missing
 * reference call placed where the agent should have made it.
 */
export function alignPlan(reference: ReferencePlan["calls"], actual: readonly ToolCallEvent[]): PlanRow[] {
  const plan: ReferenceCall[] = reference.map((call, index) => ({ number: index + 1, ...call }));
  const n = plan.length;
  const m = actual.length;
  const planArgs = plan.map((call) => canonicalJson(call.args));
  const actualArgs = actual.map((call) => canonicalJson(call.args));
  // score[i][j]: best alignment of plan[i..] with actual[j..]; a name match is worth 2, equal args 1 more.
  const width = m + 1;
  const score = new Int32Array((n + 1) * width);
  const pairScore = (i: number, j: number): number => {
    if (plan[i]!.name !== actual[j]!.name) return 0;
    return planArgs[i] === actualArgs[j] ? 3 : 2;
  };
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      const pair = pairScore(i, j);
      const take = pair > 0 ? pair + score[(i + 1) * width + j + 1]! : 0;
      score[i * width + j] = Math.max(take, score[(i + 1) * width + j]!, score[i * width + j + 1]!);
    }
  }
  const rows: PlanRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m) {
      const pair = pairScore(i, j);
      const here = score[i * width + j]!;
      if (pair > 0 && here === pair + score[(i + 1) * width + j + 1]!) {
        rows.push({ kind: pair === 3 ? "same" : "args", reference: plan[i]!, actual: actual[j]! });
        i += 1;
        j += 1;
      } else if (here === score[(i + 1) * width + j]!) {
        rows.push({ kind: "missing", reference: plan[i]! });
        i += 1;
      } else {
        rows.push({ kind: "extra", actual: actual[j]! });
        j += 1;
      }
    } else if (i < n) {
      rows.push({ kind: "missing", reference: plan[i]! });
      i += 1;
    } else {
      rows.push({ kind: "extra", actual: actual[j]! });
      j += 1;
    }
  }
  return rows;
}

/** Counts of each row kind, for headers ("2 extra, 1 missing"). */
export function planDiffCounts(rows: readonly PlanRow[]): Record<PlanRow["kind"], number> {
  const counts = { same: 0, args: 0, missing: 0, extra: 0 };
  for (const row of rows) counts[row.kind] += 1;
  return counts;
}
