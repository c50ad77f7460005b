import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { displayJson, sanitizeForDisplay } from "../../harness/util/sanitize.js";
import { editText } from "../../reviews/tui/text-edit.js";
import { fitToWidth, truncateToWidth, wrapToWidth } from "../../reviews/tui/text-layout.js";
import { HOSTILE_TEXT } from "./fixtures.js";

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

describe("sanitizeForDisplay", () => {
  const clean = sanitizeForDisplay(HOSTILE_TEXT, { multiline: true });

  it("lets no escape, control, bidi or zero-width character through", () => {
    // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching these characters is the point
    expect(clean).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uFE0F]/);
  });

  it("shows escape sequences as visible text instead of acting on them", () => {
    expect(clean).toContain("␛[31mred␛[0m");
    expect(clean).toContain("␛]52;c;aGFja2Vk␇");
    expect(clean).toContain("␛]8;;https://evil.example/␛\\click");
    expect(clean).toContain("␦evil␦");
    expect(clean).toContain("zerowidth");
  });

  it("keeps ordinary text, line breaks only when asked, and tabs as spaces", () => {
    expect(sanitizeForDisplay("plain text")).toBe("plain text");
    expect(sanitizeForDisplay("a\r\nb\tc")).toBe("a ⏎ b    c");
    expect(sanitizeForDisplay("a\r\nb", { multiline: true })).toBe("a\nb");
    // In JSON, controls stay escaped as text (\u001b), which is safe and readable.
    expect(displayJson('{"a":"\\u001b[2J"}')).toBe('{\n  "a": "\\u001b[2J"\n}');
    expect(displayJson({ a: "x\u202Ey\u009b" })).toBe('{\n  "a": "x␦y␦"\n}');
  });
});

describe("width-aware fitting", () => {
  it("fits wide and emoji text to exact column counts", () => {
    const text = sanitizeForDisplay("wide 漢字テスト emoji 👨‍👩‍👧 ❤️ 👍🏽 end");
    for (const width of [5, 8, 9, 12, 20, 40]) {
      expect(stringWidth(fitToWidth(text, width))).toBe(width);
      expect(stringWidth(truncateToWidth(text, width))).toBeLessThanOrEqual(width);
    }
  });

  it("wraps at spaces and inside long words, never past the width", () => {
    const lines = wrapToWidth("日本語のテキストはとても長いです and averyveryverylongwordthatneedsbreaking", 10);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(10);
    expect(lines.join("").replace(/ /g, "")).toBe("日本語のテキストはとても長いですandaveryveryverylongwordthatneedsbreaking");
  });
});

describe("editText", () => {
  it("types, moves, deletes whole emoji, clears and deletes words", () => {
    let draft = { value: "", caret: 0 };
    draft = editText(draft, "hello 👍", KEY)!;
    expect(draft).toEqual({ value: "hello 👍", caret: 8 });
    draft = editText(draft, "", { ...KEY, delete: true })!;
    expect(draft.value).toBe("hello ");
    draft = editText(draft, "", { ...KEY, leftArrow: true })!;
    draft = editText(draft, "X", KEY)!;
    expect(draft.value).toBe("helloX ");
    draft = editText(draft, "w", { ...KEY, ctrl: true })!;
    expect(draft.value).toBe(" ");
    expect(editText(draft, "", { ...KEY, return: true })).toBeNull();
  });

  it("drops control characters from pasted text", () => {
    const draft = editText({ value: "", caret: 0 }, "a\u0007b\u202Ec\nd", KEY)!;
    expect(draft.value).toBe("abc d");
  });
});

describe("the why form's text", () => {
  it("wraps a note of several lines at its width and finds the caret's row", async () => {
    const { areaRows } = await import("../../reviews/tui/components/TextArea.js");
    const { rows, caretRow } = areaRows({ value: "abcdef\nxy", caret: 8 }, 5);
    expect(rows.map((row) => row.chars.join(""))).toEqual(["abcd", "ef", "xy"]);
    expect([caretRow, rows[2]!.caret]).toEqual([2, 1]);
    expect(areaRows({ value: "abcd", caret: 4 }, 5).rows.map((row) => row.caret)).toEqual([4]);
  });

  it("completes names outside a call's parentheses only, and starts 'should have called' from the reference", async () => {
    const { completionAt, shouldHaveCalledFor } = await import("../../reviews/should-have-called.js");
    const names = ["get_order", "get_orders", "list_orders"];
    expect(completionAt("get_o", 5, names)).toEqual({ start: 0, prefix: "get_o", names: ["get_order", "get_orders"] });
    expect(completionAt("get_order(id=get_o", 18, names)).toBeNull();
    expect(completionAt("", 0, names)).toBeNull();
    const { makeTrajectory } = await import("./fixtures.js");
    const { timelineOf } = await import("../../reviews/index.js");
    const trajectory = makeTrajectory({
      calls: [{ name: "get_order", args: { id: "O-9" } }, { name: "get_policy" }],
      reference: [
        { name: "get_order", args: { id: "O-1" } },
        { name: "cancel_order", args: { id: "O-1" } },
      ],
    });
    const [first, second] = timelineOf(trajectory, []).filter((step) => step.kind === "call");
    expect(shouldHaveCalledFor(trajectory, first!, "wrong_args")).toBe('get_order(id="O-1")');
    expect(shouldHaveCalledFor(trajectory, second!, "wrong_tool")).toBe('cancel_order(id="O-1")');
    expect(shouldHaveCalledFor(trajectory, second!, "skippable")).toBe("");
  });
});
