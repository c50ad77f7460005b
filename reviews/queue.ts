import picomatch from "picomatch";
import type { TrajectoryReview } from "./ledger.js";
import type { TimelineStep } from "./timeline.js";
import type { TrajectoryEntry } from "./trajectory-index.js";

/**
 * Where a reviewer is with one trajectory: `new` (nothing given), `partial`
 * (something given) or `done` (the plan passed or failed: the reviewer's
 * sign-off; a score alone is not one).
 */
export type ReviewStatus = "new" | "partial" | "done";

/** A trajectory's review status from the reviewer's current judgements. */
export function reviewStatus(review: TrajectoryReview): ReviewStatus {
  if (review.plan && (review.plan.verdict === "pass" || review.plan.verdict === "fail")) return "done";
  if (review.steps.size > 0 || review.suggestions.size > 0 || review.plan) return "partial";
  return "new";
}

/**
 * Index of the first gradable step without a verdict at or after `from`
 * (wrapping around), or -1 when every gradable step has one.
 */
export function nextUngradedStep(steps: readonly TimelineStep[], review: TrajectoryReview, from = 0): number {
  for (let offset = 0; offset < steps.length; offset += 1) {
    const step = steps[(from + offset) % steps.length]!;
    if (step.gradable && !hasVerdict(review, step.event.id)) return step.index;
  }
  return -1;
}

/** True when the reviewer gave the step a verdict (a note alone is not one). */
export function hasVerdict(review: TrajectoryReview, eventId: string): boolean {
  const verdict = review.steps.get(eventId)?.verdict;
  return verdict !== undefined && verdict !== null;
}

/** What the queue knows about an entry beyond its labels. */
export interface EntryFacts {
  readonly status: ReviewStatus;
  /** Outcome, after the outcome grader if there is one; null when none was recorded. */
  readonly pass: boolean | null;
  /** Steps flagged by graders. */
  readonly flagged: number;
  /** False while the grades are still being read: `pass` is then the recorded outcome and `flagged` 0, neither final. */
  readonly graded: boolean;
}

/** Which trajectories the queue shows. Empty strings and nulls mean "any". */
export interface QueueFilter {
  readonly unreviewed: boolean;
  readonly failed: boolean;
  readonly flagged: boolean;
  /** Glob over scenario ids, e.g. `retail.return-*`. */
  readonly scenario: string | null;
  readonly domain: string | null;
  readonly agent: string | null;
  readonly model: string | null;
  /** One run's trajectories only (when several runs are reviewed together). */
  readonly run: string | null;
  /** Case-insensitive text in the scenario id, trajectory id, model or task. */
  readonly text: string;
}

/** A filter that lets everything through. */
export const OPEN_FILTER: QueueFilter = {
  unreviewed: false,
  failed: false,
  flagged: false,
  scenario: null,
  domain: null,
  agent: null,
  model: null,
  run: null,
  text: "",
};

