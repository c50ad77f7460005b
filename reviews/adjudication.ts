import { TrajlabError, type RunDirectory } from "../harness/core.js";
import { MEASURES_BY_TARGET, consensusOf, type Measure } from "./agreement/measures.js";
import { readAssignment } from "./assignment.js";
import { readJudgements, type TargetJudgements } from "./judgements.js";
import type { ReviewRecord } from "./record.js";

/** One reviewer's side of a disagreement. */
export interface ReviewerSide {
  readonly reviewer: string;
  readonly verdict: string | null;
  readonly rating: number | null;
  readonly note: string | null;
  readonly shouldHaveCalled: string | null;
}

/** A target the reviewers disagree on, with every side, and the adjudicator's record if one settled it. */
export interface Disagreement {
  readonly judgements: TargetJudgements;
  /** The measures they differ on (`step`, `plan`, `plan-rating`, `pair`). */
  readonly measures: readonly string[];
  readonly sides: readonly ReviewerSide[];
  readonly settlement: ReviewRecord | undefined;
}

const ADJUDICATED: readonly Measure[] = [...MEASURES_BY_TARGET.step, ...MEASURES_BY_TARGET.plan, ...MEASURES_BY_TARGET.pair];

/**
 * Targets two or more reviewers judged differently (a verdict, or a plan's
 * rating), in run and trajectory order: what an adjudicator settles. Targets
 * already settled stay on the list, marked, so a settlement can be revisited.
 */
export function disagreementsOf(judgements: readonly TargetJudgements[]): Disagreement[] {
  const list: Disagreement[] = [];
  for (const judgement of judgements) {
    const measures = ADJUDICATED.filter((measure) => measure.targetKind === judgement.target.kind)
      .filter((measure) => {
        // What the reviewers alone say: a settlement does not make them agree.
        const open = consensusOf({ ...judgement, settlement: undefined }, measure);
        return open?.status === "disputed";
      })
      .map((measure) => measure.id);
    if (measures.length === 0) continue;
    list.push({
      judgements: judgement,
      measures,
      sides: [...judgement.byReviewer.values()].map((record) => ({
        reviewer: record.reviewer,
        verdict: record.verdict,
        rating: record.rating,
        note: record.note,
        shouldHaveCalled: record.shouldHaveCalled,
      })),
      settlement: judgement.settlement,
    });
  }
  return list;
}

/** The adjudicators the runs' assignments name. */
export async function adjudicatorsOf(runs: readonly RunDirectory[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const run of runs) for (const name of (await readAssignment(run))?.adjudicators ?? []) names.add(name);
  return names;
}

/**
 * The disagreements of some runs for an adjudicator to settle. Refuses a
 * reviewer the runs do not name as an adjudicator: their records would count
 * as one more opinion, not settle anything.
 */
export async function openAdjudication(runs: readonly RunDirectory[], adjudicator: string): Promise<Disagreement[]> {
  const adjudicators = await adjudicatorsOf(runs);
  if (!adjudicators.has(adjudicator)) {
    throw new TrajlabError("NOT_AN_ADJUDICATOR", `${adjudicator} is not an adjudicator of ${runs.map((run) => run.id).join(", ")}`, {
      hint: `name adjudicators first: trajlab assign ${runs[0]?.id ?? "<run>"} --adjudicators ${adjudicator}`,
    });
  }
  return disagreementsOf(await readJudgements(runs, { adjudicators }));
}
