import { useInput, type Key } from "ink";

/**
 * `useInput` for command keys. Ink hands over every character of one input
 * chunk without an escape sequence as a single string ("jjj" when a key is
 * held and the screen is busy, "k\r" when keys come from a script); commands
 * are single keys, so such a string is replayed one key at a time. Handlers
 * read the store, not render-time props, so each key sees the state the one
 * before it left. Text fields use `useInput` directly: there a chunk is a paste.
 */
export function useCommandInput(handler: (input: string, key: Key) => void, options: { readonly isActive: boolean }): void {
  useInput(
    (input, key) => {
      if (input.length <= 1 || key.ctrl || key.meta) return handler(input, key);
      for (const char of input) {
        const single = keyOf(char, key);
        handler(single.input, single.key);
      }
    },
    { isActive: options.isActive },
  );
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** One character of a chunk as Ink would have reported it alone. */
function keyOf(char: string, chunkKey: Key): { input: string; key: Key } {
  const base = { ...NO_KEY, eventType: chunkKey.eventType };
  switch (char) {
    case "\r":
    case "\n":
      return { input: "", key: { ...base, return: true } };
    case "\t":
      return { input: "", key: { ...base, tab: true } };
    case "\u007F":
      return { input: "", key: { ...base, delete: true } };
    case "\b":
      return { input: "", key: { ...base, backspace: true } };
    default: {
      const code = char.codePointAt(0)!;
      // Other control characters are ctrl+letter.
      if (code > 0 && code < 0x20) return { input: String.fromCharCode(code + 0x60), key: { ...base, ctrl: true } };
      return { input: char, key: { ...base, shift: /[A-Z]/.test(char) } };
    }
  }
}
