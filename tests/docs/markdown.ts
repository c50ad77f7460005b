/**
 * Fenced code blocks of a Markdown page, with the attributes their info string
 * carries (```` ```sh tty ready=reviewed ````): the language is the first word
 * (what GitHub highlights by), the rest are words or `key=value` pairs
 * (`key="a value with spaces"`), which GitHub does not show.
 */

/** One fenced block: where it is, what its fence says, and its text. */
export interface CodeBlock {
  /** The page, relative to the repository root (`docs/graders.md`). */
  readonly doc: string;
  /** Line of the opening fence, 1-based. */
  readonly line: number;
  /** First word of the info string; "" for a bare fence. */
  readonly lang: string;
  /** The other words of the info string (`illustrative`, `tty`, `append`). */
  readonly flags: ReadonlySet<string>;
  /** `key=value` pairs of the info string. */
  readonly attrs: Readonly<Record<string, string>>;
  /** The block's lines, without the fences. */
  readonly lines: readonly string[];
}

/** Where a block is, for messages: `README.md:22`. */
export const where = (block: Pick<CodeBlock, "doc" | "line">, offset = 0): string => `${block.doc}:${block.line + offset}`;

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATTRIBUTE = /([\w-]+)=("([^"]*)"|\S+)|(\S+)/g;

/** Every fenced block of `text` (the Markdown of `doc`), in page order. */
export function codeBlocks(doc: string, text: string): CodeBlock[] {
  const lines = text.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j]!);
      if (close && close[2]!.startsWith(fence[0]!) && close[2]!.length >= fence.length && close[3]!.trim() === "") break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    if (j === lines.length) throw new Error(`${doc}:${i + 1}: the code block opened here is never closed`);
    const words = [...info.trim().matchAll(ATTRIBUTE)];
    const [first, ...rest] = words;
    const flags = new Set<string>();
    const attrs: Record<string, string> = {};
    for (const word of rest) {
      if (word[4] !== undefined) flags.add(word[4]);
      else attrs[word[1]!] = word[3] ?? word[2]!;
    }
    blocks.push({ doc, line: i + 1, lang: first?.[0] ?? "", flags, attrs, lines: body });
    i = j;
  }
  return blocks;
}
