import type { Key } from "ink";
import { sanitizeForDisplay } from "../../harness/core.js";
import type { TextDraft } from "./state.js";

/** The draft with `text` typed at the caret (a new line, a completion). */
export function insertText(draft: TextDraft, text: string, replaceFrom = draft.caret): TextDraft {
  return { value: draft.value.slice(0, replaceFrom) + text + draft.value.slice(draft.caret), caret: replaceFrom + text.length };
}

/**
 * Line editing as a pure function: the draft after a key, or null when the
 * key is not an editing key (Enter, Esc, Tab and arrows up/down are left to
 * the form). Typing and pasting insert at the caret (pasted line breaks
 * become spaces, control characters are dropped); ←/→, Home/End (ctrl+a/e),
 * Backspace, ctrl+u (clear to the start) and ctrl+w (delete a word) edit.
 * A `multiline` field keeps the line breaks of pasted text.
 */
export function editText(draft: TextDraft, input: string, key: Key, options: { readonly multiline?: boolean } = {}): TextDraft | null {
  const { value, caret } = draft;
  if (key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return null;
  if (key.leftArrow) return { value, caret: Math.max(0, caret - previousLength(value, caret)) };
  if (key.rightArrow) return { value, caret: Math.min(value.length, caret + nextLength(value, caret)) };
  if (key.home || (key.ctrl && input === "a")) return { value, caret: 0 };
  if (key.end || (key.ctrl && input === "e")) return { value, caret: value.length };
  if (key.ctrl && input === "u") return { value: value.slice(caret), caret: 0 };
  if (key.ctrl && input === "w") {
    const start = value.slice(0, caret).replace(/\S+\s*$/, "").length;
    return { value: value.slice(0, start) + value.slice(caret), caret: start };
  }
  if (key.backspace || key.delete) {
    if (caret === 0) return draft;
    const cut = previousLength(value, caret);
    return { value: value.slice(0, caret - cut) + value.slice(caret), caret: caret - cut };
  }
  if (key.ctrl || key.meta || input === "") return null;
  const typed = options.multiline
    ? input
        .split(/\r\n|\r|\n/)
        .map((line) => sanitizeForDisplay(line).replace(/[\u2400-\u2426\u23CE]/g, ""))
        .join("\n")
    : sanitizeForDisplay(input.replace(/\r\n|\r|\n/g, " ")).replace(/[\u2400-\u2426\u23CE]/g, "");
  if (typed === "") return draft;
  return { value: value.slice(0, caret) + typed + value.slice(caret), caret: caret + typed.length };
}

/** UTF-16 length of the code point before the caret (so emoji are deleted whole). */
function previousLength(value: string, caret: number): number {
  const code = value.charCodeAt(caret - 1);
  return code >= 0xdc00 && code <= 0xdfff && caret >= 2 ? 2 : 1;
}

function nextLength(value: string, caret: number): number {
  const code = value.charCodeAt(caret);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}
