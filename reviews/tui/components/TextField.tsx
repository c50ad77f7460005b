import { Text } from "ink";
import type { ReactNode } from "react";
import { sanitizeForDisplay } from "../../../harness/core.js";
import type { TextDraft } from "../state.js";
import { displayWidth, truncateToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly draft: TextDraft;
  /** Shows the caret. Keys are handled by the form, with `editText`. */
  readonly focused: boolean;
  readonly width: number;
  readonly placeholder?: string;
}

/** A one-line text field: the draft with its caret, scrolled so the caret stays in view. */
export function TextField({ draft, focused, width, placeholder }: TextFieldProps): ReactNode {
  const theme = useTheme();
  if (draft.value === "" && !focused) return <Text dimColor>{truncateToWidth(placeholder ?? "", width)}</Text>;
  const before = Array.from(sanitizeForDisplay(draft.value.slice(0, draft.caret)));
  const after = Array.from(sanitizeForDisplay(draft.value.slice(draft.caret)));
  const caretChar = focused ? (after[0] ?? " ") : "";
  const rest = (focused ? after.slice(1) : after).join("");
  // Keep the caret in view: drop characters from the start until what precedes it fits.
  const room = Math.max(1, width - 1);
  let start = 0;
  let beforeWidth = displayWidth(before.join(""));
  while (beforeWidth > room && start < before.length) {
    beforeWidth -= displayWidth(before[start]!);
    start += 1;
  }
  const shown = before.slice(start).join("");
  const restRoom = Math.max(0, width - beforeWidth - displayWidth(caretChar));
  return (
    <Text color={theme.text.primary}>
      {shown}
      {focused ? <Text inverse>{caretChar}</Text> : null}
      {truncateToWidth(rest, restRoom)}
    </Text>
  );
}
