import { errorMessage } from "../../harness/core.js";
import {
  missingOf,
  openSuggestion,
  pairJudgement,
  pairVerdictFor,
  planJudgement,
  planValues,
  settleStep,
  type PlanChange,
  type PlanValues,
} from "../grading.js";
import type { TrajectoryPair } from "../pairs.js";
import { hasVerdict, nextUngradedStep, nextUnreviewed } from "../queue.js";
import {
  rightVerdict,
  STEP_VERDICT_TITLES,
  STEP_VERDICTS_BY_KIND,
  StepVerdictSchema,
  targetKey,
  type PairVerdict,
  type ReviewJudgement,
  type ReviewRecord,
  type StepKind,
} from "../record.js";
import { shouldHaveCalledFor } from "../should-have-called.js";
import type { ReviewSession, UndoOutcome } from "../session.js";
import { reasonsOf, type StepSuggestion } from "../suggestions.js";
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
      // The session applies the records at once and keeps retrying failed writes. Whether they are on
      // disk is the status line's right end alone (saving…, saved, NOT SAVED): the message never says.
      void session.give(judgements);
      say(text, "success");
    } catch (error) {
      say(errorMessage(error), "error");
    }
  };
  /**
   * Undo or redo: the session applies it at once, so the screen goes to what
   * it touched before the next key; the write goes on in the background.
   */
  const travel = (apply: () => UndoOutcome | null, words: (undone: readonly ReviewRecord[]) => string): void => {
    let outcome: UndoOutcome | null;
    try {
      outcome = apply();
    } catch (error) {
      return say(errorMessage(error), "error");
    }
    if (!outcome) return;
    actions.goTo(outcome.trajectoryId, outcome.undone);
    say(words(outcome.undone), "success");
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

    /** Gives the step the verdict a digit stands for: the right verdict moves on, any other asks why. */
    verdict(step: TimelineStep, digit: number): void {
      const current = opened();
      if (!current) return;
      if (!step.kind) return say("only tool calls, handoffs and what a model said take a verdict; j/k to move to one", "warning");
      const verdicts = STEP_VERDICTS_BY_KIND[step.kind];
      const verdict = verdicts[digit - 1];
      if (!verdict) return say(`verdicts here are ${verdictKeys(step.kind)}`, "warning");
      const review = session.ledger.review(current.id);
      const wasUngraded = !hasVerdict(review, step.event.id);
      give(settleStep(current.id, step, review, { verdict }), `${step.event.id} ${STEP_VERDICT_TITLES[verdict]}`);
      if (verdict === rightVerdict(step.kind)) return actions.advance(current, step, wasUngraded);
      actions.openForm(step, { settle: "verdict", advance: wasUngraded });
    },

    /**
     * Settles the step's suggestion: `accept` takes it and moves on, `reject`
     * records the step as right and asks why (optionally), `modify` opens the
     * form on the suggestion to change its verdict, reason or "should have called".
     */
    suggestion(step: TimelineStep, how: "accept" | "reject" | "modify"): void {
      const current = opened();
      if (!current) return;
      const review = session.ledger.review(current.id);
      if (!step.suggestion || !step.kind) return say("no grader suggests anything on this step", "warning");
      if (how === "modify") return actions.openForm(step, { settle: "modify", advance: !hasVerdict(review, step.event.id) });
      if (!openSuggestion(step, review))
        return say("the suggestion on this step is decided: m modifies it, a digit changes the verdict, u undoes", "warning");
      const wasUngraded = !hasVerdict(review, step.event.id);
      const verdict = how === "accept" ? step.suggestion.verdict : rightVerdict(step.kind);
      give(
        settleStep(current.id, step, review, {}, how),
        `${how === "accept" ? "accepted" : "rejected"} ${graderNames(step.suggestion)} on ${step.event.id}: ${STEP_VERDICT_TITLES[verdict]}`,
      );
      if (how === "accept") return actions.advance(current, step, wasUngraded);
      actions.openForm(step, { settle: "verdict", advance: wasUngraded });
    },

    /**
     * After a step is settled: the next ungraded step, else (when this grade
     * completed the trajectory) the plan form.
     */
    advance(current: Shown, step: TimelineStep, wasUngraded: boolean): void {
      const review = session.ledger.review(current.id);
      const next = nextUngradedStep(current.steps, review, step.index + 1);
      if (next >= 0) return store.dispatch({ type: "trajectory/move", to: next, total: current.steps.length, viewport: timelineRows });
      if (wasUngraded && session.status(current.id) !== "done") {
        actions.openPlan();
        say("every step is graded: the plan (1-5 score, y pass or f fail, n next trajectory)", "info");
      }
    },

    /** Opens the why form of a step (`e`), inside the detail pane. */
    openNote(step: TimelineStep): void {
      actions.openForm(step, { settle: "verdict", advance: false });
    },

    /** Opens the step form, prefilled from the step's record, or for `modify` from its suggestion. */
    openForm(step: TimelineStep, options: { settle: "modify" | "verdict"; advance: boolean }): void {
      const current = opened();
      if (!current) return;
      if (!step.kind) return say("notes go with a verdict: tool calls, handoffs and what a model said take one", "warning");
      const trajectory = session.load(current.id).trajectory;
      const record = session.ledger.review(current.id).steps.get(step.event.id);
      const modify = options.settle === "modify" && step.suggestion;
      const known = StepVerdictSchema.safeParse(record?.verdict);
      const verdict = known.success ? known.data : modify ? step.suggestion!.verdict : null;
      const reason = record?.note ?? (modify ? reasonsOf(step.suggestion!) : null);
      const instead = record?.shouldHaveCalled ?? shouldHaveCalledFor(trajectory, step, verdict);
      store.dispatch({
        type: "overlay/open",
        overlay: {
          kind: "note",
          trajectoryId: current.id,
          eventId: step.event.id,
          settle: options.settle,
          field: modify ? "verdict" : "reason",
          verdict,
          reason: draftOf(reason),
          instead: draftOf(instead),
          insteadTouched: Boolean(record?.shouldHaveCalled),
          completion: 0,
          advance: options.advance,
        },
      });
    },

    /** Saves what the step form holds (if it changed anything, or settles the suggestion for `modify`), and closes it. */
    closeNote(): void {
      const overlay = store.getState().overlay;
      if (overlay?.kind !== "note") return;
      store.dispatch({ type: "overlay/close" });
      let loaded: Shown;
      try {
        loaded = { id: overlay.trajectoryId, steps: session.load(overlay.trajectoryId).timeline };
      } catch (error) {
        return say(errorMessage(error), "error");
      }
      const step = loaded.steps.find((candidate) => candidate.event.id === overlay.eventId);
      if (!step) return;
      const review = session.ledger.review(overlay.trajectoryId);
      const record = review.steps.get(overlay.eventId);
      const reason = overlay.reason.value.trim() || null;
      const instead = overlay.instead.value.trim() || null;
      const verdictChanged = overlay.verdict !== null && overlay.verdict !== record?.verdict;
      const changed = verdictChanged || reason !== (record?.note ?? null) || instead !== (record?.shouldHaveCalled ?? null);
      const wasUngraded = !hasVerdict(review, overlay.eventId);
      if (overlay.settle === "modify" || changed) {
        const change = { ...(overlay.verdict ? { verdict: overlay.verdict } : {}), note: reason, shouldHaveCalled: instead };
        give(settleStep(overlay.trajectoryId, step, review, change, overlay.settle), `${overlay.eventId} recorded`);
      }
      if (overlay.advance || (wasUngraded && overlay.verdict !== null)) actions.advance(loaded, step, true);
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
      give([planJudgement(current.id, planOf(current), change)], "plan grade recorded");
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
      if (Object.keys(change).length > 0) give([planJudgement(current.id, values, change)], "plan notes recorded");
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
      if (index < 0 || queue[index]!.id === current.id) {
        if (!session.progress.done) return say("all read so far are reviewed; n again once indexed", "info");
        return say("every trajectory in the queue is reviewed", "success");
      }
      store.dispatch({ type: "queue/move", to: index, total: queue.length, viewport: 1 });
      actions.openTrajectory(queue[index]!);
    },

    /** Undoes the latest grade (of this session or an earlier one) with a new record, says what it was, and goes there. */
    undo(): void {
      if (!session.canUndo) return say("nothing to undo", "warning");
      travel(
        () => session.undo(),
        (undone) => `undid ${describeBatch(undone)} (a new record restores what was there; U redoes)`,
      );
    },

    /** Gives again what the last undo took back, and goes there. */
    redo(): void {
      if (!session.canRedo) return say("nothing to redo (only undos of this session, before anything new is given)", "warning");
      travel(
        () => session.redo(),
        (undone) => `redid ${describeBatch(undone)}`,
      );
    },

    /** Shows where a batch of records was given: its step in its trajectory, its trajectory, or its pair. */
    goTo(trajectoryId: string, records: readonly ReviewRecord[]): void {
      const main = mainRecord(records);
      if (!main) return;
      const { target } = main;
      if (target.kind === "pair") {
        const index = session.pairs.findIndex(
          (pair) => targetKey(pair.a.id, { kind: "pair", a: pair.a.id, b: pair.b.id }) === targetKey(trajectoryId, target),
        );
        if (index >= 0) store.dispatch({ type: "pair/show", index, total: session.pairs.length });
        return;
      }
      const state = store.getState();
      const entry = session.entry(trajectoryId);
      if (!entry) return;
      if (state.screen !== "trajectory" || state.trajectory?.trajectoryId !== trajectoryId) {
        const at = queue.findIndex((candidate) => candidate.id === trajectoryId);
        if (at >= 0) store.dispatch({ type: "queue/move", to: at, total: queue.length, viewport: 1 });
        actions.openTrajectory(entry);
      }
      if (target.kind !== "step" && target.kind !== "suggestion") return;
      const steps = session.load(trajectoryId).timeline;
      const index = steps.findIndex((step) => step.event.id === target.eventId);
      if (index >= 0) store.dispatch({ type: "trajectory/move", to: index, total: steps.length, viewport: timelineRows });
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
        `pair ${verdict === "tie" ? "tie" : `${verdict.toUpperCase()} is better`} · e says why`,
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
      give([pairJudgement(pair, pairVerdictFor(pair, existing), note)], `why recorded for pair ${session.pairs.indexOf(pair) + 1}`);
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

/** The record a batch is about: its step verdict, else its plan, pair or decision. */
function mainRecord(records: readonly ReviewRecord[]): ReviewRecord | undefined {
  const kinds: ReviewRecord["target"]["kind"][] = ["step", "plan", "pair", "suggestion"];
  for (const kind of kinds) {
    const found = records.find((record) => record.target.kind === kind);
    if (found) return found;
  }
  return undefined;
}

/** A batch in words, for the status line: "skippable on e6", "the plan grade 4/5 pass". */
export function describeBatch(records: readonly ReviewRecord[]): string {
  const main = mainRecord(records);
  if (!main) return "nothing";
  const { target } = main;
  switch (target.kind) {
    case "step": {
      const verdict = StepVerdictSchema.safeParse(main.verdict);
      return verdict.success ? `${STEP_VERDICT_TITLES[verdict.data]} on ${target.eventId}` : `the note on ${target.eventId}`;
    }
    case "suggestion":
      return `the decision on ${target.eventId}`;
    case "plan":
      return `the plan grade${main.rating === null ? "" : ` ${main.rating}/5`}${main.verdict ? ` ${main.verdict}` : ""}`;
    case "pair":
      return main.verdict === null
        ? "the note on a pair"
        : `the preference (${main.verdict === "tie" ? "tie" : `${main.verdict.toUpperCase()} better`})`;
  }
}

/** The digit keys of a kind of step, e.g. "1 right agent · 2 wrong agent · 3 unnecessary handoff · 4 other". */
export function verdictKeys(kind: StepKind): string {
  return STEP_VERDICTS_BY_KIND[kind].map((verdict, index) => `${index + 1} ${STEP_VERDICT_TITLES[verdict]}`).join(" · ");
}

/** The graders behind a suggestion, e.g. "repeated-calls + trajectory-match". */
function graderNames(suggestion: StepSuggestion): string {
  return [...new Set(suggestion.sources.map((source) => oneLine(source.grader)))].join(" + ");
}

/** The actions object {@link reviewActions} returns. */
export type ReviewActions = ReturnType<typeof reviewActions>;
