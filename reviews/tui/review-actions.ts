import { errorMessage } from "../../harness/core.js";
import {
  missingOf,
  openSuggestion,
  pairJudgement,
  pairVerdictFor,
  planJudgement,
  planValues,
  stepJudgement,
  suggestionJudgements,
  type PlanChange,
  type PlanValues,
} from "../grading.js";
import type { TrajectoryPair } from "../pairs.js";
import { nextUngradedStep, nextUnreviewed } from "../queue.js";
import { STEP_VERDICT_TITLES, STEP_VERDICTS, type PairVerdict, type ReviewJudgement } from "../record.js";
import type { ReviewSession } from "../session.js";
import type { StepSuggestion } from "../suggestions.js";
import type { TimelineStep } from "../timeline.js";
import type { TrajectoryEntry } from "../trajectory-index.js";
import { oneLine, stepSummary } from "./step-format.js";
import { draftOf, type Overlay, type PairIds, type StatusMessage } from "./state.js";
import type { UiStore } from "./ui-store.js";

/** What the actions need to know about the screen. */
export interface ActionContext {
  readonly session: ReviewSession;
  readonly store: UiStore;
  /** The filtered queue, for "next unreviewed". */
  readonly queue: readonly TrajectoryEntry[];
  /** Rows the timeline shows, so opening a trajectory can place its cursor. */
  readonly timelineRows: number;
}

/** The trajectory on screen: its id and timeline. */
interface Shown {
  readonly id: string;
  readonly steps: readonly TimelineStep[];
}

/**
 * Everything a key can make happen beyond moving around: grading through the
 * session (which writes the record at once), and the navigation that follows
 * a grade. Plain functions over the store and session, re-created per render.
 */
