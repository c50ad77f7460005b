import type { KeyContext } from "./key-bindings.js";
import type { StepVerdict } from "../record.js";
import { OPEN_FILTER, QUEUE_SORTS, type QueueFilter, type QueueSort } from "../queue.js";

/**
 * The TUI's state and its reducer. Screens derive everything else (the
 * filtered queue, the timeline, what is graded) from the session; this holds
 * only where the reviewer is and what they are typing.
 */

/** A cursor in a list and the first visible row. */
export interface ListWindow {
  readonly cursor: number;
  readonly top: number;
}

/** The cursor at `target` (clamped), scrolling the window as little as possible. */
export function moveWindow(window: ListWindow, target: number, total: number, viewport: number): ListWindow {
  if (total <= 0) return { cursor: 0, top: 0 };
  const cursor = Math.max(0, Math.min(total - 1, target));
  return { cursor, top: visibleTop({ cursor, top: window.top }, total, viewport) };
}

/** The first visible row for a window at the current viewport (after a resize, say). */
export function visibleTop(window: ListWindow, total: number, viewport: number): number {
  const rows = Math.max(1, viewport);
  let top = Math.min(window.top, Math.max(0, total - rows));
  if (window.cursor < top) top = window.cursor;
  if (window.cursor >= top + rows) top = window.cursor - rows + 1;
  return Math.max(0, top);
}

/** Text being typed, with the caret position (in UTF-16 units). */
export interface TextDraft {
  readonly value: string;
  readonly caret: number;
}

/** A draft holding `value` with the caret at its end. */
export function draftOf(value: string | null | undefined): TextDraft {
  const text = value ?? "";
  return { value: text, caret: text.length };
}

/** What the right-hand (or lower) pane of the trajectory screen shows. */
export type PaneKind = "detail" | "plan" | "outcome" | "task";
export const PANES: readonly PaneKind[] = ["detail", "plan", "outcome", "task"];

/** Fields of the plan form, in Tab order. */
export type PlanField = "rating" | "verdict" | "skippable" | "missing" | "critique";
export const PLAN_FIELDS: readonly PlanField[] = ["rating", "verdict", "skippable", "missing", "critique"];

/** Where the reviewer is in one trajectory. */
export interface TrajectoryView {
  readonly trajectoryId: string;
  readonly list: ListWindow;
  readonly pane: PaneKind;
  readonly detailFocused: boolean;
  readonly paneScroll: number;
  /** Long messages the reviewer expanded, by event id. */
  readonly expanded: readonly string[];
  /** Current search within the trajectory ("" when none). */
  readonly search: string;
  /** Results as their full JSON rather than tables. */
  readonly rawJson: boolean;
  /** Columns the pane's tables are scrolled sideways by. */
  readonly paneColumn: number;
}

/** Fields of the step form, in Tab order. */
export type StepFormField = "verdict" | "reason" | "instead";
export const STEP_FORM_FIELDS: readonly StepFormField[] = ["verdict", "reason", "instead"];

/**
 * The "why" form of one step, open inside the detail pane so the step's
 * arguments and result stay in view: a verdict, a reason (several lines),
 * and what should have been called.
 */
export interface StepFormOverlay {
  readonly kind: "note";
  readonly trajectoryId: string;
  readonly eventId: string;
  /** How saving settles the step: `modify` accepts the suggestion with the changes; else a verdict of the reviewer's own. */
  readonly settle: "modify" | "verdict";
  readonly field: StepFormField;
  readonly verdict: StepVerdict | null;
  readonly reason: TextDraft;
  readonly instead: TextDraft;
  /** The reviewer typed in "should have called", so choosing another verdict no longer refills it. */
  readonly insteadTouched: boolean;
  /** Which of the completions offered is chosen. */
  readonly completion: number;
  /** Move on to the next ungraded step once the form closes. */
  readonly advance: boolean;
}

/** Panels drawn over the screen; while one is open it has the keyboard. */
export type Overlay =
  | { readonly kind: "help"; readonly scroll: number; readonly from: KeyContext }
  | {
      readonly kind: "filter";
      readonly cursor: number;
      /** Text being typed for the value of the row, or null. */ readonly editing: TextDraft | null;
    }
  | { readonly kind: "search"; readonly scope: "queue" | "trajectory"; readonly draft: TextDraft }
  | StepFormOverlay
  | { readonly kind: "pair-note"; readonly pair: PairIds; readonly draft: TextDraft }
  | {
      readonly kind: "plan";
      readonly trajectoryId: string;
      readonly field: PlanField;
      /** Cursor among the trajectory's gradable steps. */
      readonly step: number;
      /** Start of a range being marked, or null. */
      readonly anchor: number | null;
      readonly missing: TextDraft;
      readonly critique: TextDraft;
    };

