import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import { editText } from "../text-edit.js";
import type { ReactNode } from "react";
import { rangesOf, selectedOf, type PlanChange, type PlanValues } from "../../grading.js";
import type { TimelineStep } from "../../timeline.js";
import { Command, matches } from "../key-bindings.js";
import { oneLine, stepSummary } from "../step-format.js";
import { PLAN_FIELDS, visibleTop, type Overlay, type PlanField } from "../state.js";
import { fitToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";
import type { UiStore } from "../ui-store.js";
import { TextField } from "./TextField.js";

type PlanOverlay = Extract<Overlay, { kind: "plan" }>;

/** Props of {@link PlanForm}. */
export interface PlanFormProps {
  readonly overlay: PlanOverlay;
  readonly title: string;
  /** The trajectory's gradable steps, in order. */
  readonly gradable: readonly TimelineStep[];
  readonly values: PlanValues;
  /** The plan's values as they are now (for key handlers). */
  readonly readValues: () => PlanValues;
  /** Reference calls the agent never made, as the plan comparison found them. */
  readonly diffMissing: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  /** Saves a change at once (a new plan record). */
  readonly onSave: (change: PlanChange) => void;
  /** Saves the text fields if they changed. */
  readonly onCommitText: () => void;
  readonly onUpdate: (overlay: PlanOverlay) => void;
  readonly onClose: () => void;
  /** Done with the trajectory: close and go to the next one to review. */
  readonly onNext: () => void;
  readonly store: UiStore;
}

/** The whole-trajectory judgement: score 1-5, pass/fail, skippable step ranges, missing steps, critique. */
export function PlanForm({
  overlay,
  title,
  gradable,
  values,
  readValues,
  diffMissing,
  width,
  height,
  active,
  onSave,
  onCommitText,
  onUpdate,
  onClose,
  onNext,
  store,
}: PlanFormProps): ReactNode {
  const theme = useTheme();
  const selected = selectedOf(values.skippable, gradable);
  useKeyHandler(
    "plan",
    (input, key) => {
      // The form as it is now: several keys can arrive before the next render.
      const fresh = store.getState().overlay;
      if (fresh?.kind !== "plan") return;
      const values = readValues();
      const selected = selectedOf(values.skippable, gradable);
      const focusField = (field: PlanField): void => {
        onCommitText();
        onUpdate({ ...fresh, field });
      };
      const step = (by: number): void => onUpdate({ ...fresh, step: Math.max(0, Math.min(gradable.length - 1, fresh.step + by)) });
      const setSkippable = (ids: readonly string[], on: boolean): void => {
        const next = new Set(selected);
        for (const id of ids) {
          if (on) next.add(id);
          else next.delete(id);
        }
        onSave({ skippable: rangesOf(next, gradable) });
      };
      const index = PLAN_FIELDS.indexOf(fresh.field);
      if (matches(Command.NextField, input, key)) return focusField(PLAN_FIELDS[(index + 1) % PLAN_FIELDS.length]!);
      if (matches(Command.PreviousField, input, key))
        return focusField(PLAN_FIELDS[(index + PLAN_FIELDS.length - 1) % PLAN_FIELDS.length]!);
      if (matches(Command.Back, input, key)) {
        onCommitText();
        return onClose();
      }
      if (matches(Command.Submit, input, key)) {
        if (index < PLAN_FIELDS.length - 1) return focusField(PLAN_FIELDS[index + 1]!);
        onCommitText();
        return onClose();
      }
      if (fresh.field === "missing" || fresh.field === "critique") {
        const next = editText(fresh[fresh.field], input, key);
        if (!next) return false;
        return onUpdate({ ...fresh, [fresh.field]: next });
      }
      if (matches(Command.NextUnreviewed, input, key)) {
        onCommitText();
        onClose();
        return onNext();
      }
      if (matches(Command.Pick, input, key) && Number(input) <= 5) return onSave({ rating: Number(input) });
      if (matches(Command.Pass, input, key)) return onSave({ verdict: "pass" });
      if (matches(Command.Fail, input, key)) return onSave({ verdict: "fail" });
      if (fresh.field === "verdict" && matches(Command.Toggle, input, key))
        return onSave({ verdict: values.verdict === "pass" ? "fail" : "pass" });
      if (fresh.field !== "skippable") {
        if (matches(Command.Down, input, key)) return focusField(PLAN_FIELDS[Math.min(PLAN_FIELDS.length - 1, index + 1)]!);
        if (matches(Command.Up, input, key)) return focusField(PLAN_FIELDS[Math.max(0, index - 1)]!);
        return;
      }
      if (matches(Command.Down, input, key)) return step(1);
      if (matches(Command.Up, input, key)) return step(-1);
      const current = gradable[fresh.step];
      if (!current) return;
      if (matches(Command.Toggle, input, key)) return setSkippable([current.event.id], !selected.has(current.event.id));
      if (matches(Command.RangeMark, input, key)) {
        if (fresh.anchor === null) return onUpdate({ ...fresh, anchor: fresh.step });
        const from = Math.min(fresh.anchor, fresh.step);
        const to = Math.max(fresh.anchor, fresh.step);
        setSkippable(
          gradable.slice(from, to + 1).map((s) => s.event.id),
          true,
        );
        return onUpdate({ ...fresh, anchor: null });
      }
    },
    { active },
  );

  const label = (field: PlanField, text: string): ReactNode => (
    <Text bold={overlay.field === field} color={overlay.field === field ? theme.text.accent : theme.text.primary}>
      {fitToWidth(`${overlay.field === field ? "›" : " "} ${text}`, 20)}
    </Text>
  );
  const fixedRows = 9;
  const listRows = Math.max(1, height - fixedRows);
  const top = visibleTop({ cursor: overlay.step, top: Math.max(0, overlay.step - listRows + 1) }, gradable.length, listRows);
  const ratingText = [1, 2, 3, 4, 5].map((n) => (values.rating === n ? `[${n}]` : ` ${n} `)).join("");
  const verdictText = `${values.verdict === "pass" ? "[pass]" : " pass "} ${values.verdict === "fail" ? "[fail]" : " fail "}`;
  const rangeHint =
    overlay.anchor === null
      ? "Space marks · v starts a range"
      : `range from ${gradable[overlay.anchor]?.event.id ?? "?"}: move, then v marks it`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">
        {fitToWidth(title, width)}
      </Text>
      <Box>
        {label("rating", "score (1-5)")}
        <Text>{ratingText}</Text>
      </Box>
      <Box>
        {label("verdict", "pass / fail (y/f)")}
        <Text>{verdictText}</Text>
      </Box>
      <Box>
        {label("skippable", "skippable steps")}
        <Text dimColor wrap="truncate-end">
          {fitToWidth(`${selected.size} marked · ${rangeHint}`, Math.max(1, width - 20))}
        </Text>
      </Box>
      {gradable.length === 0 ? <Text dimColor>{"    (no tool calls)"}</Text> : null}
      {gradable.slice(top, top + listRows).map((s, offset) => {
        const index = top + offset;
        const here = overlay.field === "skippable" && index === overlay.step;
        const inRange =
          overlay.anchor !== null && index >= Math.min(overlay.anchor, overlay.step) && index <= Math.max(overlay.anchor, overlay.step);
        return (
          <Text key={s.event.id} inverse={here} underline={inRange && !here} wrap="truncate-end">
            {fitToWidth(`    [${selected.has(s.event.id) ? "x" : " "}] ${s.event.id} ${stepSummary(s.event)}`, width)}
          </Text>
        );
      })}
      <Box>
        {label("missing", "missing steps (;)")}
        <TextField
          draft={overlay.missing}
          focused={active && overlay.field === "missing"}
          width={Math.max(8, width - 21)}
          placeholder="steps a good agent would have taken, separated by ;"
        />
      </Box>
      <Text dimColor wrap="truncate-end">
        {fitToWidth(
          `    plan comparison: ${diffMissing.length === 0 ? "no reference call is missing" : `missing ${diffMissing.map(oneLine).join(", ")}`}`,
          width,
        )}
      </Text>
      <Box>
        {label("critique", "critique")}
        <TextField
          draft={overlay.critique}
          focused={active && overlay.field === "critique"}
          width={Math.max(8, width - 21)}
          placeholder="what the agent should have done differently"
        />
      </Box>
      <Text dimColor wrap="truncate-end">
        {fitToWidth("each change is recorded at once · Tab next field · n next trajectory · Esc closes (typed text is kept)", width)}
      </Text>
    </Box>
  );
}
