import { describe, expect, it } from "vitest";
import { jsonForTerminal, sanitizeForDisplay } from "../../../harness/core.js";
import { RAW_CONTROL } from "../../support/terminal.js";

const HOSTILE = {
  osc52: "copy \u001B]52;c;ZWNobyBwd25lZA==\u0007 done",
  csi: "\u001B[31mred\u001B[0m and 8-bit \u009B31m",
  bidi: "invoice \u202Egnp.exe\u202C",
  invisible: "a\u200Bb\uFEFFc\u{E0041}d",
  plain: "ok ✓ 漢字 👍",
};

describe("jsonForTerminal", () => {
  it("escapes DEL, C1, bidi and invisible characters so none reaches the terminal raw, and parses back to the same value", () => {
    const text = jsonForTerminal(HOSTILE);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain("\\u009b");
    expect(text).toContain("\\u202e");
    expect(text).toContain("\\udb40\\udc41");
    expect(text).toContain("ok ✓ 漢字 👍");
    expect(JSON.parse(text)).toEqual(HOSTILE);
    expect(jsonForTerminal(HOSTILE, 0)).not.toContain("\n");
  });

  it("gives JSON.stringify's text when there is nothing to escape", () => {
    const value = { a: [1, "two", null], b: { c: "ü" } };
    expect(jsonForTerminal(value)).toBe(JSON.stringify(value, null, 2));
  });
});

describe("sanitizeForDisplay for command output", () => {
  it("leaves no raw control in one line, and bounds it when asked", () => {
    for (const value of Object.values(HOSTILE)) expect(sanitizeForDisplay(value)).not.toMatch(RAW_CONTROL);
    expect(sanitizeForDisplay(`${"x".repeat(300)}\u001B`, { maxLength: 200 })).toBe(`${"x".repeat(197)}...`);
    expect(sanitizeForDisplay("short", { maxLength: 200 })).toBe("short");
  });
});
