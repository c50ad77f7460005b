import { Text, useInput } from "ink";
import type { ReactNode } from "react";
import { sanitizeForDisplay } from "../sanitize.js";
import type { TextDraft } from "../state.js";
import { displayWidth, truncateToWidth } from "../text-layout.js";
import { useTheme } from "../theme.js";

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly draft: TextDraft;
  /** Receives keys only while true. */
  readonly active: boolean;
  readonly width: number;
  readonly placeholder?: string;
  readonly onChange: (draft: TextDraft) => void;
}

/**
 * A one-line text input: typing and pasting, ←/→, Home/End (ctrl+a/e),
 * Backspace, ctrl+u (clear), ctrl+w (delete a word). Enter, Tab and Esc are
 * left to the form around it. Pasted control characters are dropped.
 */
export function TextField({ draft, active, width, placeholder, onChange }: TextFieldProps): ReactNode {
  const theme = useTheme();
  useInput(
    (input, key) => {
      const { value, caret } = draft;
      if (key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return;
      if (key.leftArrow) return onChange({ value, caret: Math.max(0, caret - 1) });
      if (key.rightArrow) return onChange({ value, caret: Math.min(value.length, caret + 1) });
      if (key.home || (key.ctrl && input === "a")) return onChange({ value, caret: 0 });
      if (key.end || (key.ctrl && input === "e")) return onChange({ value, caret: value.length });
      if (key.ctrl && input === "u") return onChange({ value: value.slice(caret), caret: 0 });
      if (key.ctrl && input === "w") {
        const start = value.slice(0, caret).replace(/\S+\s*$/, "").length;
        return onChange({ value: value.slice(0, start) + value.slice(caret), caret: start });
      }
      if (key.backspace || key.delete) {
        if (caret === 0) return;
        const before = Array.from(value.slice(0, caret));
        before.pop();
        const head = before.join("");
        return onChange({ value: head + value.slice(caret), caret: head.length });
      }
      if (key.ctrl || key.meta || input === "") return;
      // Paste arrives as one string: keep it on one line and free of controls.
      const typed = sanitizeForDisplay(input.replace(/\r\n|\r|\n/g, " ")).replace(/[\u2400-\u2426]/g, "");
      if (typed === "") return;
      onChange({ value: value.slice(0, caret) + typed + value.slice(caret), caret: caret + typed.length });
    },
    { isActive: active },
  );
  const shown = sanitizeForDisplay(draft.value);
  if (shown === "" && !active) return <Text dimColor>{truncateToWidth(placeholder ?? "", width)}</Text>;
  const before = sanitizeForDisplay(draft.value.slice(0, draft.caret));
  const after = sanitizeForDisplay(draft.value.slice(draft.caret));
  // Keep the caret in view: show the end of what comes before it.
  const room = Math.max(1, width - 1);
  let visibleBefore = before;
  while (displayWidth(visibleBefore) > room) visibleBefore = Array.from(visibleBefore).slice(1).join("");
  const caretChar = active ? (Array.from(after)[0] ?? " ") : "";
  const rest = active ? Array.from(after).slice(1).join("") : after;
  const restRoom = Math.max(0, width - displayWidth(visibleBefore) - displayWidth(caretChar));
  return (
    <Text color={theme.text.primary}>
      {visibleBefore}
      {active ? <Text inverse>{caretChar}</Text> : null}
      {truncateToWidth(rest, restRoom)}
    </Text>
  );
}