/** The two trajectory ids of a pair, as it was shown (A first). */
export interface PairIds {
  readonly a: string;
  readonly b: string;
}

/** A line of feedback in the status bar. */
export interface StatusMessage {
  readonly text: string;
  readonly tone: "info" | "success" | "warning" | "error";
}

export type Screen = "queue" | "trajectory" | "pair";

/** The whole UI state. */
export interface UiState {
  readonly screen: Screen;
  readonly queue: { readonly list: ListWindow; readonly filter: QueueFilter; readonly sort: QueueSort };
  readonly trajectory: TrajectoryView | null;
  readonly pair: {
    readonly index: number;
    readonly scroll: number;
    /** The pair judged just before this one was shown: `e` then explains that judgement. */
    readonly judged: PairIds | null;
  };
  readonly overlay: Overlay | null;
  readonly message: StatusMessage | null;
}

/** Everything the reducer can be asked to do. */
export type UiAction =
  | { readonly type: "queue/move"; readonly to: number | { readonly by: number }; readonly total: number; readonly viewport: number }
  | { readonly type: "queue/filter"; readonly filter: QueueFilter; readonly cursor: number }
  | { readonly type: "queue/sort"; readonly cursor: number }
  | {
      readonly type: "trajectory/open";
      readonly trajectoryId: string;
      readonly cursor: number;
      readonly viewport: number;
      readonly total: number;
    }
  | { readonly type: "trajectory/move"; readonly to: number | { readonly by: number }; readonly total: number; readonly viewport: number }
  | { readonly type: "pane/cycle" }
  | { readonly type: "pane/show"; readonly pane: PaneKind }
  | { readonly type: "pane/column"; readonly by: number; readonly max: number }
  | { readonly type: "view/raw" }
  | { readonly type: "pane/focus"; readonly focused: boolean }
  | { readonly type: "pane/scroll"; readonly by: number | "top" | "bottom"; readonly max: number }
  | { readonly type: "expand/toggle"; readonly eventId: string }
  | { readonly type: "search/set"; readonly query: string }
  | { readonly type: "pair/show"; readonly index: number; readonly total: number; readonly judged?: PairIds }
  | { readonly type: "pair/scroll"; readonly by: number; readonly max: number }
  | { readonly type: "screen/show"; readonly screen: Screen }
  | { readonly type: "overlay/open"; readonly overlay: Overlay }
  | { readonly type: "overlay/update"; readonly overlay: Overlay }
  | { readonly type: "overlay/close" }
  | { readonly type: "message/show"; readonly message: StatusMessage | null };

/** The state a session starts in. */
export function initialUiState(options: { filter?: QueueFilter; sort?: QueueSort; screen?: Screen; pairIndex?: number } = {}): UiState {
  return {
    screen: options.screen ?? "queue",
    queue: { list: { cursor: 0, top: 0 }, filter: options.filter ?? OPEN_FILTER, sort: options.sort ?? "file" },
    trajectory: null,
    pair: { index: options.pairIndex ?? 0, scroll: 0, judged: null },
    overlay: null,
    message: null,
  };
}

function target(window: ListWindow, to: number | { readonly by: number }): number {
  return typeof to === "number" ? to : window.cursor + to.by;
}

/** The next sort order after `sort`. */
export function nextSort(sort: QueueSort): QueueSort {
  return QUEUE_SORTS[(QUEUE_SORTS.indexOf(sort) + 1) % QUEUE_SORTS.length]!;
}