export function reviewActions({ session, store, queue, timelineRows }: ActionContext) {
  const say = (text: string, tone: StatusMessage["tone"] = "info"): void =>
    store.dispatch({ type: "message/show", message: { text, tone } });
  const give = (judgements: readonly ReviewJudgement[], text: string): void => {
    try {
      // The session applies the records at once and keeps retrying failed writes; the status bar shows save state.
      void session.give(judgements);
      say(text, "success");
    } catch (error) {
      say(errorMessage(error), "error");
    }
  };
  /** The trajectory on screen and its timeline, or null when none is open (or it failed to load). */
  const opened = (): Shown | null => {
    const view = store.getState().trajectory;
    if (!view) return null;
    try {
      return { id: view.trajectoryId, steps: session.load(view.trajectoryId).timeline };
    } catch {
      return null;
    }
  };
  /** The plan as it stands for the trajectory on screen. */
  const planOf = (current: Shown): PlanValues =>
    planValues(
      session.ledger.review(current.id),
      current.steps.filter((s) => s.gradable),
    );

  const actions = {
    say,

    /** Opens a trajectory at its first ungraded step (or the plan form). */
    openTrajectory(entry: TrajectoryEntry, options: { plan?: boolean } = {}): void {
      let steps: readonly TimelineStep[];
      try {
        steps = session.load(entry.id).timeline;
      } catch (error) {
        say(errorMessage(error), "error");
        return;
      }
      const first = nextUngradedStep(steps, session.ledger.review(entry.id), 0);
      store.dispatch({
        type: "trajectory/open",
        trajectoryId: entry.id,
        cursor: Math.max(0, first),
        total: steps.length,
        viewport: timelineRows,
      });
      store.dispatch({ type: "message/show", message: null });
      if (options.plan) actions.openPlan();
    },

    /** Gives the step the verdict a digit stands for, then moves on. */
    verdict(step: TimelineStep, digit: number): void {
      const current = opened();
      if (!current) return;
      const verdict = STEP_VERDICTS[digit - 1];
      if (!verdict) return say("verdicts are 1 correct · 2 skippable · 3 wrong tool · 4 wrong args · 5 harmful · 6 other", "warning");
      if (!step.gradable) return say("only tool calls and handoffs take a verdict; j/k to move to one", "warning");
      const record = session.ledger.review(current.id).steps.get(step.event.id);
      give([stepJudgement(current.id, step.event.id, record, { verdict })], `${step.event.id} ${STEP_VERDICT_TITLES[verdict]} · saved`);
      const next = nextUngradedStep(current.steps, session.ledger.review(current.id), step.index + 1);
      if (next > step.index) store.dispatch({ type: "trajectory/move", to: next, total: current.steps.length, viewport: timelineRows });
      if (verdict !== "correct") actions.openNote(step);
    },

    /** Accepts or rejects the first undecided grader suggestion on a step. */
    suggestion(step: TimelineStep, decision: "accepted" | "rejected"): void {
      const current = opened();
      if (!current) return;
      const review = session.ledger.review(current.id);
      const suggestion = openSuggestion(step, review);
      if (!suggestion)
        return say(
          step.suggestions.length === 0 ? "no grader flagged this step" : "every suggestion on this step is decided (u undoes)",
          "warning",
        );
      give(
        suggestionJudgements(current.id, suggestion, decision, review.steps.get(step.event.id)),
        `${decision} ${graderNames(suggestion)}: ${STEP_VERDICT_TITLES[suggestion.verdict]} on ${step.event.id}`,
      );
    },

    /** Opens the reason / "should have called" form for a step. */
    openNote(step: TimelineStep): void {
      const current = opened();
      if (!current) return;
      if (!step.gradable) return say("notes go with a verdict: only tool calls and handoffs take one", "warning");
      const record = session.ledger.review(current.id).steps.get(step.event.id);
      store.dispatch({
        type: "overlay/open",
        overlay: {
          kind: "note",
          trajectoryId: current.id,
          eventId: step.event.id,
          field: 0,
          reason: draftOf(record?.note),
          instead: draftOf(record?.shouldHaveCalled),
        },
      });
    },

    /** Saves what the note form holds if it differs from the record, and closes it. */
    closeNote(): void {
      const overlay = store.getState().overlay;
      if (overlay?.kind !== "note") return;
      const record = session.ledger.review(overlay.trajectoryId).steps.get(overlay.eventId);
      const reason = overlay.reason.value.trim() || null;
      const instead = overlay.instead.value.trim() || null;
      store.dispatch({ type: "overlay/close" });
      if (reason === (record?.note ?? null) && instead === (record?.shouldHaveCalled ?? null)) return;
      give(
        [stepJudgement(overlay.trajectoryId, overlay.eventId, record, { note: reason, shouldHaveCalled: instead })],
        `note on ${overlay.eventId} saved`,
      );
    },

    /** Opens the plan form. */
    openPlan(): void {
      const current = opened();
      if (!current) return;
      const values = planOf(current);
      store.dispatch({
        type: "overlay/open",
        overlay: {
          kind: "plan",
          trajectoryId: current.id,
          field: "rating",
          step: 0,
          anchor: null,
          missing: draftOf(values.missing.join("; ")),
          critique: draftOf(values.note),
        },
      });
    },

    /** Saves one change of the plan form as a new plan record. */
    savePlan(change: PlanChange): void {
      const current = opened();
      if (!current) return;
      give([planJudgement(current.id, planOf(current), change)], "plan grade saved");
    },

    /** Saves the plan form's text fields if they differ from the plan record. */
    commitPlanText(): void {
      const overlay = store.getState().overlay;
      const current = opened();
      if (overlay?.kind !== "plan" || !current) return;
      const values = planOf(current);
      const missing = missingOf(overlay.missing.value);
      const note = overlay.critique.value.trim() || null;
      const change: { missing?: string[]; note?: string | null } = {};
      if (missing.join("; ") !== values.missing.join("; ")) change.missing = missing;
      if (note !== (values.note ?? null)) change.note = note;
      if (Object.keys(change).length > 0) give([planJudgement(current.id, values, change)], "plan notes saved");
    },

    /** `n` in a trajectory: next ungraded step, then the plan, then the next unreviewed trajectory. */
    next(): void {
      const current = opened();
      if (!current) return;
      const view = store.getState().trajectory!;
      const review = session.ledger.review(current.id);
      const step = nextUngradedStep(current.steps, review, view.list.cursor + 1);
      if (step >= 0) return store.dispatch({ type: "trajectory/move", to: step, total: current.steps.length, viewport: timelineRows });
      if (session.status(current.id) !== "done") {
        say("every step is graded: grade the plan", "info");
        return actions.openPlan();
      }
      const here = queue.findIndex((entry) => entry.id === current.id);
      const index = nextUnreviewed(queue, here, (entry) => session.status(entry.id));
      if (index < 0 || queue[index]!.id === current.id) return say("every trajectory in the queue is reviewed", "success");
      store.dispatch({ type: "queue/move", to: index, total: queue.length, viewport: 1 });
      actions.openTrajectory(queue[index]!);
    },

    /** Undoes the latest grade (of this session or an earlier one) with a new record. */
    undo(): void {
      if (!session.canUndo) return say("nothing to undo", "warning");
      session.undo().then(
        (outcome) => {
          if (!outcome) return;
          const targets = outcome.records
            .map((record) =>
              record.target.kind === "step" || record.target.kind === "suggestion" ? record.target.eventId : record.target.kind,
            )
            .join(", ");
          say(`undone: ${targets} (a new record restores what was there)`, "success");
        },
        (error: unknown) => say(errorMessage(error), "error"),
      );
    },

    /** Pairwise mode at the first undecided pair involving `entry` (or any undecided pair). */
    compare(entry: TrajectoryEntry | undefined): void {
      const pairs = session.pairs;
      if (pairs.length === 0) return say("pairwise mode needs two trajectories of the same scenario", "warning");
      const undecided = (pair: TrajectoryPair): boolean => !session.ledger.pair(pair.a.id, pair.b.id);
      const involves = (pair: TrajectoryPair): boolean => entry !== undefined && (pair.a.id === entry.id || pair.b.id === entry.id);
      let index = pairs.findIndex((pair) => involves(pair) && undecided(pair));
      if (index < 0) index = pairs.findIndex(involves);
      if (index < 0) index = Math.max(0, pairs.findIndex(undecided));
      store.dispatch({ type: "pair/show", index, total: pairs.length });
    },

    /** Records a preference and moves to the next undecided pair (`e` then still explains this one). */
    choose(pair: TrajectoryPair, verdict: PairVerdict): void {
      const existing = session.ledger.pair(pair.a.id, pair.b.id);
      give(
        [pairJudgement(pair, verdict, existing?.note ?? null)],
        `pair ${verdict === "tie" ? "tie" : `${verdict.toUpperCase()} is better`} · saved · e says why`,
      );
      actions.nextPair({ a: pair.a.id, b: pair.b.id });
    },

    /** The next pair without a preference after the current one. */
    nextPair(judged?: PairIds): void {
      const pairs = session.pairs;
      const from = store.getState().pair.index;
      for (let offset = 1; offset <= pairs.length; offset += 1) {
        const index = (from + offset) % pairs.length;
        const pair = pairs[index]!;
        if (!session.ledger.pair(pair.a.id, pair.b.id)) return store.dispatch({ type: "pair/show", index, total: pairs.length, judged });
      }
      say("every pair has a preference", "success");
    },

    /** Opens the "why" note of the pair just judged, or else of the pair on screen. */
    openPairNote(shown: TrajectoryPair): void {
      const pair = store.getState().pair.judged ?? { a: shown.a.id, b: shown.b.id };
      store.dispatch({
        type: "overlay/open",
        overlay: { kind: "pair-note", pair, draft: draftOf(session.ledger.pair(pair.a, pair.b)?.note) },
      });
    },

    /** Saves the pair note if it changed, and closes it. */
    closePairNote(): void {
      const overlay = store.getState().overlay;
      if (overlay?.kind !== "pair-note") return;
      const pair = session.pairs.find((known) => known.a.id === overlay.pair.a && known.b.id === overlay.pair.b);
      store.dispatch({ type: "overlay/close" });
      if (!pair) return;
      const existing = session.ledger.pair(pair.a.id, pair.b.id);
      const note = overlay.draft.value.trim() || null;
      if (note === (existing?.note ?? null)) return;
      give([pairJudgement(pair, pairVerdictFor(pair, existing), note)], `why saved for pair ${session.pairs.indexOf(pair) + 1}`);
    },

    /** Saves text typed in any open form (before quitting). */
    commitDrafts(overlay: Overlay | null): void {
      if (overlay?.kind === "note") actions.closeNote();
      else if (overlay?.kind === "pair-note") actions.closePairNote();
      else if (overlay?.kind === "plan") actions.commitPlanText();
    },

    /** A one-line description of a step for forms. */
    describeStep(step: TimelineStep): string {
      return `${step.event.id} ${oneLine(stepSummary(step.event))}`;
    },
  };
  return actions;
}

/** The graders behind a suggestion, e.g. "repeated-calls + trajectory-match". */
function graderNames(suggestion: StepSuggestion): string {
  return [...new Set(suggestion.sources.map((source) => oneLine(source.grader)))].join(" + ");
}

/** The actions object {@link reviewActions} returns. */
export type ReviewActions = ReturnType<typeof reviewActions>;
