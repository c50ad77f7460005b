import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import { useMemo, type ReactNode } from "react";
import type { GradableTrajectory, Grade } from "../../../harness/core.js";
import { hasVerdict } from "../../queue.js";
import type { TrajectoryReview } from "../../ledger.js";
import { isFailure, type TimelineStep } from "../../timeline.js";
import { Command, matches } from "../key-bindings.js";
import { detailLines, outcomeLines, planLines, taskLines, type PaneLine } from "../pane-lines.js";
import { FAILED_MARK, modelText, oneLine, outcomeText, searchText } from "../step-format.js";
import { visibleTop, type StepFormOverlay, type TrajectoryView } from "../state.js";
import { displayWidth, fitToWidth, truncateToWidth } from "../text-layout.js";
import type { UiStore } from "../ui-store.js";
import { useTheme } from "../theme.js";
import { PaneView } from "./PaneView.js";
import { StepForm } from "./StepForm.js";
import { Timeline } from "./Timeline.js";

/** What the trajectory screen asks of the app (grading goes through the session). */
export interface TrajectoryHandlers {
  readonly onVerdict: (step: TimelineStep, digit: number) => void;
  readonly onSuggestion: (step: TimelineStep, how: "accept" | "reject" | "modify") => void;
  readonly onNote: (step: TimelineStep) => void;
  readonly onPlan: () => void;
  readonly onNext: () => void;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onBack: () => void;
  /** Saves and closes the why form. */
  readonly onCloseForm: () => void;
}

/** Props of {@link TrajectoryScreen}. */
export interface TrajectoryScreenProps extends TrajectoryHandlers {
  readonly view: TrajectoryView;
  readonly trajectory: GradableTrajectory;
  readonly steps: readonly TimelineStep[];
  /** The graders' grades of the trajectory, shown in the outcome pane (those that did not apply say why). */
  readonly grades?: readonly Grade[];
  readonly review: TrajectoryReview;
  readonly store: UiStore;
  readonly width: number;
  readonly height: number;
  /** True when no overlay holds the keyboard. */
  readonly active: boolean;
  /** Where the trajectory's run came from (an importer's format, or `recorded`). */
  readonly source: string;
  /** The why form, open in the detail pane. */
  readonly form: StepFormOverlay | null;
  /** True when the why form has the keyboard. */
  readonly formActive: boolean;
}

const PANE_TITLES = {
  detail: "step detail",
  plan: "plan vs reference",
  outcome: "outcome and state diff",
  task: "task and source",
} as const;

/** How the screen splits: side by side when wide, stacked otherwise. */
export function trajectoryLayout(
  width: number,
  height: number,
  formOpen = false,
): { timelineWidth: number; timelineHeight: number; paneWidth: number; paneHeight: number; sideBySide: boolean } {
  const body = Math.max(4, height - 2);
  if (width >= 110) {
    const timelineWidth = Math.floor(width * 0.5);
    return { timelineWidth, timelineHeight: body, paneWidth: width - timelineWidth - 1, paneHeight: body, sideBySide: true };
  }
  // With the why form open the pane needs the rows: the timeline keeps the step and its neighbours.
  const timelineHeight = formOpen ? Math.min(3, Math.max(1, body - 12)) : Math.max(3, Math.floor(body * 0.42));
  return { timelineWidth: width, timelineHeight, paneWidth: width, paneHeight: body - timelineHeight, sideBySide: false };
}

