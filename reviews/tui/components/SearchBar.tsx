import { Box, Text } from "ink";
import { useKeyHandler } from "../key-router.js";
import { editText } from "../text-edit.js";
import type { ReactNode } from "react";
import { Command, matches } from "../key-bindings.js";
import type { TextDraft } from "../state.js";
import { TextField } from "./TextField.js";

/** Props of {@link SearchBar}. */
export interface SearchBarProps {
  readonly draft: TextDraft;
  readonly hint: string;
  readonly width: number;
  readonly active: boolean;
  readonly onChange: (draft: TextDraft) => void;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
}

/** A `/` prompt on the bottom line; the screen above follows what is typed. */
export function SearchBar({ draft, hint, width, active, onChange, onSubmit, onCancel }: SearchBarProps): ReactNode {
  useKeyHandler(
    "search",
    (input, key) => {
      if (matches(Command.Submit, input, key)) onSubmit();
      else if (matches(Command.Back, input, key)) onCancel();
      else {
        const next = editText(draft, input, key);
        if (!next) return false;
        onChange(next);
      }
      return true;
    },
    { active },
  );
  const fieldWidth = Math.max(8, width - hint.length - 4);
  return (
    <Box width={width}>
      <Text bold>/ </Text>
      <Box width={fieldWidth}>
        <TextField draft={draft} focused={active} width={fieldWidth} />
      </Box>
      <Text dimColor wrap="truncate-end">
        {" "}
        {hint}
      </Text>
    </Box>
  );
}
