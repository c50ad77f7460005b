import { useInput, type Key } from "ink";
import { createContext, useContext, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { KeyContext } from "./key-bindings.js";
import { isTextFocus, keyContextOf } from "./state.js";
import type { UiStore } from "./ui-store.js";

/**
 * One listener for the whole app that hands each key to the handlers of the
 * context the reviewer is in *now*.
 *
 * Ink reports every character of an input chunk that has no escape sequence
 * as one string: "jjj" when a key is held while the screen is busy, or
 * `2why\r` when a script types a verdict, a reason and Enter at once. Commands
 * are single keys, and a key can move the focus (the `2` above opens the
 * reason form), so the router replays a chunk one key at a time, and after a
 * key that changed the state it lets React render before the next one, so the
 * next key reaches the newly focused form. In text fields a run of printable
 * characters stays together (a paste). Components register with
 * {@link useKeyHandler}; this is the `useInput(…, { isActive })` focus
 * gating of one pane at a time, made safe for multi-key chunks.
 *
 * A key can wait for something the review is still reading (opening a
 * trajectory before its grades are in): its handler returns
 * {@link deferKey}, and that key and every key after it are held, in order,
 * and delivered once the promise settles. `holdUntil` holds every key from
 * the start in the same way (while the review returns to where the reviewer
 * left off). Quitting never waits: ctrl+c quits at once, and so does a key
 * that `quitsAtOnce` names when no held key is ahead of it.
 */

/** A key held back until `until` settles, then delivered again. */
export interface KeyDeferral {
  readonly until: Promise<unknown>;
}

/** A handler returns true when it used the key, or a deferral to have it (and every key after it) delivered later. */
export type KeyHandler = (input: string, key: Key) => boolean | void | KeyDeferral;

/** What a handler returns to have its key delivered again once `until` settles. */
export function deferKey(until: Promise<unknown>): KeyDeferral {
  return { until };
}

function isDeferral(value: boolean | void | KeyDeferral): value is KeyDeferral {
  return typeof value === "object" && value !== null;
}

interface Registration {
  readonly contexts: ReadonlySet<KeyContext>;
  readonly handler: { current: KeyHandler };
  readonly fallback: boolean;
}

interface Router {
  register(registration: Registration): () => void;
}

const RouterContext = createContext<Router | null>(null);

/** Routes keys to handlers by the store's current key context. */
export function KeyRouter({
  store,
  onInterrupt,
  onKey,
  holdUntil,
  quitsAtOnce,
  children,
}: {
  readonly store: UiStore;
  readonly onInterrupt: () => void;
  /** Called before each key is handled (the activity clock). */
  readonly onKey?: () => void;
  /** Keys are held from the start until this settles (read once, when the router mounts). */
  readonly holdUntil?: Promise<unknown> | null;
  /**
   * True for a key that quits where the reviewer is now: pressed while keys
   * are held, with none ahead of it, it quits (`onInterrupt`) instead of
   * waiting for what the review is reading, which quitting does not need.
   */
  readonly quitsAtOnce?: (input: string, key: Key) => boolean;
  readonly children: ReactNode;
}): ReactNode {
  const registrations = useRef(new Set<Registration>());
  const pending = useRef<{ input: string; key: Key }[]>([]);
  /** While set, keys wait in `pending`. */
  const held = useRef<Promise<unknown> | null>(null);
  const [router] = useState<Router>(() => ({
    register(registration) {
      registrations.current.add(registration);
      return () => registrations.current.delete(registration);
    },
  }));

  const deliver = (input: string, key: Key): KeyDeferral | undefined => {
    // ctrl+c always quits, whatever has the focus (and is never held).
    if (key.ctrl && input === "c") {
      onInterrupt();
      return undefined;
    }
    onKey?.();
    const context = keyContextOf(store.getState());
    const ordered = [...registrations.current]
      .filter((r) => r.contexts.has(context))
      .sort((a, b) => Number(a.fallback) - Number(b.fallback));
    for (const registration of ordered) {
      const used = registration.handler.current(input, key);
      if (isDeferral(used)) return used;
      if (used === true) return undefined;
    }
    return undefined;
  };
  const hold = (until: Promise<unknown>): void => {
    const settled = until.then(
      () => undefined,
      () => undefined,
    );
    held.current = settled;
    void settled.then(() => {
      if (held.current !== settled) return;
      held.current = null;
      // After React has drawn what the wait brought (a grade index, a reopened screen).
      setImmediate(drain);
    });
  };
  const drain = (): void => {
    while (pending.current.length > 0 && !held.current) {
      const before = store.getState();
      const next = pending.current.shift()!;
      const deferral = deliver(next.input, next.key);
      if (deferral) {
        pending.current.unshift(next);
        hold(deferral.until);
        return;
      }
      if (store.getState() !== before && pending.current.length > 0) {
        // Let React render the new focus (a sync render outside Ink's batch) before the next key.
        setImmediate(drain);
        return;
      }
    }
  };

  useState(() => {
    if (holdUntil) hold(holdUntil);
  });
  useInput((input, key) => {
    if (held.current && ((key.ctrl && input === "c") || (pending.current.length === 0 && quitsAtOnce?.(input, key)))) return onInterrupt();
    const queued = pending.current.length > 0 || held.current !== null;
    const inText = (): boolean => isTextFocus(store.getState());
    if (key.meta && !key.escape && !key.ctrl && !key.return && input.length > 0) {
      // ESC followed by a key in one chunk reads as Alt+key; no command uses Alt (but alt+Enter, a new line
      // in a note), so it is Esc, then the key.
      pending.current.push({ input: "", key: { ...key, meta: true, escape: true } }, ...splitChunk(input, { ...key, meta: false }, inText));
    } else if (input.length <= 1 || key.ctrl || key.meta) pending.current.push({ input, key });
    else pending.current.push(...splitChunk(input, key, inText));
    if (!queued) drain();
  });
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/**
 * Registers `handler` for keys in `contexts` while `active`. `fallback`
 * handlers (the app's global keys) see a key only if no other handler used it.
 */
export function useKeyHandler(
  contexts: KeyContext | readonly KeyContext[],
  handler: KeyHandler,
  options: { readonly active?: boolean; readonly fallback?: boolean } = {},
): void {
  const router = useContext(RouterContext);
  const ref = useRef(handler);
  useLayoutEffect(() => {
    ref.current = handler;
  });
  const list = typeof contexts === "string" ? [contexts] : contexts;
  const key = list.join(",");
  const active = options.active ?? true;
  const fallback = options.fallback ?? false;
  useLayoutEffect(() => {
    if (!router || !active) return;
    return router.register({ contexts: new Set(key.split(",") as KeyContext[]), handler: ref, fallback });
  }, [router, key, active, fallback]);
}

/** Splits a chunk into keys: special characters alone, printable runs by {@link textRun}. */
function splitChunk(chunk: string, chunkKey: Key, inText: () => boolean): { input: string; key: Key }[] {
  const keys: { input: string; key: Key }[] = [];
  let run = "";
  const flush = (): void => {
    if (run) keys.push(...textRun(run, chunkKey, inText));
    run = "";
  };
  for (const char of chunk) {
    const special = specialKey(char, chunkKey);
    if (special) {
      flush();
      keys.push(special);
    } else run += char;
  }
  flush();
  return keys;
}

function textRun(run: string, chunkKey: Key, inText: () => boolean): { input: string; key: Key }[] {
  // Decided now, before any key of this chunk is delivered: a run typed into a field arrives whole only
  // when the focus is already on a field; otherwise each character is its own key.
  if (inText()) return [{ input: run, key: { ...chunkKey, shift: false } }];
  return Array.from(run, (char) => ({ input: char, key: { ...chunkKey, shift: /[A-Z]/.test(char) } }));
}

function specialKey(char: string, chunkKey: Key): { input: string; key: Key } | null {
  const base: Key = { ...chunkKey, return: false, tab: false, delete: false, backspace: false, ctrl: false, shift: false, meta: false };
  switch (char) {
    case "\r":
    case "\n":
      return { input: "", key: { ...base, return: true } };
    case "\t":
      return { input: "", key: { ...base, tab: true } };
    case "\u007F":
      return { input: "", key: { ...base, delete: true } };
    case "\b":
      return { input: "", key: { ...base, backspace: true } };
    default: {
      const code = char.codePointAt(0)!;
      if (code > 0 && code < 0x20) return { input: String.fromCharCode(code + 0x60), key: { ...base, ctrl: true } };
      return null;
    }
  }
}
