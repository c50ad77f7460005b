import { existsSync } from "node:fs";
import { render } from "ink-testing-library";
import { useEffect } from "react";
import { onTestFinished } from "vitest";
import type { RunDirectory } from "../../harness/core.js";
import { ReviewSession, type ReviewRecord } from "../../reviews/index.js";
import { ReviewApp, type ReviewAppProps } from "../../reviews/tui/components/App.js";
import { COLOR_THEME, ThemeProvider, type Theme } from "../../reviews/tui/theme.js";
import { readReviewRecordsSoFar } from "./fixtures.js";

/** Keys as a terminal sends them. */
export const KEY = {
  UP: "\u001B[A",
  DOWN: "\u001B[B",
  RIGHT: "\u001B[C",
  LEFT: "\u001B[D",
  ENTER: "\r",
  ESCAPE: "\u001B",
  TAB: "\t",
  SHIFT_TAB: "\u001B[Z",
  BACKSPACE: "\u007F",
  PAGE_DOWN: "\u001B[6~",
  CTRL_C: "\u0003",
} as const;

/** The size every UI test renders at unless it says otherwise. */
export const SMALL = { columns: 80, rows: 24 } as const;

/** A rendered review app and ways to drive it. */
export interface ReviewHarness {
  readonly session: ReviewSession;
  frame(): string;
  /** Types keys one write at a time, waiting for Ink to take each. */
  press(...keys: string[]): Promise<void>;
  /** Waits until the frame satisfies `predicate` (or fails with the last frame). */
  waitFor(predicate: (frame: string) => boolean, what?: string): Promise<string>;
  /** Waits until the reviewer's file holds records satisfying `predicate`. */
  waitForRecords(predicate: (records: ReviewRecord[]) => boolean): Promise<ReviewRecord[]>;
  stdout: { frames: string[]; write: (frame: string) => void; emit: (event: string) => boolean };
  /** Whether the app has ended (it quit, or was unmounted). */
  exited(): boolean;
  unmount(): void;
}

/** Calls `onUnmount` when the tree it is in goes away: the app quitting unmounts it. */
function UnmountSignal({ onUnmount }: { readonly onUnmount: () => void }): null {
  useEffect(() => onUnmount, [onUnmount]);
  return null;
}

/**
 * Waits for a condition without a fixed sleep: checks after each macrotask, up
 * to a deadline. The deadline is generous (a loaded CI machine can take
 * seconds to render and write); a passing check returns at once.
 */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  describe: () => string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Renders the review app over a session at a fixed size (80×24 by default). */
export function renderReview(session: ReviewSession, props: Partial<ReviewAppProps> & { theme?: Theme } = {}): ReviewHarness {
  const { theme = COLOR_THEME, ...rest } = props;
  let ended = false;
  const instance = render(
    <ThemeProvider theme={theme}>
      <ReviewApp session={session} size={"size" in props ? props.size : SMALL} {...rest} />
      <UnmountSignal onUnmount={() => (ended = true)} />
    </ThemeProvider>,
  );
  const frame = (): string => instance.lastFrame() ?? "";
  return {
    session,
    frame,
    async press(...keys) {
      for (const key of keys) {
        instance.stdin.write(key);
        // Ink holds a lone ESC until the next macrotask to tell it from a sequence; the router may defer a key too.
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    waitFor(predicate, what = "the frame") {
      return eventually(
        () => (predicate(frame()) ? frame() : false),
        () => `${what}; last frame:\n${frame()}`,
      );
    },
    waitForRecords(predicate) {
      return eventually(
        async () => {
          const path = session.files[0]!;
          const records = existsSync(path) ? await readReviewRecordsSoFar(path) : [];
          return predicate(records) ? records : false;
        },
        () => `records in ${session.files[0]}`,
      );
    },
    stdout: instance.stdout as unknown as ReviewHarness["stdout"],
    exited: () => ended,
    unmount: () => instance.unmount(),
  };
}

/**
 * Opens a session over `runs` for reviewer "ana" and renders it; the app is
 * unmounted and the session closed when the test finishes.
 */
export async function openReview(
  runs: RunDirectory | readonly RunDirectory[],
  props: Parameters<typeof renderReview>[1] = {},
): Promise<ReviewHarness> {
  const session = await ReviewSession.open({ runs: Array.isArray(runs) ? runs : [runs], reviewer: "ana" });
  const harness = renderReview(session, props);
  onTestFinished(async () => {
    harness.unmount();
    await session.close();
  });
  return harness;
}
