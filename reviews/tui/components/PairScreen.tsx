import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import { useMemo, type ReactNode } from "react";
import { errorMessage, type GradableTrajectory } from "../../../harness/core.js";
import { pairVerdictFor } from "../../grading.js";
import { flaggedSteps } from "../../label-meaning.js";
import type { TrajectoryPair } from "../../pairs.js";
import type { PairVerdict } from "../../record.js";
import type { ReviewSession } from "../../session.js";
import { Command, matches } from "../key-bindings.js";
import { pairSideLines, type PaneLine } from "../pane-lines.js";
import { oneLine } from "../step-format.js";
import type { PairIds } from "../state.js";
import { fitToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";
import type { UiStore } from "../ui-store.js";
import { PaneView } from "./PaneView.js";
import { ProblemScreen } from "./ProblemScreen.js";

/** Props of {@link PairScreen}. */
export interface PairScreenProps {
  readonly session: ReviewSession;
  readonly pairs: readonly TrajectoryPair[];
  readonly index: number;
  readonly scroll: number;
  /** The pair judged just before this one was shown, which `e` explains. */
  readonly judged: PairIds | null;
  readonly store: UiStore;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly onChoose: (pair: TrajectoryPair, verdict: PairVerdict) => void;
  readonly onNote: (pair: TrajectoryPair) => void;
  readonly onNext: () => void;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onBack: () => void;
}

const CHOICES: Readonly<Record<string, PairVerdict>> = { "1": "a", "2": "b", "3": "tie" };
const CHOICE_WORDS: Readonly<Record<PairVerdict, string>> = { a: "A is better", b: "B is better", tie: "tie" };

/** Two trajectories of one scenario side by side, for a preference: A, B or tie. */
export function PairScreen({
  session,
  pairs,
  index,
  scroll,
  judged,
  store,
  width,
  height,
  active,
  onChoose,
  onNote,
  onNext,
  onUndo,
  onRedo,
  onBack,
}: PairScreenProps): ReactNode {
  const theme = useTheme();
  const pair = pairs[index];
  const sideWidth = Math.max(10, Math.floor((width - 1) / 2));
  const bodyHeight = Math.max(3, height - 3);
  const sides = useMemo(() => {
    if (!pair) return null;
    const load = (id: string): GradableTrajectory => session.load(id).trajectory;
    try {
      const side = (id: string): PaneLine[] => pairSideLines(load(id), sideWidth, flaggedSteps(session.grades(id)));
      return { a: side(pair.a.id), b: side(pair.b.id), task: load(pair.a.id).task, taskB: load(pair.b.id).task, problem: null };
    } catch (error) {
      return { a: [], b: [], task: null, taskB: null, problem: errorMessage(error) };
    }
  }, [pair, session, sideWidth]);
  const max = Math.max(0, Math.max(sides?.a.length ?? 0, sides?.b.length ?? 0) - (bodyHeight - 1));
  useKeyHandler(
    "pair",
    (input, key) => {
      const now = store.getState();
      const current = pairs[now.pair.index];
      const rows = bodyHeight - 1;
      if (matches(Command.Down, input, key)) store.dispatch({ type: "pair/scroll", by: 1, max });
      else if (matches(Command.Up, input, key)) store.dispatch({ type: "pair/scroll", by: -1, max });
      else if (matches(Command.PageDown, input, key)) store.dispatch({ type: "pair/scroll", by: rows, max });
      else if (matches(Command.PageUp, input, key)) store.dispatch({ type: "pair/scroll", by: -rows, max });
      else if (matches(Command.NextItem, input, key)) store.dispatch({ type: "pair/show", index: now.pair.index + 1, total: pairs.length });
      else if (matches(Command.PreviousItem, input, key))
        store.dispatch({ type: "pair/show", index: now.pair.index - 1, total: pairs.length });
      else if (matches(Command.Pick, input, key) && current && CHOICES[input]) onChoose(current, CHOICES[input]!);
      else if (matches(Command.Note, input, key) && current) onNote(current);
      else if (matches(Command.NextUnreviewed, input, key)) onNext();
      else if (matches(Command.Undo, input, key)) onUndo();
      else if (matches(Command.Redo, input, key)) onRedo();
      else if (matches(Command.Back, input, key)) onBack();
      else return false;
      return true;
    },
    { active },
  );
  if (sides?.problem) return <ProblemScreen context="pair" problem={sides.problem} width={width} height={height} onBack={onBack} />;
  if (!pair || !sides) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text color={theme.status.warning}>
          {fitToWidth("No pairs: pairwise mode needs two trajectories of the same scenario.", width)}
        </Text>
      </Box>
    );
  }
  const chosen = pairVerdictFor(pair, session.ledger.pair(pair.a.id, pair.b.id));
  const judgedCount = pairs.filter((p) => session.ledger.pair(p.a.id, p.b.id)?.verdict).length;
  const note = session.ledger.pair(pair.a.id, pair.b.id)?.note;
  const judgedIndex = judged ? pairs.findIndex((p) => p.a.id === judged.a && p.b.id === judged.b) : -1;
  const judgedPair = pairs[judgedIndex];
  const judgedChoice = judgedPair ? pairVerdictFor(judgedPair, session.ledger.pair(judgedPair.a.id, judgedPair.b.id)) : null;
  const hint = judgedChoice
    ? `pair ${judgedIndex + 1}: ${CHOICE_WORDS[judgedChoice]} · e says why · 1 2 3 judge this one`
    : note
      ? `why: ${oneLine(note)}`
      : "1 A is better · 2 B is better · 3 tie · e why · ] next pair · n next unjudged";
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={theme.text.title} wrap="truncate-end">
        {fitToWidth(
          `pair ${index + 1} of ${pairs.length} (${judgedCount} judged) · ${oneLine(pair.scenarioId)} · your choice: ${chosen ? CHOICE_WORDS[chosen] : "none yet"}`,
          width,
        )}
      </Text>
      <Text wrap="truncate-end">
        {fitToWidth(
          sides.task === sides.taskB
            ? `task: ${sides.task === null ? "not recorded" : oneLine(sides.task)}`
            : `task A: ${oneLine(sides.task ?? "not recorded")} · B: ${oneLine(sides.taskB ?? "not recorded")}`,
          width,
        )}
      </Text>
      <Text color={theme.text.secondary} wrap="truncate-end">
        {fitToWidth(hint, width)}
      </Text>
      <Box flexDirection="row">
        <PaneView
          title={`A${chosen === "a" ? " ★ preferred" : ""}`}
          lines={sides.a}
          scroll={Math.min(scroll, max)}
          width={sideWidth}
          height={bodyHeight}
          focused={chosen === "a"}
        />
        <Text> </Text>
        <PaneView
          title={`B${chosen === "b" ? " ★ preferred" : ""}`}
          lines={sides.b}
          scroll={Math.min(scroll, max)}
          width={width - sideWidth - 1}
          height={bodyHeight}
          focused={chosen === "b"}
        />
      </Box>
    </Box>
  );
}