/** One trajectory: header, timeline of steps, and a pane with the step, the plan comparison or the outcome. */
export function TrajectoryScreen(props: TrajectoryScreenProps): ReactNode {
  const { view, trajectory, steps, review, store, width, height, active, form } = props;
  const theme = useTheme();
  const layout = trajectoryLayout(width, height, form !== null);
  const step = steps[view.list.cursor];
  const expanded = step ? view.expanded.includes(step.event.id) : false;
  const lines: PaneLine[] = useMemo(() => {
    if (view.pane === "plan") return planLines(trajectory, layout.paneWidth);
    if (view.pane === "outcome") return outcomeLines(trajectory, layout.paneWidth, props.grades);
    if (view.pane === "task") return taskLines(trajectory, props.source, layout.paneWidth);
    return step ? detailLines(step, review, layout.paneWidth, expanded, { raw: view.rawJson }) : [];
  }, [view.pane, trajectory, step, review, layout.paneWidth, expanded, view.rawJson, props.source, props.grades]);
  // How far the widest table line reaches past the pane, so sideways scrolling stops at its end.
  const maxColumn = Math.max(
    0,
    lines.reduce((widest, line) => (line.wide ? Math.max(widest, displayWidth(line.text)) : widest), 0) - layout.paneWidth,
  );
  const sideways = (direction: 1 | -1): void =>
    store.dispatch({ type: "pane/column", by: direction * Math.max(4, Math.floor(layout.paneWidth / 2)), max: maxColumn });
  /** Keys both the timeline and the focused pane take: the task pane, tables ↔ JSON, sideways scrolling. */
  const viewKey = (input: string, key: Parameters<typeof matches>[2]): boolean => {
    if (matches(Command.ShowTask, input, key)) store.dispatch({ type: "pane/show", pane: "task" });
    else if (matches(Command.RawJson, input, key)) store.dispatch({ type: "view/raw" });
    else if (matches(Command.ScrollLeft, input, key)) sideways(-1);
    else if (matches(Command.ScrollRight, input, key)) sideways(1);
    else return false;
    return true;
  };
  const paneRows = Math.max(1, layout.paneHeight - 1);
  const maxScroll = Math.max(0, lines.length - paneRows);
  const searchable = useMemo(() => steps.map((s) => searchText(s.event)), [steps]);
  const found = useMemo(() => {
    const query = view.search.toLowerCase();
    return query ? new Set(steps.filter((_, index) => searchable[index]!.includes(query)).map((s) => s.index)) : new Set<number>();
  }, [steps, searchable, view.search]);
  const move = (to: number | { by: number }): void =>
    store.dispatch({ type: "trajectory/move", to, total: steps.length, viewport: layout.timelineHeight });
  const scroll = (by: number | "top" | "bottom"): void => store.dispatch({ type: "pane/scroll", by, max: maxScroll });
  const jumpMatch = (from: number, direction: 1 | -1): void => {
    const ordered = [...found].sort((a, b) => a - b);
    if (ordered.length === 0) return;
    const next =
      direction === 1 ? (ordered.find((i) => i > from) ?? ordered[0]!) : ([...ordered].reverse().find((i) => i < from) ?? ordered.at(-1)!);
    move(next);
  };
  /** The view as it is now, not as it was at the last render. */
  const current = (): TrajectoryView | null => {
    const view = store.getState().trajectory;
    return view && view.trajectoryId === props.view.trajectoryId ? view : null;
  };

  useKeyHandler(
    "trajectory",
    (input, key) => {
      const now = current();
      if (!now) return false;
      const step = steps[now.list.cursor];
      if (matches(Command.Down, input, key)) move({ by: 1 });
      else if (matches(Command.Up, input, key)) move({ by: -1 });
      else if (matches(Command.PageDown, input, key)) move({ by: layout.timelineHeight });
      else if (matches(Command.PageUp, input, key)) move({ by: -layout.timelineHeight });
      else if (matches(Command.First, input, key)) move(0);
      else if (matches(Command.Last, input, key)) move(steps.length - 1);
      else if (matches(Command.Open, input, key)) {
        store.dispatch({ type: "pane/focus", focused: true });
      } else if (matches(Command.Back, input, key)) {
        if (now.search) store.dispatch({ type: "search/set", query: "" });
        else props.onBack();
      } else if (matches(Command.Pick, input, key) && step) props.onVerdict(step, Number(input));
      else if (matches(Command.Accept, input, key) && step) props.onSuggestion(step, "accept");
      else if (matches(Command.Reject, input, key) && step) props.onSuggestion(step, "reject");
      else if (matches(Command.Modify, input, key) && step) props.onSuggestion(step, "modify");
      else if (matches(Command.Note, input, key) && step) props.onNote(step);
      else if (matches(Command.GradePlan, input, key)) props.onPlan();
      else if (matches(Command.Undo, input, key)) props.onUndo();
      else if (matches(Command.Redo, input, key)) props.onRedo();
      else if (matches(Command.NextUnreviewed, input, key)) props.onNext();
      else if (matches(Command.Search, input, key))
        store.dispatch({
          type: "overlay/open",
          overlay: { kind: "search", scope: "trajectory", draft: { value: now.search, caret: now.search.length } },
        });
      else if (matches(Command.SearchNext, input, key)) jumpMatch(now.list.cursor, 1);
      else if (matches(Command.SearchPrevious, input, key)) jumpMatch(now.list.cursor, -1);
      else if (matches(Command.CyclePane, input, key)) store.dispatch({ type: "pane/cycle" });
      else if (matches(Command.ScrollDown, input, key)) scroll(Math.max(1, Math.floor(paneRows / 2)));
      else if (matches(Command.ScrollUp, input, key)) scroll(-Math.max(1, Math.floor(paneRows / 2)));
      else if (matches(Command.Expand, input, key) && step) store.dispatch({ type: "expand/toggle", eventId: step.event.id });
      else return viewKey(input, key);
      return true;
    },
    { active },
  );
  useKeyHandler(
    "detail",
    (input, key) => {
      const now = current();
      if (!now) return false;
      const step = steps[now.list.cursor];
      if (matches(Command.Down, input, key)) scroll(1);
      else if (matches(Command.Up, input, key)) scroll(-1);
      else if (matches(Command.PageDown, input, key)) scroll(paneRows);
      else if (matches(Command.PageUp, input, key)) scroll(-paneRows);
      else if (matches(Command.First, input, key)) scroll("top");
      else if (matches(Command.Last, input, key)) scroll("bottom");
      else if (matches(Command.Open, input, key) || matches(Command.Back, input, key))
        store.dispatch({ type: "pane/focus", focused: false });
      else if (matches(Command.CyclePane, input, key)) store.dispatch({ type: "pane/cycle" });
      else if (matches(Command.Expand, input, key) && step) store.dispatch({ type: "expand/toggle", eventId: step.event.id });
      else return viewKey(input, key);
      return true;
    },
    { active },
  );

  const gradable = steps.filter((s) => s.gradable);
  const graded = gradable.filter((s) => hasVerdict(review, s.event.id)).length;
  const plan = review.plan;
  const planText = plan ? `plan ${plan.rating ?? "-"}/5 ${plan.verdict ?? ""}`.trim() : "plan –";
  const outcome = outcomeText(trajectory.outcome);
  const failures = steps.filter((s) => isFailure(s.event)).length;
  // What decides the review first (outcome, progress, failures, where it came from), then who: narrow screens cut the end.
  const header = [
    `${oneLine(trajectory.scenarioId)} #${trajectory.trial}`,
    outcome,
    `${graded}/${gradable.length} graded`,
    planText,
    ...(failures > 0 ? [`${FAILED_MARK}${failures} failed`] : []),
    // Recorded by trajlab is the usual case and goes without saying; an import says where from.
    ...(props.source === "recorded" ? [] : [`from ${oneLine(props.source)}`]),
    modelText(trajectory.model),
    oneLine(trajectory.agent),
  ].join(" · ");
  const task = trajectory.task === null ? "not recorded" : oneLine(trajectory.task);
  const subheader = view.search
    ? `search "${oneLine(view.search)}": ${found.size} step${found.size === 1 ? "" : "s"} · ] next · [ previous · Esc clears`
    : displayWidth(`task: ${task}`) > width
      ? `task: ${truncateToWidth(task, Math.max(8, width - 19))} (i: in full)`
      : `task: ${task}`;
  const agents = new Set(steps.map((s) => s.event.agent));
  const timelineTop = visibleTop(view.list, steps.length, layout.timelineHeight);
  const timeline = (
    <Timeline
      steps={steps}
      review={review}
      cursor={view.list.cursor}
      top={timelineTop}
      width={layout.timelineWidth}
      height={layout.timelineHeight}
      matches={found}
      showAgents={agents.size > 1}
      focused={!view.detailFocused}
    />
  );
  const formStep = form ? steps.find((s) => s.event.id === form.eventId) : undefined;
  const pane =
    form && formStep ? (
      <StepForm
        form={form}
        step={formStep}
        trajectory={trajectory}
        detail={detailLines(formStep, review, layout.paneWidth, false, { raw: view.rawJson })}
        column={view.paneColumn}
        scroll={view.paneScroll}
        width={layout.paneWidth}
        height={layout.paneHeight}
        active={props.formActive}
        store={store}
        onClose={props.onCloseForm}
      />
    ) : (
      <PaneView
        title={`${PANE_TITLES[view.pane]} (Tab)`}
        lines={lines}
        scroll={Math.min(view.paneScroll, maxScroll)}
        width={layout.paneWidth}
        height={layout.paneHeight}
        focused={view.detailFocused}
        column={view.paneColumn}
      />
    );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={trajectory.outcome?.pass === false ? theme.status.error : theme.text.title} wrap="truncate-end">
        {fitToWidth(header, width)}
      </Text>
      <Text color={theme.text.secondary} wrap="truncate-end">
        {fitToWidth(subheader, width)}
      </Text>
      {layout.sideBySide ? (
        <Box flexDirection="row">
          {timeline}
          <Box width={1} height={layout.timelineHeight} flexDirection="column">
            <Text color={theme.ui.border}>{"│\n".repeat(layout.timelineHeight).trimEnd()}</Text>
          </Box>
          {pane}
        </Box>
      ) : (
        <>
          {timeline}
          {pane}
        </>
      )}
    </Box>
  );
}
