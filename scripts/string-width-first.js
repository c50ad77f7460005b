// Stands in for string-width in the bundled review (scripts/build.js). string-width compiles an
// emoji pattern and makes a grapheme segmenter when it loads, ~60 ms before the review's first
// frame; most of what the review measures needs neither. A text made only of characters that are
// one column wide on their own and never join their neighbours into one grapheme (printable
// ASCII, Latin-1, Greek, punctuation, arrows, box drawing, shapes and a few symbols: the ranges
// below, checked against string-width for every code point in tests/reviews/bundle-stand-ins.test.ts)
// is as wide as it is long; anything else is measured by string-width itself, loaded on first use.
import stripAnsi from "strip-ansi";

const ONE_COLUMN_EACH =
  /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u00ff\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u03ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2400-\u2426\u2500-\u25fc\u25ff\u2605\u2690\u2691\u2713-\u2717]*$/;

let complete;

/** string-width's measure, with its options; the same answer, sooner for the texts above. */
export default function stringWidth(text, options) {
  if (typeof text === "string" && (options === undefined || (options.ambiguousIsNarrow !== false && !options.countAnsiEscapeCodes))) {
    const plain = text.includes("\u001b") || text.includes("\u009b") ? stripAnsi(text) : text;
    if (ONE_COLUMN_EACH.test(plain)) return plain.length;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports, no-undef -- bundled only: esbuild makes it load the module here
  complete ??= require("../node_modules/string-width/index.js").default;
  return complete(text, options);
}
