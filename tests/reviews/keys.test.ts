import { describe, expect, it } from "vitest";
import { helpLines } from "../../reviews/tui/components/HelpOverlay.js";
import { Command, commandsIn, footerHints, KEY_BINDINGS, keysIn, matches, type KeyContext } from "../../reviews/tui/key-bindings.js";

const KEY = {
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
const CONTEXTS: KeyContext[] = ["queue", "trajectory", "detail", "plan", "note", "pair", "filter", "search", "help"];

describe("key table", () => {
  it("binds no key to two commands in one context", () => {
    for (const context of CONTEXTS) {
      const seen = new Map<string, Command>();
      for (const spec of commandsIn(context)) {
        for (const binding of spec.bindings) {
          const keys = binding.chars ? [...binding.chars] : [binding.key!];
          for (const key of keys) {
            const id = `${binding.ctrl ? "ctrl+" : ""}${binding.meta ? "alt+" : ""}${binding.shift ? "shift+" : ""}${key}`;
            expect(seen.get(id), `${id} in ${context}`).toBeUndefined();
            seen.set(id, spec.command);
          }
        }
      }
    }
  });

  it("drives the help overlay: every command of every context is listed with its keys", () => {
    const text = helpLines("queue")
      .map((line) => line.text)
      .join("\n");
    for (const spec of KEY_BINDINGS) {
      for (const context of spec.contexts.filter((c) => c !== "help")) {
        expect(text, `${spec.command} in ${context}`).toContain(keysIn(spec, context));
      }
    }
    expect(footerHints("trajectory")).toContain("p plan");
    expect(footerHints("trajectory")).toContain("1-6 verdict");
    expect(footerHints("pair")).toContain("1-3 A/B/tie");
  });

  it("matches keys by the table, with the issue's keys", () => {
    expect(matches(Command.Down, "j", KEY)).toBe(true);
    expect(matches(Command.Down, "", { ...KEY, downArrow: true })).toBe(true);
    expect(matches(Command.Up, "k", KEY)).toBe(true);
    expect(matches(Command.Open, "", { ...KEY, return: true })).toBe(true);
    expect(matches(Command.Back, "", { ...KEY, escape: true })).toBe(true);
    expect(matches(Command.Pick, "7", KEY)).toBe(true);
    expect(matches(Command.NextUnreviewed, "n", KEY)).toBe(true);
    expect(matches(Command.Undo, "u", KEY)).toBe(true);
    expect(matches(Command.Undo, "u", { ...KEY, ctrl: true })).toBe(false);
    expect(matches(Command.Search, "/", KEY)).toBe(true);
    expect(matches(Command.Quit, "q", KEY)).toBe(true);
    expect(matches(Command.GradePlan, "p", KEY)).toBe(true);
    expect(matches(Command.Help, "?", KEY)).toBe(true);
    expect(matches(Command.NextField, "", { ...KEY, tab: true })).toBe(true);
    expect(matches(Command.NextField, "", { ...KEY, tab: true, shift: true })).toBe(false);
  });
});

describe("reviewer's guide", () => {
  it("lists the keys exactly as the key table has them", async () => {
    const { readFile } = await import("node:fs/promises");
    const { keyTableMarkdown } = await import("../../reviews/tui/key-bindings.js");
    const doc = await readFile(new URL("../../docs/review.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("<!-- keys:start -->\n") + "<!-- keys:start -->\n".length, doc.indexOf("\n<!-- keys:end -->"));
    expect(section, "regenerate the section of docs/review.md from keyTableMarkdown()").toBe(keyTableMarkdown());
  });
});