/** Orders the queue can be sorted in. */
export const QUEUE_SORTS = ["file", "scenario", "model", "flagged", "outcome", "status"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** Words for each sort, for the header and help. */
export const QUEUE_SORT_TITLES: Readonly<Record<QueueSort, string>> = {
  file: "as recorded",
  scenario: "scenario",
  model: "model",
  flagged: "most flagged first",
  outcome: "failed first",
  status: "unreviewed first",
};

/** Sorts that order by grades. */
export const GRADED_SORTS: ReadonlySet<QueueSort> = new Set(["flagged", "outcome"]);

/** True when a filter asks about grades (failed outcomes, flagged steps): it lets nothing through until they are read. */
export function filtersByGrades(filter: QueueFilter): boolean {
  return filter.failed || filter.flagged;
}

/**
 * The entries a filter lets through, in the order a sort asks for (stable).
 * An entry whose grades are not read yet never passes a filter that asks
 * about them; facts are asked for only when the filter or sort needs them.
 */
export function queueOf(
  entries: readonly TrajectoryEntry[],
  filter: QueueFilter,
  sort: QueueSort,
  facts: (entry: TrajectoryEntry) => EntryFacts,
): TrajectoryEntry[] {
  const matchesScenario = filter.scenario ? picomatch(filter.scenario) : null;
  const text = filter.text.trim().toLowerCase();
  const needsFacts = filter.unreviewed || filtersByGrades(filter) || sort === "status" || GRADED_SORTS.has(sort);
  const kept: { entry: TrajectoryEntry; facts: EntryFacts | null; order: number }[] = [];
  entries.forEach((entry, order) => {
    if (matchesScenario && !matchesScenario(entry.scenarioId)) return;
    if (filter.domain && entry.domain !== filter.domain) return;
    if (filter.agent && entry.agent !== filter.agent) return;
    if (filter.model && entry.model !== filter.model) return;
    if (filter.run && entry.run.id !== filter.run) return;
    if (
      text &&
      ![entry.scenarioId, entry.id, entry.model ?? "", entry.agent, entry.task].some((field) => field.toLowerCase().includes(text))
    )
      return;
    if (!needsFacts) {
      kept.push({ entry, facts: null, order });
      return;
    }
    const known = facts(entry);
    if (filter.unreviewed && known.status === "done") return;
    if (filtersByGrades(filter) && !known.graded) return;
    if (filter.failed && known.pass !== false) return;
    if (filter.flagged && known.flagged === 0) return;
    kept.push({ entry, facts: known, order });
  });
  if (sort === "file") return kept.map((item) => item.entry);
  const statusRank: Record<ReviewStatus, number> = { new: 0, partial: 1, done: 2 };
  const by: Record<QueueSort, (a: (typeof kept)[number], b: (typeof kept)[number]) => number> = {
    file: () => 0,
    scenario: (a, b) => a.entry.scenarioId.localeCompare(b.entry.scenarioId) || (a.entry.model ?? "").localeCompare(b.entry.model ?? ""),
    model: (a, b) => (a.entry.model ?? "").localeCompare(b.entry.model ?? "") || a.entry.scenarioId.localeCompare(b.entry.scenarioId),
    flagged: (a, b) => b.facts!.flagged - a.facts!.flagged,
    outcome: (a, b) => Number(a.facts!.pass) - Number(b.facts!.pass),
    status: (a, b) => statusRank[a.facts!.status] - statusRank[b.facts!.status],
  };
  kept.sort((a, b) => by[sort](a, b) || a.order - b.order);
  return kept.map((item) => item.entry);
}

/** How far the reviewer is through a set of trajectories. */
export interface ReviewProgress {
  readonly done: number;
  readonly partial: number;
  readonly total: number;
}

/** Counts of done and partial trajectories. */
export function reviewProgress(entries: readonly TrajectoryEntry[], statusOf: (entry: TrajectoryEntry) => ReviewStatus): ReviewProgress {
  let done = 0;
  let partial = 0;
  for (const entry of entries) {
    const status = statusOf(entry);
    if (status === "done") done += 1;
    else if (status === "partial") partial += 1;
  }
  return { done, partial, total: entries.length };
}

/**
 * Position of the next entry that is not done after `from` in `queue`
 * (wrapping around), or -1 when all are done.
 */
export function nextUnreviewed(
  queue: readonly TrajectoryEntry[],
  from: number,
  statusOf: (entry: TrajectoryEntry) => ReviewStatus,
): number {
  for (let offset = 1; offset <= queue.length; offset += 1) {
    const index = (from + offset) % queue.length;
    if (statusOf(queue[index]!) !== "done") return index;
  }
  return -1;
}

/** The labels a filter can pick a value of. */
export type FilterField = "scenarioId" | "domain" | "agent" | "model" | "runId";

/** The distinct values of one label across entries, sorted (for filter choices); trajectories that name no model have none. */
export function distinctValues(entries: readonly TrajectoryEntry[], field: FilterField): string[] {
  const values = new Set<string>();
  for (const entry of entries) {
    const value = field === "runId" ? entry.run.id : entry[field];
    if (value !== null) values.add(value);
  }
  return [...values].sort();
}
