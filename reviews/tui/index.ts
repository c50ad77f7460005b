/**
 * The review TUI. Only `trajlab review` imports this module (lazily), so
 * library users and headless runs never load Ink.
 */
import { render } from "ink";
import { createElement } from "react";
import { jsonForTerminal, sanitizeForDisplay, type RunDirectory } from "../../harness/core.js";
import type { QueueFilter, QueueSort } from "../queue.js";
import { readPosition, writePosition, type ReviewPosition } from "../position.js";
import { ReviewSession } from "../session.js";
import { openAdjudication } from "../adjudication.js";
import { AdjudicationScreen } from "./components/AdjudicationScreen.js";
import { ReviewApp } from "./components/App.js";
import { ThemeProvider, themeFor } from "./theme.js";

export { ReviewApp } from "./components/App.js";
export { AdjudicationScreen } from "./components/AdjudicationScreen.js";
export type { AdjudicationScreenProps } from "./components/AdjudicationScreen.js";
export type { ReviewAppProps } from "./components/App.js";
export { ThemeProvider, themeFor, COLOR_THEME, MONOCHROME_THEME } from "./theme.js";
export type { Theme } from "./theme.js";
export { sanitizeForDisplay, displayJson } from "../../harness/core.js";
export { Command, KEY_BINDINGS, matches, commandsIn, footerHints } from "./key-bindings.js";
export type { CommandSpec, KeyBinding, KeyContext } from "./key-bindings.js";
export { uiReducer, initialUiState, keyContextOf } from "./state.js";
export type { UiAction, UiState } from "./state.js";

/** Options for {@link startReview}. */
export interface StartReviewOptions {
  readonly runs: readonly RunDirectory[];
  readonly reviewer: string;
  readonly filter?: QueueFilter;
  readonly sort?: QueueSort;
  readonly pairwise?: boolean;
  /** Shown in the status line at the start (other runs with work in progress, say). */
  readonly notices?: readonly string[];
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  readonly stderr?: NodeJS.WriteStream;
}

const ENTER_ALTERNATE_SCREEN = "\u001B[?1049h\u001B[H";
const LEAVE_ALTERNATE_SCREEN = "\u001B[?1049l";

/**
 * Opens the runs for one reviewer and runs the TUI until the reviewer quits.
 * The queue is drawn as soon as its first screenful is indexed, the rest of
 * the runs read behind it (pairwise mode, or a review left in it, waits for
 * the whole index: pairs need every trajectory). Every grade is on disk the
 * moment it is given; on the way out the session flushes what is pending,
 * and if a write kept failing the records are printed to stderr so nothing
 * is lost. A run that cannot be read to its end ends the review with its
 * error, once what was given is flushed.
 */
export async function startReview(options: StartReviewOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  // Raw from the start: keys typed while a large run loads (or before Ink listens) arrive as
  // keys, not as a cooked line whose Enter would be lost; Ink takes it over from here.
  if (stdin.isTTY) stdin.setRawMode(true);
  const warnings: string[] = [];
  let shown = -1;
  const restoreTerminal = (): void => {
    if (stdin.isTTY) stdin.setRawMode(false);
  };
  // Where the reviewer stopped, kept beside their file in the first run: saved as they move, and once more on the way out.
  const home = options.runs[0]!;
  const resume = await readPosition(home, options.reviewer);
  const whole = Boolean(options.pairwise) || resume?.screen === "pair";
  const session = await ReviewSession.start({
    runs: options.runs,
    reviewer: options.reviewer,
    // The rows of a terminal are more than the queue shows of them.
    firstRows: whole ? Number.POSITIVE_INFINITY : Math.max(24, stdout.rows ?? 24),
    onWarning: (warning) => warnings.push(`${warning.file}${warning.line ? `:${warning.line}` : ""}: ${warning.message}`),
    // Before the screen is drawn (pairwise mode reads every run first), how far it has read; after, the status line says.
    onProgress: (read, total) => {
      const percent = Math.floor((read / Math.max(1, total)) * 100);
      if (whole && total > 8 * 1024 * 1024 && percent !== shown && stderr.isTTY) {
        shown = percent;
        stderr.write(`\rreading trajectories ${percent}%`);
      }
    },
  }).catch((error: unknown) => {
    restoreTerminal();
    throw error;
  });
  if (shown >= 0) stderr.write("\r\u001B[K");
  const printed = warnings.length;
  for (const warning of warnings) stderr.write(`trajlab: warning: ${sanitizeForDisplay(warning)}\n`);
  let position: ReviewPosition | null = null;
  let saving: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const savePosition = (): void => {
    const latest = position;
    if (latest) saving = saving.then(() => writePosition(home, options.reviewer, latest)).catch(() => undefined);
  };
  const onPosition = (next: ReviewPosition): void => {
    position = next;
    clearTimeout(timer);
    timer = setTimeout(savePosition, 500);
  };

  stdout.write(ENTER_ALTERNATE_SCREEN);
  const instance = render(
    createElement(ThemeProvider, {
      theme: themeFor(process.env),
      children: createElement(ReviewApp, {
        session,
        filter: options.filter,
        sort: options.sort,
        pairwise: options.pairwise,
        warnings,
        notices: options.notices,
        resume,
        onPosition,
      }),
    }),
    { stdout, stdin, stderr, exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
  );
  const stop = (): void => instance.unmount();
  const signals: NodeJS.Signals[] = ["SIGTERM", "SIGHUP"];
  for (const signal of signals) process.once(signal, stop);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const signal of signals) process.off(signal, stop);
    stdout.write(LEAVE_ALTERNATE_SCREEN);
    restoreTerminal();
    clearTimeout(timer);
    savePosition();
    await saving;
    await session.close();
  }
  for (const warning of warnings.slice(printed)) stderr.write(`trajlab: warning: ${sanitizeForDisplay(warning)}\n`);
  // Settled by now (the close stopped any reading): the error, if the runs could not be read to their end.
  const indexError = await session.indexed.then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const save = session.saveState;
  if (save.unsaved > 0) {
    stderr.write(`trajlab: ${save.unsaved} review record(s) could not be written (${save.error}); here they are, one JSON line each:\n`);
    for (const record of session.unsaved) stderr.write(`${jsonForTerminal(record, 0)}\n`);
    process.exitCode = 1;
    return;
  }
  stdout.write(`reviews saved in ${session.files.join(", ")}\n`);
  if (indexError) throw indexError.error;
}

/**
 * Opens the adjudication screen for an adjudicator over some runs: the
 * targets reviewers disagree on, each side's verdict and reason, and a key to
 * settle each. Settlements go to the adjudicator's own reviewer file.
 */
export async function startAdjudication(
  options: Pick<StartReviewOptions, "runs" | "reviewer" | "stdout" | "stdin" | "stderr">,
): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const stderr = options.stderr ?? process.stderr;
  const disagreements = await openAdjudication(options.runs, options.reviewer);
  const session = await ReviewSession.open({ runs: options.runs, reviewer: options.reviewer });
  stdout.write(ENTER_ALTERNATE_SCREEN);
  const instance = render(
    createElement(ThemeProvider, {
      theme: themeFor(process.env),
      children: createElement(AdjudicationScreen, {
        session,
        disagreements,
        width: stdout.columns ?? 80,
        height: Math.max(10, (stdout.rows ?? 24) - 1),
      }),
    }),
    { stdout, stdin, stderr, exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    stdout.write(LEAVE_ALTERNATE_SCREEN);
    await session.close();
  }
  stdout.write(`settlements saved in ${session.files.join(", ")}\n`);
}
