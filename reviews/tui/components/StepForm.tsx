import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { GradableTrajectory } from "../../../harness/core.js";
import { STEP_VERDICTS_BY_KIND, type StepVerdict } from "../../record.js";
import { completionAt, completionNames, shouldHaveCalledFor, type Completion } from "../../should-have-called.js";
import type { TimelineStep } from "../../timeline.js";
import { Command, matches } from "../key-bindings.js";
import { useKeyHandler } from "../key-router.js";
import { rule, type PaneLine } from "../pane-lines.js";
import { STEP_FORM_FIELDS, type StepFormField, type StepFormOverlay } from "../state.js";
import { oneLine, verdictChoices } from "../step-format.js";
import { editText, insertText } from "../text-edit.js";
import { fitToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";
import type { UiStore } from "../ui-store.js";
import { PaneView } from "./PaneView.js";
import { TextArea } from "./TextArea.js";
import { TextField } from "./TextField.js";

/** Props of {@link StepForm}. */
export interface StepFormProps {
  readonly form: StepFormOverlay;
  readonly step: TimelineStep;
  readonly trajectory: GradableTrajectory;
  /** The step's detail, shown under the form so its arguments and result stay in view. */
  readonly detail: readonly PaneLine[];
  readonly scroll: number;
  /** Columns the detail's tables are scrolled sideways by. */
  readonly column: number;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly store: UiStore;
  readonly onClose: () => void;
}

/**
 * The why form of a step, inside the detail pane: the verdict (digits or
 * Space), the reason (several lines: alt+Enter or ctrl+n starts a new one),
 * and "should have called", prefilled from the step or the reference plan
 * and completing the trajectory's tool and agent names with Tab. Enter saves
 * and Esc keeps what was typed; the step's detail stays visible below.
 */
export function StepForm({
  form,
  step,
  trajectory,
  detail,
  scroll,
  column,
  width,
  height,
  active,
  store,
  onClose,
}: StepFormProps): ReactNode {
  const theme = useTheme();
  const kind = step.kind ?? "call";
  const names = completionNames(trajectory);
  const completion: Completion | null = form.field === "instead" ? completionAt(form.instead.value, form.instead.caret, names) : null;

  useKeyHandler(
    "note",
    (input, key) => {
      // The form as it is now: several keys can arrive before the next render.
      const now = store.getState().overlay;
      if (now?.kind !== "note" || now.eventId !== form.eventId) return false;
      const update = (change: Partial<StepFormOverlay>): void => store.dispatch({ type: "overlay/update", overlay: { ...now, ...change } });
      const offered = now.field === "instead" ? completionAt(now.instead.value, now.instead.caret, names) : null;
      const at = STEP_FORM_FIELDS.indexOf(now.field);
      const focus = (field: StepFormField): void => update({ field, completion: 0 });
      const choose = (verdict: StepVerdict): void =>
        update({
          verdict,
          ...(now.insteadTouched ? {} : { instead: draftAtEnd(shouldHaveCalledFor(trajectory, step, verdict)) }),
        });
      if (matches(Command.NewLine, input, key)) {
        if (now.field === "reason") update({ reason: insertText(now.reason, "\n") });
        return true;
      }
      if (matches(Command.Submit, input, key) || matches(Command.Back, input, key)) {
        onClose();
        return true;
      }
      if (matches(Command.NextField, input, key)) {
        const name = offered?.names[now.completion % offered.names.length];
        if (offered && name) update({ instead: insertText(now.instead, name, offered.start), insteadTouched: true, completion: 0 });
        else focus(STEP_FORM_FIELDS[(at + 1) % STEP_FORM_FIELDS.length]!);
        return true;
      }
      if (matches(Command.PreviousField, input, key)) {
        focus(STEP_FORM_FIELDS[(at + STEP_FORM_FIELDS.length - 1) % STEP_FORM_FIELDS.length]!);
        return true;
      }
      if (offered && (matches(Command.NextCompletion, input, key) || matches(Command.PreviousCompletion, input, key))) {
        const by = matches(Command.NextCompletion, input, key) ? 1 : offered.names.length - 1;
        update({ completion: (now.completion + by) % offered.names.length });
        return true;
      }
      if (now.field === "verdict") {
        const verdicts = STEP_VERDICTS_BY_KIND[kind];
        if (matches(Command.Pick, input, key)) {
          const verdict = verdicts[Number(input) - 1];
          if (verdict) choose(verdict);
          return true;
        }
        if (matches(Command.Toggle, input, key)) {
          choose(verdicts[(verdicts.indexOf(now.verdict ?? verdicts[0]!) + 1) % verdicts.length]!);
          return true;
        }
        return false;
      }
      const field = now.field;
      const next = editText(now[field], input, key, { multiline: field === "reason" });
      if (!next) return false;
      update(field === "reason" ? { reason: next } : { instead: next, insteadTouched: true, completion: 0 });
      return true;
    },
    { active },
  );

  const labelWidth = width >= 60 ? 21 : 10;
  const fieldWidth = Math.max(8, width - labelWidth);
  const reasonRows = height >= 14 ? 3 : 2;
  const label = (field: StepFormField, text: string): ReactNode => (
    <Text bold={form.field === field} color={form.field === field ? theme.text.accent : theme.text.primary}>
      {fitToWidth(`${form.field === field ? "›" : " "} ${text}`, labelWidth)}
    </Text>
  );
  const chosen = completion ? completion.names[form.completion % completion.names.length] : undefined;
  const hint = completion
    ? `Tab completes: ${completion.names
        .slice(0, 6)
        .map((name) => (name === chosen ? `[${oneLine(name)}]` : oneLine(name)))
        .join(" ")}${completion.names.length > 1 ? " · ↑↓ choose" : ""}`
    : form.settle === "modify"
      ? "modify: change the verdict, reason or call; Enter saves, the suggestion counts as corrected"
      : "Enter saves · Esc keeps what you typed · Tab next field · alt+Enter new line";
  const formRows = 1 + 1 + reasonRows + 1 + 1;
  const title = `why · ${oneLine(step.event.id)}${form.settle === "modify" ? " · modify the suggestion" : ""} (Enter saves, Esc keeps)`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse color={theme.ui.focusBorder} wrap="truncate-end">
        {rule(title, width)}
      </Text>
      <Box>
        {label("verdict", "verdict")}
        <Text wrap="truncate-end">{fitToWidth(verdictChoices(kind, form.verdict, fieldWidth), fieldWidth)}</Text>
      </Box>
      <Box>
        {label("reason", "reason")}
        <TextArea
          draft={form.reason}
          focused={active && form.field === "reason"}
          width={fieldWidth}
          rows={reasonRows}
          placeholder="what is wrong with it, or right"
        />
      </Box>
      <Box>
        {label("instead", labelWidth >= 20 ? "should have called" : "instead")}
        <TextField
          draft={form.instead}
          focused={active && form.field === "instead"}
          width={fieldWidth}
          placeholder={kind === "handoff" ? "the agent it should have gone to" : 'e.g. get_order(orderId="O-1002"), or nothing'}
        />
      </Box>
      <Text dimColor wrap="truncate-end">
        {fitToWidth(hint, width)}
      </Text>
      {height - formRows > 1 ? (
        <PaneView
          title="the step"
          lines={detail}
          scroll={scroll}
          column={column}
          width={width}
          height={height - formRows}
          focused={false}
        />
      ) : null}
    </Box>
  );
}

function draftAtEnd(value: string): { value: string; caret: number } {
  return { value, caret: value.length };
}