/** The UI reducer: pure, so every transition can be tested without rendering. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case "queue/move":
      return {
        ...state,
        queue: { ...state.queue, list: moveWindow(state.queue.list, target(state.queue.list, action.to), action.total, action.viewport) },
      };
    case "queue/filter":
      return { ...state, queue: { ...state.queue, filter: action.filter, list: { cursor: action.cursor, top: 0 } } };
    case "queue/sort":
      return { ...state, queue: { ...state.queue, sort: nextSort(state.queue.sort), list: { cursor: action.cursor, top: 0 } } };
    case "trajectory/open": {
      const list = moveWindow({ cursor: 0, top: 0 }, action.cursor, action.total, action.viewport);
      const view: TrajectoryView = {
        trajectoryId: action.trajectoryId,
        list,
        pane: state.trajectory?.pane ?? "detail",
        detailFocused: false,
        paneScroll: 0,
        expanded: [],
        search: "",
        rawJson: state.trajectory?.rawJson ?? false,
        paneColumn: 0,
      };
      return { ...state, screen: "trajectory", trajectory: view, overlay: null };
    }
    case "trajectory/move": {
      if (!state.trajectory) return state;
      const list = moveWindow(state.trajectory.list, target(state.trajectory.list, action.to), action.total, action.viewport);
      const moved = list.cursor !== state.trajectory.list.cursor;
      return {
        ...state,
        trajectory: {
          ...state.trajectory,
          list,
          paneScroll: moved && state.trajectory.pane === "detail" ? 0 : state.trajectory.paneScroll,
          paneColumn: moved ? 0 : state.trajectory.paneColumn,
        },
      };
    }
    case "pane/cycle": {
      if (!state.trajectory) return state;
      const pane = PANES[(PANES.indexOf(state.trajectory.pane) + 1) % PANES.length]!;
      return { ...state, trajectory: { ...state.trajectory, pane, paneScroll: 0, paneColumn: 0, detailFocused: false } };
    }
    case "pane/show": {
      if (!state.trajectory) return state;
      const pane = state.trajectory.pane === action.pane ? "detail" : action.pane;
      return { ...state, trajectory: { ...state.trajectory, pane, paneScroll: 0, paneColumn: 0, detailFocused: false } };
    }
    case "pane/column": {
      if (!state.trajectory) return state;
      const paneColumn = Math.max(0, Math.min(action.max, state.trajectory.paneColumn + action.by));
      return { ...state, trajectory: { ...state.trajectory, paneColumn } };
    }
    case "view/raw":
      return state.trajectory
        ? { ...state, trajectory: { ...state.trajectory, rawJson: !state.trajectory.rawJson, paneColumn: 0 } }
        : state;
    case "pane/focus":
      return state.trajectory ? { ...state, trajectory: { ...state.trajectory, detailFocused: action.focused } } : state;
    case "pane/scroll": {
      if (!state.trajectory) return state;
      const current = state.trajectory.paneScroll;
      const next = action.by === "top" ? 0 : action.by === "bottom" ? action.max : current + action.by;
      return { ...state, trajectory: { ...state.trajectory, paneScroll: Math.max(0, Math.min(action.max, next)) } };
    }
    case "expand/toggle": {
      if (!state.trajectory) return state;
      const { expanded } = state.trajectory;
      const next = expanded.includes(action.eventId) ? expanded.filter((id) => id !== action.eventId) : [...expanded, action.eventId];
      return { ...state, trajectory: { ...state.trajectory, expanded: next } };
    }
    case "search/set":
      return state.trajectory ? { ...state, trajectory: { ...state.trajectory, search: action.query } } : state;
    case "pair/show":
      return {
        ...state,
        screen: "pair",
        pair: { index: Math.max(0, Math.min(action.total - 1, action.index)), scroll: 0, judged: action.judged ?? null },
        overlay: null,
      };
    case "pair/scroll":
      return { ...state, pair: { ...state.pair, scroll: Math.max(0, Math.min(action.max, state.pair.scroll + action.by)) } };
    case "screen/show":
      return { ...state, screen: action.screen, overlay: null };
    case "overlay/open":
    case "overlay/update":
      return { ...state, overlay: action.overlay };
    case "overlay/close":
      return { ...state, overlay: null };
    case "message/show":
      return { ...state, message: action.message };
  }
}

/** The key context the reviewer is in: the open overlay's, else the screen's. */
export function keyContextOf(state: UiState): KeyContext {
  switch (state.overlay?.kind) {
    case "help":
      return "help";
    case "filter":
      return "filter";
    case "search":
      return "search";
    case "note":
    case "pair-note":
      return "note";
    case "plan":
      return "plan";
    case undefined:
      break;
  }
  if (state.screen === "trajectory") return state.trajectory?.detailFocused ? "detail" : "trajectory";
  return state.screen;
}

/** True when typed characters go into a text field rather than being commands. */
export function isTextFocus(state: UiState): boolean {
  const overlay = state.overlay;
  if (!overlay) return false;
  if (overlay.kind === "note") return overlay.field !== "verdict";
  if (overlay.kind === "pair-note" || overlay.kind === "search") return true;
  if (overlay.kind === "filter") return overlay.editing !== null;
  return overlay.kind === "plan" && (overlay.field === "missing" || overlay.field === "critique");
}
