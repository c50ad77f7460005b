import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import { editText } from "../text-edit.js";
import type { ReactNode } from "react";
import { Command, matches } from "../key-bindings.js";
import type { TextDraft } from "../state.js";
import { displayWidth, fitToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";
import { TextField } from "./TextField.js";

/** One labelled text field of a {@link NoteForm}. */
export interface NoteField {
  readonly label: string;
  readonly draft: TextDraft;
  readonly placeholder: string;
}

/** Props of {@link NoteForm}. */
export interface NoteFormProps {
  readonly title: string;
  readonly context: readonly string[];
  readonly fields: readonly NoteField[];
  readonly focus: number;
  readonly width: number;
  readonly height: number;
  readonly active: boolean;
  readonly onChange: (field: number, draft: TextDraft) => void;
  readonly onFocus: (field: number) => void;
  /** Enter and Esc both keep what was typed: `save` then closes. */
  readonly onClose: (how: "submit" | "escape") => void;
}

/** Free-text notes on a judgement: a reason, what should have been called, why A beat B. */
export function NoteForm({ title, context, fields, focus, width, height, active, onChange, onFocus, onClose }: NoteFormProps): ReactNode {
  const theme = useTheme();
  useKeyHandler(
    "note",
    (input, key) => {
      if (matches(Command.Submit, input, key)) onClose("submit");
      else if (matches(Command.Back, input, key)) onClose("escape");
      else if (matches(Command.PreviousField, input, key)) onFocus((focus + fields.length - 1) % fields.length);
      else if (matches(Command.NextField, input, key)) onFocus((focus + 1) % fields.length);
      else {
        const field = fields[focus];
        const next = field ? editText(field.draft, input, key) : null;
        if (!next) return false;
        onChange(focus, next);
      }
      return true;
    },
    { active },
  );
  const labelWidth = Math.max(...fields.map((field) => displayWidth(field.label))) + 3;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">
        {fitToWidth(title, width)}
      </Text>
      {context.map((line, index) => (
        <Text key={index} color={theme.text.secondary} wrap="truncate-end">
          {fitToWidth(line, width)}
        </Text>
      ))}
      <Text> </Text>
      {fields.map((field, index) => (
        <Box key={field.label} width={width}>
          <Text bold={index === focus} color={index === focus ? theme.text.accent : theme.text.primary}>
            {fitToWidth(`${index === focus ? "›" : " "} ${field.label}`, labelWidth)}
          </Text>
          <TextField
            draft={field.draft}
            focused={active && index === focus}
            width={Math.max(8, width - labelWidth - 1)}
            placeholder={field.placeholder}
          />
        </Box>
      ))}
      <Text> </Text>
      <Text dimColor wrap="truncate-end">
        {fitToWidth("Enter saves · Tab next field · Esc closes (what you typed is kept; ctrl+u clears a field)", width)}
      </Text>
    </Box>
  );
}
