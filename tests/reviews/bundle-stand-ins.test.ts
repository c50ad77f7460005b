import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import sliceAnsi from "slice-ansi";
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../scripts/build.js";

/**
 * The bundled review (scripts/build.js) puts stand-ins in place of
 * string-width and slice-ansi, so that neither pays its start-up before the
 * first frame. Bundled the same way, they must answer exactly as the
 * libraries do, for every input the review can give them.
 */
interface StandIns {
  readonly stringWidth: typeof stringWidth;
  readonly sliceAnsi: typeof sliceAnsi;
}

let dir: string;
let bundled: StandIns;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trajlab-stand-ins-"));
  const entry = join(dir, "entry.js");
  await writeFile(
    entry,
    ['export { default as stringWidth } from "string-width";', 'export { default as sliceAnsi } from "slice-ansi";'].join("\n"),
  );
  bundle(entry, join(dir, "out.js"));
  source = await readFile(join(dir, "out.js"), "utf8");
  bundled = (await import(pathToFileURL(join(dir, "out.js")).href)) as StandIns;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the bundle's string-width", () => {
  it("measures every character of the Basic Multilingual Plane as string-width does", () => {
    const differ: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue; // lone surrogates are no text
      const text = String.fromCharCode(code);
      if (bundled.stringWidth(text) !== stringWidth(text)) differ.push(code.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it("measures mixed texts, styled texts and grapheme clusters as string-width does", () => {
    const texts = [
      "",
      "plain ascii",
      "trajlab review · run-10000 · 0 of 42 reviewed so far",
      "─── ⚑ flagged ✓ passed ✗ failed ● ○ ◐ → ← ↑ ↓ … κ α ×",
      "\u001b[1m\u001b[32m✓\u001b[39m ok\u001b[22m",
      "\u009b31mred\u009b0m",
      "e\u0301 combining", // a base and its combining mark are one column
      "↔\ufe0f as emoji", // a variation selector makes a one-column arrow two
      "日本語 wide",
      "👩‍💻 zwj",
      "🇫🇷 flags",
      "한국어 hangul",
      "tab\there",
      "line\nbreak",
      "zero\u200bwidth",
      "◽ wide square",
    ];
    for (const text of texts) {
      expect(bundled.stringWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
      expect(bundled.stringWidth(text, { ambiguousIsNarrow: false }), JSON.stringify(text)).toBe(
        stringWidth(text, { ambiguousIsNarrow: false }),
      );
      expect(bundled.stringWidth(text, { countAnsiEscapeCodes: true }), JSON.stringify(text)).toBe(
        stringWidth(text, { countAnsiEscapeCodes: true }),
      );
    }
  });

  it("loads string-width and slice-ansi only for what the short way cannot do", async () => {
    // Each makes a grapheme segmenter when it loads: count them, in a fresh copy of the bundle.
    const Segmenter = Intl.Segmenter;
    let made = 0;
    const intl = Intl as { Segmenter: typeof Intl.Segmenter };
    intl.Segmenter = class extends Segmenter {
      constructor(...args: ConstructorParameters<typeof Segmenter>) {
        super(...args);
        made += 1;
      }
    };
    try {
      const fresh = (await import(`${pathToFileURL(join(dir, "out.js")).href}?fresh`)) as StandIns;
      const screenText = "trajlab review · ─── ⚑ ✓ → … \u001b[31mκ\u001b[39m";
      expect(fresh.stringWidth(screenText)).toBe(stringWidth(screenText));
      expect(made).toBe(0);
      expect(fresh.stringWidth("日本")).toBe(4);
      expect(made).toBe(1);
      expect(fresh.sliceAnsi("abc", 1)).toBe("bc");
      expect(made).toBe(2);
    } finally {
      intl.Segmenter = Segmenter;
    }
  });

  it("is one copy for every importer (Ink's, wrap-ansi's and trajlab's)", () => {
    expect(source.match(/^\/\/ node_modules\/string-width\/index\.js$/gm)).toHaveLength(1);
    expect(source).not.toContain("node_modules/wrap-ansi/node_modules/string-width");
  });
});

describe("the bundle's slice-ansi", () => {
  it("slices as slice-ansi does", () => {
    const texts = ["plain text", "\u001b[31mred\u001b[39m and plain", "日本語 wide", "👩‍💻 zwj e\u0301"];
    for (const text of texts)
      for (const [start, end] of [
        [0, 3],
        [2, undefined],
        [1, 6],
        [0, 0],
      ] as const)
        expect(bundled.sliceAnsi(text, start, end), `${JSON.stringify(text)} ${start} ${end}`).toBe(sliceAnsi(text, start, end));
  });
});
