import { Box, Text, useApp } from "ink";
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { errorMessage } from "../../../harness/core.js";
import { assignedDone } from "../../assignment.js";
import { pairVerdictFor, planValues } from "../../grading.js";
import { alignPlan } from "../../plan-diff.js";
import { queueOf, reviewProgress, type QueueFilter, type QueueSort } from "../../queue.js";
import type { IndexProgress } from "../../run-index.js";
import type { ReviewSession } from "../../session.js";
import { toolCallsOf } from "../../timeline.js";
import { Command, footerHints, KEY_BINDINGS, matches } from "../key-bindings.js";
import { KeyRouter, useKeyHandler } from "../key-router.js";
import { reviewActions } from "../review-actions.js";
import type { ReviewPosition } from "../../position.js";
import { focusOf, positionOf, startingStore } from "../resume.js";
import { keyContextOf, type StatusMessage } from "../state.js";
import { modelText, oneLine, outcomeText, searchText } from "../step-format.js";
import { displayWidth, fitToWidth, truncateToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";
import { useUiState, type UiStore } from "../ui-store.js";
import { useTerminalSize, type TerminalSize } from "../use-terminal-size.js";
import { FilterPanel } from "./FilterPanel.js";
import { HelpOverlay } from "./HelpOverlay.js";
import { NoteForm } from "./NoteForm.js";
import { PairScreen } from "./PairScreen.js";
import { PlanForm } from "./PlanForm.js";
import { ProblemScreen } from "./ProblemScreen.js";
import { QueueScreen } from "./QueueScreen.js";
import { SearchBar } from "./SearchBar.js";
import { trajectoryLayout, TrajectoryScreen } from "./TrajectoryScreen.js";

/** Props of {@link ReviewApp}. */
export interface ReviewAppProps {
  readonly session: ReviewSession;
  /** Filters and sort to start with (from the command line). */
  readonly filter?: QueueFilter;
  readonly sort?: QueueSort;
  /** Start in pairwise mode. */
  readonly pairwise?: boolean;
  /** Pins the size (tests); by default the terminal's, following resizes. */
  readonly size?: TerminalSize;
  /** Shown in the status line at start (e.g. a torn line that was skipped); those added while the runs are read are shown once they are. */
  readonly warnings?: readonly string[];
  /** Shown in the status line at start when there is no warning (e.g. other runs with work in progress). */
  readonly notices?: readonly string[];
  /** Where the reviewer stopped last time: the review reopens there. */
  readonly resume?: ReviewPosition | null;
  /** Called with the reviewer's position whenever it changes (to be saved for next time). */
  readonly onPosition?: (position: ReviewPosition) => void;
}

const QUIT_CONTEXTS = new Set(KEY_BINDINGS.find((spec) => spec.command === Command.Quit)!.contexts);
const HELP_CONTEXTS = new Set(KEY_BINDINGS.find((spec) => spec.command === Command.Help)!.contexts);

/** The review TUI: queue, trajectory, pairwise screens and their forms. */
export function ReviewApp({ session, filter, sort, pairwise, size, warnings, notices, resume, onPosition }: ReviewAppProps): ReactNode {
  const theme = useTheme();
  const { exit } = useApp();
  const [{ store, settling }] = useState(() =>
    startingStore(session, {
      filter,
      sort,
      pairwise,
      resume,
      rows: size?.rows ?? 24,
      messages: [
        ...(warnings ?? []).map((text) => ({ text, tone: "warning" as const })),
        ...(notices ?? []).map((text) => ({ text, tone: "info" as const })),
      ],
    }),
  );
  // Until the review is back where the reviewer left off, that place stays the one saved.
  const [settled, setSettled] = useState(settling === null);
  useEffect(() => {
    void settling?.then(() => setSettled(true));
  }, [settling]);
  // What is in front of the reviewer: the activity clock's focus, and the position saved for next time.
  useEffect(() => {
    const follow = (): void => {
      const now = store.getState();
      session.activity.focusOn(focusOf(session, now));
      if (settled) onPosition?.(positionOf(session, now));
    };
    follow();
    return store.subscribe(follow);
  }, [store, session, onPosition, settled]);
  const state = useUiState(store);
  const subscribe = useMemo(() => session.subscribe.bind(session), [session]);
  // Where every open trajectory came from, when that is one importer (the queue then has no source column).
  const version = useSyncExternalStore(subscribe, () => session.version);
  const indexing = session.progress;
  const importedFrom = useMemo(() => {
    const sources = new Set(session.runIds.map((runId) => session.runSource(runId)));
    const [only] = sources;
    return sources.size === 1 && only !== "recorded" ? only! : null;
  }, [session, session.runIds]);
  const terminal = useTerminalSize(size);
  // One row short of the terminal: a frame as tall as the screen makes Ink clear and redraw it all.
  const width = Math.max(20, terminal.columns);
  const height = Math.max(8, terminal.rows - 1);
  const bodyHeight = height - 2;
  const queue = useMemo(
    () => queueOf(session.entries, state.queue.filter, state.queue.sort, (entry) => session.facts(entry)),
    [session, state.queue.filter, state.queue.sort, version],
  );
  useKeepCursor(store, queue);
  const progress = useMemo(() => reviewProgress(session.entries, (entry) => session.status(entry.id)), [session, version]);
  const assigned = useMemo(
    () => (session.assigned ? assignedDone(session.assigned, (id) => session.status(id)) : null),
    [session, version],
  );
  const layout = trajectoryLayout(width, bodyHeight, state.overlay?.kind === "note");
  const actions = reviewActions({ session, store, queue, timelineRows: layout.timelineHeight });
  const context = keyContextOf(state);

  const view = state.screen === "trajectory" ? state.trajectory : null;
  const [loaded, loadProblem] = useMemo(() => {
    if (!view) return [null, null] as const;
    try {
      return [session.load(view.trajectoryId), null] as const;
    } catch (error) {
      return [null, errorMessage(error)] as const;
    }
  }, [session, view?.trajectoryId]);
  const review = view ? session.ledger.review(view.trajectoryId) : null;

  const quit = (): void => {
    actions.commitDrafts(store.getState().overlay);
    exit();
  };
  // A run that cannot be read to its end (a damaged line, a duplicate id) ends the review, keeping what was given;
  // the command then reports the error.
  const quitRef = useRef(quit);
  quitRef.current = quit;
  useEffect(() => {
    session.indexed.catch(() => quitRef.current());
  }, [session]);
  // Warnings found while the runs were read in the background, once they are read.
  const shownWarnings = useRef(warnings?.length ?? 0);
  useEffect(() => {
    if (!indexing.done || !warnings || warnings.length <= shownWarnings.current) return;
    const late = warnings.slice(shownWarnings.current);
    shownWarnings.current = warnings.length;
    store.dispatch({ type: "message/show", message: { text: late.join(" · "), tone: "warning" } });
  }, [indexing.done, warnings, store]);

  const onFilter = (next: QueueFilter): void => {
    const selected = queue[state.queue.list.cursor]?.id;
    const list = queueOf(session.entries, next, state.queue.sort, (entry) => session.facts(entry));
    store.dispatch({
      type: "queue/filter",
      filter: next,
      cursor: Math.max(
        0,
        list.findIndex((entry) => entry.id === selected),
      ),
    });
  };

  let body: ReactNode;
  const overlay = state.overlay;
  if (overlay?.kind === "help") {
    body = (
      <HelpOverlay
        from={overlay.from}
        scroll={overlay.scroll}
        width={width}
        height={bodyHeight}
        active={context === "help"}
        store={store}
      />
    );
  } else if (overlay?.kind === "filter") {
    body = (
      <FilterPanel
        filter={state.queue.filter}
        entries={session.entries}
        overlay={overlay}
        severalRuns={session.runIds.length > 1}
        width={width}
        height={bodyHeight}
        active={context === "filter"}
        store={store}
        onChange={onFilter}
      />
    );
  } else if (overlay?.kind === "pair-note") {
    const index = session.pairs.findIndex((pair) => pair.a.id === overlay.pair.a && pair.b.id === overlay.pair.b);
    const pair = session.pairs[index];
    const choice = pair ? pairVerdictFor(pair, session.ledger.pair(pair.a.id, pair.b.id)) : null;
    body = (
      <NoteForm
        title={`Why? (optional) · pair ${index + 1} of ${session.pairs.length}${pair ? ` · ${oneLine(pair.scenarioId)}` : ""}`}
        context={
          pair
            ? [
                `A: ${modelText(pair.a.model)} · ${oneLine(pair.a.agent)} #${pair.a.trial}   B: ${modelText(pair.b.model)} · ${oneLine(pair.b.agent)} #${pair.b.trial}`,
                `your choice: ${choice === null ? "none yet" : choice === "tie" ? "tie" : `${choice.toUpperCase()} is better`}`,
              ]
            : []
        }
        fields={[{ label: "why", draft: overlay.draft, placeholder: "what made the difference" }]}
        focus={0}
        width={width}
        height={bodyHeight}
        active={context === "note"}
        onChange={(_, draft) => store.dispatch({ type: "overlay/update", overlay: { ...overlay, draft } })}
        onFocus={() => undefined}
        onClose={() => actions.closePairNote()}
      />
    );
  } else if (overlay?.kind === "plan" && loaded && review) {
    const gradable = loaded.timeline.filter((s) => s.gradable);
    const diffMissing = loaded.trajectory.reference
      ? alignPlan(loaded.trajectory.reference.calls, toolCallsOf(loaded.trajectory)).flatMap((row) =>
          row.kind === "missing" ? [row.reference.name] : [],
        )
      : [];
    body = (
      <PlanForm
        overlay={overlay}
        title={`Plan · ${oneLine(loaded.trajectory.scenarioId)} · ${modelText(loaded.trajectory.model)} · outcome ${loaded.trajectory.outcome === null ? "not recorded" : outcomeText(loaded.trajectory.outcome)}`}
        gradable={gradable}
        values={planValues(review, gradable)}
        readValues={() => planValues(session.ledger.review(overlay.trajectoryId), gradable)}
        diffMissing={diffMissing}
        width={width}
        height={bodyHeight}
        active={context === "plan"}
        store={store}
        onSave={(change) => actions.savePlan(change)}
        onCommitText={() => actions.commitPlanText()}
        onUpdate={(next) => store.dispatch({ type: "overlay/update", overlay: next })}
        onClose={() => store.dispatch({ type: "overlay/close" })}
        onNext={() => actions.next()}
      />
    );
  } else if (state.screen === "trajectory" && loadProblem) {
    body = (
      <ProblemScreen
        context="trajectory"
        problem={loadProblem}
        width={width}
        height={bodyHeight}
        onBack={() => store.dispatch({ type: "screen/show", screen: "queue" })}
      />
    );
  } else if (state.screen === "trajectory" && view && loaded && review) {
    body = (
      <TrajectoryScreen
        view={view}
        trajectory={loaded.trajectory}
        steps={loaded.timeline}
        grades={session.grades(loaded.trajectory.id)}
        review={review}
        store={store}
        width={width}
        height={bodyHeight}
        active={context === "trajectory" || context === "detail"}
        source={session.entry(view.trajectoryId) ? session.source(session.entry(view.trajectoryId)!) : "?"}
        form={overlay?.kind === "note" ? overlay : null}
        formActive={context === "note" && overlay?.kind === "note"}
        onCloseForm={() => actions.closeNote()}
        onVerdict={(step, digit) => actions.verdict(step, digit)}
        onSuggestion={(step, how) => actions.suggestion(step, how)}
        onNote={(step) => actions.openNote(step)}
        onPlan={() => actions.openPlan()}
        onNext={() => actions.next()}
        onUndo={() => actions.undo()}
        onRedo={() => actions.redo()}
        onBack={() => store.dispatch({ type: "screen/show", screen: "queue" })}
      />
    );
  } else if (state.screen === "pair") {
    body = (
      <PairScreen
        session={session}
        pairs={session.pairs}
        index={state.pair.index}
        scroll={state.pair.scroll}
        judged={state.pair.judged}
        store={store}
        width={width}
        height={bodyHeight}
        active={context === "pair"}
        onChoose={(pair, verdict) => actions.choose(pair, verdict)}
        onNote={(pair) => actions.openPairNote(pair)}
        onNext={() => actions.nextPair()}
        onUndo={() => actions.undo()}
        onRedo={() => actions.redo()}
        onBack={() => store.dispatch({ type: "screen/show", screen: "queue" })}
      />
    );
  } else {
    body = (
      <QueueScreen
        session={session}
        state={state}
        store={store}
        queue={queue}
        width={width}
        height={bodyHeight}
        active={context === "queue"}
        onOpen={(entry, options) => actions.openTrajectory(entry, options)}
        onCompare={(entry) => actions.compare(entry)}
        onUndo={() => actions.undo()}
        onRedo={() => actions.redo()}
      />
    );
  }

  const runs = session.runIds;
  const header = `trajlab review · ${runs.length === 1 ? runs[0] : `${runs.length} runs`}${importedFrom ? ` · from ${oneLine(importedFrom)}` : ""} · ${session.reviewer} · ${progress.done} of ${progress.total} reviewed${indexing.done ? "" : " so far"}${progress.partial > 0 ? ` (${progress.partial} in progress)` : ""}${assigned ? ` · ${assigned.done} of ${assigned.total} assigned done` : ""}`;
  return (
    <KeyRouter
      store={store}
      onInterrupt={quit}
      onKey={() => session.activity.tick()}
      holdUntil={settling}
      quitsAtOnce={(input, key) => matches(Command.Quit, input, key) && QUIT_CONTEXTS.has(keyContextOf(store.getState()))}
    >
      <GlobalKeys store={store} onQuit={quit} />
      <Box flexDirection="column" width={width} height={height}>
        <Text bold color={theme.text.title} wrap="truncate-end">
          {fitToWidth(header, width)}
        </Text>
        <Box height={bodyHeight} flexDirection="column">
          {body}
        </Box>
        {overlay?.kind === "search" ? (
          <SearchBar
            draft={overlay.draft}
            hint={
              overlay.scope === "queue" ? "filters as you type · Enter keeps · Esc clears" : "Enter jumps · ] [ next/previous · Esc clears"
            }
            width={width}
            active={context === "search"}
            onChange={(draft) => {
              store.dispatch({ type: "overlay/update", overlay: { ...overlay, draft } });
              if (overlay.scope === "queue") onFilter({ ...state.queue.filter, text: draft.value });
              else store.dispatch({ type: "search/set", query: draft.value });
            }}
            onSubmit={() => {
              store.dispatch({ type: "overlay/close" });
              if (overlay.scope === "trajectory" && loaded && view) {
                const query = overlay.draft.value.toLowerCase();
                const from = view.list.cursor;
                const hit = [...loaded.timeline.slice(from), ...loaded.timeline.slice(0, from)].find(
                  (s) => query && searchText(s.event).includes(query),
                );
                if (hit)
                  store.dispatch({
                    type: "trajectory/move",
                    to: hit.index,
                    total: loaded.timeline.length,
                    viewport: layout.timelineHeight,
                  });
                else if (query) actions.say(`no step matches "${oneLine(overlay.draft.value)}"`, "warning");
              }
            }}
            onCancel={() => {
              store.dispatch({ type: "overlay/close" });
              if (overlay.scope === "queue") onFilter({ ...state.queue.filter, text: "" });
              else store.dispatch({ type: "search/set", query: "" });
            }}
          />
        ) : (
          <StatusLine session={session} indexing={indexing} hints={footerHints(context)} message={state.message} width={width} />
        )}
      </Box>
    </KeyRouter>
  );
}

/** Keys that work on every screen: quit and help. They see a key only if the focused pane did not use it. */
function GlobalKeys({ store, onQuit }: { store: UiStore; onQuit: () => void }): null {
  useKeyHandler(
    [...QUIT_CONTEXTS],
    (input, key) => {
      const now = keyContextOf(store.getState());
      if (matches(Command.Quit, input, key)) onQuit();
      else if (HELP_CONTEXTS.has(now) && now !== "help" && matches(Command.Help, input, key))
        store.dispatch({ type: "overlay/open", overlay: { kind: "help", scroll: 0, from: now } });
      else return false;
      return true;
    },
    { fallback: true },
  );
  return null;
}

/**
 * Keeps the queue's cursor on the trajectory it was on when the queue changes
 * under it as the runs are read (a trajectory read later can sort before it,
 * or an assigned one go first). A change of filter or sort places the cursor
 * itself, and is left alone.
 */
function useKeepCursor(store: UiStore, queue: readonly { readonly id: string }[]): void {
  const last = useRef<{ queue: readonly { readonly id: string }[]; list: unknown; order: unknown }>(null);
  useLayoutEffect(() => {
    const { list, filter, sort } = store.getState().queue;
    const before = last.current;
    last.current = { queue, list, order: [filter, sort] };
    if (!before || before.queue === queue || before.list !== list) return;
    const [filterBefore, sortBefore] = before.order as [unknown, unknown];
    if (filterBefore !== filter || sortBefore !== sort) return;
    const selected = before.queue[list.cursor]?.id;
    if (selected === undefined || queue[list.cursor]?.id === selected) return;
    const at = queue.findIndex((entry) => entry.id === selected);
    if (at >= 0) store.dispatch({ type: "queue/move", to: at, total: queue.length, viewport: 1 });
  });
}

/** Words for how far the review has read its runs, or null once it is done. */
export function indexingText(progress: IndexProgress): string | null {
  if (progress.done) return null;
  return `indexing${progress.graded ? "" : " grades"}… ${progress.trajectories} trajectories so far`;
}

/** The bottom line: the last message or the keys of the moment, how far the runs are read, and whether everything is on disk. */
function StatusLine({
  session,
  indexing,
  hints,
  message,
  width,
}: {
  session: ReviewSession;
  indexing: IndexProgress;
  hints: string;
  message: StatusMessage | null;
  width: number;
}): ReactNode {
  const theme = useTheme();
  const save = session.saveState;
  const saved = save.error
    ? `NOT SAVED (${save.unsaved}): ${save.error}`
    : save.pending > 0
      ? "saving…"
      : save.lastSavedAt
        ? `saved ${save.lastSavedAt.toTimeString().slice(0, 8)}`
        : "";
  // At most half the line, so what the reviewer just did stays readable beside a long write error.
  const right = saved ? truncateToWidth(` ${saved}`, Math.max(16, Math.floor(width / 2))) : "";
  // While the runs are read, how far: what the save state leaves of six tenths of the line.
  const reading = indexingText(indexing);
  const progress = reading ? truncateToWidth(` ${reading}`, Math.max(0, Math.floor(width * 0.6) - displayWidth(right))) : "";
  const left = message ? message.text : hints;
  const leftWidth = Math.max(0, width - displayWidth(right) - displayWidth(progress));
  const tone = message
    ? { info: theme.status.info, success: theme.status.success, warning: theme.status.warning, error: theme.status.error }[message.tone]
    : theme.text.secondary;
  return (
    <Box width={width}>
      <Text color={tone} bold={message?.tone === "error"} wrap="truncate-end">
        {fitToWidth(oneLine(left), leftWidth)}
      </Text>
      {progress ? (
        <Text color={theme.status.info} wrap="truncate-end">
          {progress}
        </Text>
      ) : null}
      <Text
        color={save.error ? theme.status.error : theme.status.success}
        bold={Boolean(save.error)}
        inverse={Boolean(save.error)}
        wrap="truncate-end"
      >
        {truncateToWidth(right, width - leftWidth - displayWidth(progress))}
      </Text>
    </Box>
  );
}
