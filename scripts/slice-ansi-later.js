// Stands in for slice-ansi in the bundled review (scripts/build.js). slice-ansi makes a grapheme
// segmenter when it loads (~20 ms before the review's first frame), and Ink calls it only to
// clip or truncate text, which the review's screens do themselves: it is loaded on first use.
let sliceAnsi;

export default function slice(text, start, end) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, no-undef -- bundled only: esbuild makes it load the module here
  sliceAnsi ??= require("../node_modules/slice-ansi/index.js").default;
  return sliceAnsi(text, start, end);
}
