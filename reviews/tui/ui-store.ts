import { useSyncExternalStore } from "react";
import { uiReducer, type UiAction, type UiState } from "./state.js";

/**
 * The UI reducer held outside React, so key handlers read the state as it is
 * now rather than as it was at the last render. Ink delivers every key of one
 * input chunk (fast typing, a paste, tmux send-keys) before React re-renders;
 * with a plain `useReducer`, the second `j` of "jj" would see the cursor the
 * first one started from.
 */
export interface UiStore {
  getState(): UiState;
  dispatch(action: UiAction): void;
  subscribe(listener: () => void): () => void;
}

/** A store over {@link uiReducer}. */
export function createUiStore(initial: UiState): UiStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = uiReducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The store's state, re-rendering on change. */
export function useUiState(store: UiStore): UiState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
