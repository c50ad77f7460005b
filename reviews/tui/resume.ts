import type { ReviewPosition } from "../position.js";
import { queueOf, type QueueFilter, type QueueSort } from "../queue.js";
import { targetKey } from "../record.js";
import { oneLine } from "./step-format.js";
import type { ReviewSession } from "../session.js";
import { initialUiState, type UiState } from "./state.js";
import { createUiStore, type UiStore } from "./ui-store.js";

/**
 * Where a review starts and how it is remembered: the saved position (screen,
 * trajectory, step, pane, filters, sort) restores the screen the reviewer
 * left; what is in front of the reviewer feeds the activity clock.
 */

/** How a review opens. */
export interface StartOptions {
  /** Filters and sort asked for on the command line (these win over the saved ones). */
  readonly filter?: QueueFilter;
  readonly sort?: QueueSort;
  readonly pairwise?: boolean;
  /** Where the reviewer stopped last time. */
  readonly resume?: ReviewPosition | null;
  /** Shown in the status line at the start. */
  readonly messages?: readonly { readonly text: string; readonly tone: "info" | "warning" }[];
  /** Rows the queue shows (to place its cursor). */
  readonly rows: number;
}

/** The UI store a review starts with, and while the review still has to read its way to where the reviewer left off, the promise of getting there. */
export interface StartingStore {
  readonly store: UiStore;
  /** Settles once the store is where the reviewer left off; null when it already is. Keys wait for it. */
  readonly settling: Promise<void> | null;
}

/**
 * The UI store a review starts with. When the review is still reading its
 * runs and the saved position names a trajectory not indexed yet (or one to
 * reopen before its grades are read), the store starts on the queue as far
 * as it is known, saying so, and moves to the saved place once it is read.
 */
export function startingStore(session: ReviewSession, options: StartOptions): StartingStore {
  const resume = options.resume ?? null;
  // A run filter saved while several runs were open means nothing when that run is not open now.
  const saved =
    resume && resume.filter.run !== null && !session.opened.includes(resume.filter.run) ? { ...resume.filter, run: null } : resume?.filter;
  const store = createUiStore(
    initialUiState({
      filter: options.filter ?? saved,
      sort: options.sort ?? resume?.sort,
      screen: options.pairwise ? "pair" : "queue",
    }),
  );
  const messages = options.messages ?? [];
  const showMessages = (): void => {
    if (messages.length === 0) return store.dispatch({ type: "message/show", message: null });
    const tone = messages.some((message) => message.tone === "warning") ? "warning" : "info";
    store.dispatch({ type: "message/show", message: { text: messages.map((message) => message.text).join(" · "), tone } });
  };
  const place = (): void => {
    const { queue: start } = store.getState();
    const queue = queueOf(session.entries, start.filter, start.sort, (entry) => session.facts(entry));
    const viewport = Math.max(1, options.rows - 5);
    const resumed = resume?.trajectoryId ? queue.findIndex((entry) => entry.id === resume.trajectoryId) : -1;
    // The queue cursor: where the reviewer was, else the first trajectory not yet done.
    const first = resumed >= 0 ? resumed : queue.findIndex((entry) => session.status(entry.id) !== "done");
    if (first > 0) store.dispatch({ type: "queue/move", to: first, total: queue.length, viewport });
    if (resume && !options.pairwise) reopen(session, store, resume, options.rows);
  };
  const needed = resume && !options.pairwise ? needs(resume) : null;
  if (!needed || needed(session) || !session.waitFor("done")) {
    place();
    showMessages();
    return { store, settling: null };
  }
  store.dispatch({
    type: "message/show",
    message: {
      text: `returning to where you left off (${oneLine(resume!.trajectoryId ?? "your pair")}) once the review has indexed it…`,
      tone: "info",
    },
  });
  const settling = session
    .reached(() => needed(session))
    .then(() => {
      place();
      showMessages();
    });
  return { store, settling };
}

/**
 * What the index must hold before the saved position can be restored: the
 * trajectory it names, and the grades (the queue's order and filters may ask
 * about them, and opening a trajectory shows them); every pair for a pair.
 */
function needs(resume: ReviewPosition): ((session: ReviewSession) => boolean) | null {
  if (resume.screen === "pair") return (session) => session.progress.done;
  const id = resume.trajectoryId;
  if (!id) return null;
  return (session) => session.progress.graded && session.entry(id) !== undefined;
}

/** Reopens the trajectory and step, or the pair, the reviewer was on. */
function reopen(session: ReviewSession, store: UiStore, resume: ReviewPosition, rows: number): void {
  if (resume.screen === "pair" && resume.pair) {
    const index = session.pairs.findIndex((pair) => pair.a.id === resume.pair!.a && pair.b.id === resume.pair!.b);
    if (index >= 0) store.dispatch({ type: "pair/show", index, total: session.pairs.length });
    return;
  }
  if (resume.screen !== "trajectory" || !resume.trajectoryId || !session.entry(resume.trajectoryId)) return;
  let steps;
  try {
    steps = session.load(resume.trajectoryId).timeline;
  } catch {
    return;
  }
  const cursor = Math.max(
    0,
    steps.findIndex((step) => step.event.id === resume.eventId),
  );
  store.dispatch({
    type: "trajectory/open",
    trajectoryId: resume.trajectoryId,
    cursor,
    total: steps.length,
    viewport: Math.max(3, rows - 14),
  });
  if (resume.pane !== "detail") store.dispatch({ type: "pane/show", pane: resume.pane });
}

/** The event id under the trajectory screen's cursor. */
function cursorEvent(session: ReviewSession, state: UiState): string | null {
  const view = state.trajectory;
  if (!view) return null;
  try {
    return session.load(view.trajectoryId).timeline[view.list.cursor]?.event.id ?? null;
  } catch {
    return null;
  }
}

/** Where the reviewer is now, to be saved. */
export function positionOf(session: ReviewSession, state: UiState, now = new Date()): ReviewPosition {
  const pair = state.screen === "pair" ? session.pairs[state.pair.index] : undefined;
  const onTrajectory = state.screen === "trajectory" && state.trajectory !== null;
  return {
    version: 1,
    savedAt: now.toISOString(),
    screen: state.screen,
    trajectoryId: onTrajectory ? state.trajectory!.trajectoryId : (state.trajectory?.trajectoryId ?? null),
    eventId: onTrajectory ? cursorEvent(session, state) : null,
    pane: state.trajectory?.pane ?? "detail",
    pair: pair ? { a: pair.a.id, b: pair.b.id } : null,
    filter: state.queue.filter,
    sort: state.queue.sort,
  };
}

/** The target a record given now would be about, for the activity clock: a step, the plan, a pair, or nothing (the queue). */
export function focusOf(session: ReviewSession, state: UiState): string | null {
  const overlay = state.overlay;
  if (overlay?.kind === "plan") return targetKey(overlay.trajectoryId, { kind: "plan" });
  if (overlay?.kind === "note") return targetKey(overlay.trajectoryId, { kind: "step", eventId: overlay.eventId });
  if (overlay?.kind === "pair-note") return targetKey(overlay.pair.a, { kind: "pair", ...overlay.pair });
  if (state.screen === "pair") {
    const pair = session.pairs[state.pair.index];
    return pair ? targetKey(pair.a.id, { kind: "pair", a: pair.a.id, b: pair.b.id }) : null;
  }
  if (state.screen === "trajectory" && state.trajectory) {
    const eventId = cursorEvent(session, state);
    return eventId ? targetKey(state.trajectory.trajectoryId, { kind: "step", eventId }) : null;
  }
  return null;
}
