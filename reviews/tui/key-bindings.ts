import type { Key } from "ink";

/**
 * Every command of the review TUI. Components ask `matches(Command.X, input,
 * key)` and never look at raw keys; the `?` overlay is generated from
 * {@link KEY_BINDINGS}, so what it shows is what the handlers do.
 */
export enum Command {
  Up = "nav.up",
  Down = "nav.down",
  PageUp = "nav.pageUp",
  PageDown = "nav.pageDown",
  First = "nav.first",
  Last = "nav.last",
  Open = "nav.open",
  Back = "nav.back",
  NextUnreviewed = "nav.nextUnreviewed",
  Pick = "grade.pick",
  Accept = "grade.accept",
  Reject = "grade.reject",
  Modify = "grade.modify",
  Note = "grade.note",
  GradePlan = "grade.plan",
  Undo = "grade.undo",
  Redo = "grade.redo",
  NextField = "form.nextField",
  PreviousField = "form.previousField",
  Toggle = "form.toggle",
  RangeMark = "form.range",
  Pass = "form.pass",
  Fail = "form.fail",
  Submit = "text.submit",
  NewLine = "text.newLine",
  NextCompletion = "text.nextCompletion",
  PreviousCompletion = "text.previousCompletion",
  Search = "find.search",
  SearchNext = "find.next",
  SearchPrevious = "find.previous",
  CyclePane = "view.pane",
  ScrollDown = "view.scrollDown",
  ScrollUp = "view.scrollUp",
  Expand = "view.expand",
  RawJson = "view.rawJson",
  ScrollLeft = "view.scrollLeft",
  ScrollRight = "view.scrollRight",
  ShowTask = "view.task",
  NextItem = "nav.nextItem",
  PreviousItem = "nav.previousItem",
  Filter = "queue.filter",
  NextValue = "filter.nextValue",
  PreviousValue = "filter.previousValue",
  Sort = "queue.sort",
  Compare = "queue.compare",
  Help = "app.help",
  Quit = "app.quit",
}

/** Where a command applies; the help overlay lists the current one's commands. */
export type KeyContext = "queue" | "trajectory" | "detail" | "plan" | "note" | "pair" | "filter" | "search" | "help";

/** Names of Ink's boolean key flags that a binding can ask for. */
type NamedKey =
  | "upArrow"
  | "downArrow"
  | "leftArrow"
  | "rightArrow"
  | "pageUp"
  | "pageDown"
  | "home"
  | "end"
  | "return"
  | "escape"
  | "tab"
  | "backspace"
  | "delete";

/** One way to trigger a command: a named key or typed characters, with modifiers. */
export interface KeyBinding {
  readonly key?: NamedKey;
  /** Characters typed; each character of the string is one alternative (e.g. "123456"). */
  readonly chars?: string;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  /** Alt (ESC before the key); unset: either. */
  readonly meta?: boolean;
  /** How the help overlay writes it. */
  readonly label: string;
}

/** A command's bindings, contexts and one-line description. */
export interface CommandSpec {
  readonly command: Command;
  readonly bindings: readonly KeyBinding[];
  readonly contexts: readonly KeyContext[];
  readonly description: string | Partial<Record<KeyContext, string>>;
  /** A word or two for the footer; commands without one are listed by `?` only. */
  readonly hint?: string | Partial<Record<KeyContext, string>>;
  /** How the keys read in a context where only some of them apply (e.g. "1-6"). */
  readonly keysIn?: Partial<Record<KeyContext, string>>;
}

const LIST: readonly KeyContext[] = ["queue", "trajectory", "detail", "plan", "pair", "filter"];

/** The one table of commands and keys. */
export const KEY_BINDINGS: readonly CommandSpec[] = [
  {
    command: Command.Help,
    bindings: [{ chars: "?", label: "?" }],
    contexts: ["queue", "trajectory", "detail", "pair", "help"],
    description: "show or hide every key",
    hint: "keys",
  },
  {
    command: Command.Quit,
    bindings: [
      { chars: "q", label: "q" },
      { chars: "c", ctrl: true, label: "ctrl+c" },
    ],
    contexts: ["queue", "trajectory", "detail", "pair", "help"],
    description: "quit (every grade is already saved)",
    hint: "quit",
  },
  {
    command: Command.Down,
    bindings: [
      { chars: "j", label: "j" },
      { key: "downArrow", label: "↓" },
    ],
    contexts: [...LIST, "help"],
    description: {
      queue: "next trajectory",
      trajectory: "next step",
      detail: "scroll down",
      plan: "next step",
      pair: "scroll down",
      filter: "next filter",
      help: "scroll down",
    },
    hint: { detail: "scroll" },
  },
  {
    command: Command.Up,
    bindings: [
      { chars: "k", label: "k" },
      { key: "upArrow", label: "↑" },
    ],
    contexts: [...LIST, "help"],
    description: {
      queue: "previous trajectory",
      trajectory: "previous step",
      detail: "scroll up",
      plan: "previous step",
      pair: "scroll up",
      filter: "previous filter",
      help: "scroll up",
    },
  },
  {
    command: Command.PageDown,
    bindings: [
      { key: "pageDown", label: "PgDn" },
      { chars: "d", ctrl: true, label: "ctrl+d" },
    ],
    contexts: ["queue", "trajectory", "detail", "pair", "help"],
    description: "page down",
  },
  {
    command: Command.PageUp,
    bindings: [
      { key: "pageUp", label: "PgUp" },
      { chars: "u", ctrl: true, label: "ctrl+u" },
    ],
    contexts: ["queue", "trajectory", "detail", "pair", "help"],
    description: "page up",
  },
  {
    command: Command.First,
    bindings: [
      { chars: "g", label: "g" },
      { key: "home", label: "Home" },
    ],
    contexts: ["queue", "trajectory", "detail"],
    description: "go to the top",
  },
  {
    command: Command.Last,
    bindings: [
      { chars: "G", label: "G" },
      { key: "end", label: "End" },
    ],
    contexts: ["queue", "trajectory", "detail"],
    description: "go to the bottom",
  },
  {
    command: Command.Open,
    bindings: [{ key: "return", label: "Enter" }],
    contexts: ["queue", "trajectory", "detail", "filter"],
    description: {
      queue: "open the trajectory",
      trajectory: "read the step in the detail pane",
      detail: "back to the timeline",
      filter: "on a value: type part of it, Enter again sets it; on clear: clear every filter; on a switch: close",
    },
    hint: { queue: "open" },
  },
  {
    command: Command.Back,
    bindings: [{ key: "escape", label: "Esc" }],
    contexts: ["trajectory", "detail", "plan", "note", "pair", "filter", "search", "help"],
    description: {
      trajectory: "back to the queue",
      detail: "back to the timeline",
      plan: "close (what you typed is kept)",
      note: "close (what you typed is kept)",
      pair: "back to the queue",
      filter: "close",
      search: "cancel",
      help: "close",
    },
    hint: { detail: "back", plan: "close", note: "close", filter: "close", search: "cancel", help: "close" },
  },
  {
    command: Command.Pick,
    bindings: [{ chars: "123456789", label: "1-9" }],
    contexts: ["trajectory", "plan", "pair", "note"],
    description: {
      trajectory:
        "verdict; calls: 1 correct 2 skippable 3 wrong tool 4 wrong args 5 harmful 6 other; handoffs: 1 right agent 2 wrong agent 3 unnecessary 4 other; model messages: 1 correct 2 wrong 3 harmful 4 other",
      plan: "score 1-5",
      pair: "1 A is better, 2 B is better, 3 tie",
      note: "in the verdict field: the verdict",
    },
    hint: { trajectory: "verdict", plan: "score", pair: "A/B/tie" },
    keysIn: { trajectory: "1-6", plan: "1-5", pair: "1-3", note: "1-6" },
  },
  {
    command: Command.Accept,
    bindings: [{ chars: "a", label: "a" }],
    contexts: ["trajectory"],
    description: "accept what the graders suggest on this step, and move on",
    hint: "accept",
  },
  {
    command: Command.Reject,
    bindings: [{ chars: "x", label: "x" }],
    contexts: ["trajectory"],
    description: "reject the suggestion (the step was right), then say why if you like",
    hint: "reject",
  },
  {
    command: Command.Modify,
    bindings: [{ chars: "m", label: "m" }],
    contexts: ["trajectory"],
    description: 'modify the suggestion: accept it with another verdict, reason or "should have called"',
    hint: "modify",
  },
  {
    command: Command.Note,
    bindings: [{ chars: "e", label: "e" }],
    contexts: ["trajectory", "pair"],
    description: { trajectory: "write a reason and what should have been called", pair: "write why" },
    hint: "note",
  },
  {
    command: Command.GradePlan,
    bindings: [{ chars: "p", label: "p" }],
    contexts: ["queue", "trajectory"],
    description: "grade the plan: score, pass/fail, skippable and missing steps, critique",
    hint: "plan",
  },
  {
    command: Command.NextUnreviewed,
    bindings: [{ chars: "n", label: "n" }],
    contexts: ["queue", "trajectory", "plan", "pair"],
    description: {
      queue: "next unreviewed trajectory",
      trajectory: "next ungraded step, then the plan, then the next trajectory",
      plan: "done: close the form and go to the next unreviewed trajectory",
      pair: "next pair without a preference",
    },
    hint: "next",
  },
  {
    command: Command.Undo,
    bindings: [{ chars: "u", label: "u" }],
    contexts: ["queue", "trajectory", "pair"],
    description: "undo the last grade (writes a new record) and go to it",
    hint: "undo",
  },
  {
    command: Command.Redo,
    bindings: [
      { chars: "U", label: "U" },
      { chars: "r", ctrl: true, label: "ctrl+r" },
    ],
    contexts: ["queue", "trajectory", "pair"],
    description: "redo what the last undo took back",
  },
  {
    command: Command.NextField,
    bindings: [{ key: "tab", shift: false, label: "Tab" }],
    contexts: ["plan", "note"],
    description: { plan: "next field", note: 'next field; in "should have called", completes the tool name offered' },
    hint: "field",
  },
  {
    command: Command.PreviousField,
    bindings: [{ key: "tab", shift: true, label: "shift+Tab" }],
    contexts: ["plan", "note"],
    description: "previous field",
  },
  {
    command: Command.Toggle,
    bindings: [{ chars: " ", label: "Space" }],
    contexts: ["plan", "filter", "note"],
    description: {
      plan: "mark the step skippable or not",
      filter: "switch the filter, or the next value",
      note: "in the verdict field: the next verdict",
    },
    hint: { plan: "mark", filter: "switch" },
  },
  {
    command: Command.RangeMark,
    bindings: [{ chars: "v", label: "v" }],
    contexts: ["plan"],
    description: "start a range of skippable steps; press again to mark it",
    hint: "range",
  },
  { command: Command.Pass, bindings: [{ chars: "y", label: "y" }], contexts: ["plan"], description: "plan passes" },
  { command: Command.Fail, bindings: [{ chars: "f", label: "f" }], contexts: ["plan"], description: "plan fails" },
  {
    command: Command.Submit,
    bindings: [{ key: "return", meta: false, label: "Enter" }],
    contexts: ["note", "search", "plan"],
    description: { note: "save and close", search: "go to the first match", plan: "save the field and go to the next" },
    hint: { note: "save", search: "go", plan: "next field" },
  },
  {
    command: Command.NewLine,
    bindings: [
      { key: "return", meta: true, label: "alt+Enter" },
      { chars: "n", ctrl: true, label: "ctrl+n" },
    ],
    contexts: ["note"],
    description: "a new line in the reason",
    hint: "new line",
  },
  {
    command: Command.NextCompletion,
    bindings: [{ key: "downArrow", label: "↓" }],
    contexts: ["note"],
    description: 'in "should have called": the next name offered',
  },
  {
    command: Command.PreviousCompletion,
    bindings: [{ key: "upArrow", label: "↑" }],
    contexts: ["note"],
    description: 'in "should have called": the previous name offered',
  },
  {
    command: Command.Search,
    bindings: [{ chars: "/", label: "/" }],
    contexts: ["queue", "trajectory"],
    description: { queue: "find trajectories by text", trajectory: "search the steps" },
    hint: "search",
  },
  { command: Command.SearchNext, bindings: [{ chars: "]", label: "]" }], contexts: ["trajectory"], description: "next match" },
  { command: Command.SearchPrevious, bindings: [{ chars: "[", label: "[" }], contexts: ["trajectory"], description: "previous match" },
  {
    command: Command.CyclePane,
    bindings: [{ key: "tab", shift: false, label: "Tab" }],
    contexts: ["trajectory", "detail"],
    description: "pane: step detail → plan vs reference → outcome and state diff → task and source",
    hint: "pane",
  },
  {
    command: Command.ShowTask,
    bindings: [{ chars: "i", label: "i" }],
    contexts: ["trajectory", "detail"],
    description: "the task in full and where the trajectory came from (again: back to the step)",
    hint: { trajectory: "task" },
  },
  {
    command: Command.RawJson,
    bindings: [{ chars: "t", label: "t" }],
    contexts: ["trajectory", "detail"],
    description: "results: a table of records ↔ the full JSON",
  },
  {
    command: Command.ScrollLeft,
    bindings: [
      { key: "leftArrow", label: "←" },
      { chars: "h", label: "h" },
    ],
    contexts: ["trajectory", "detail"],
    description: "scroll a table left",
  },
  {
    command: Command.ScrollRight,
    bindings: [
      { key: "rightArrow", label: "→" },
      { chars: "l", label: "l" },
    ],
    contexts: ["trajectory", "detail"],
    description: "scroll a table right",
  },
  { command: Command.ScrollDown, bindings: [{ chars: "J", label: "J" }], contexts: ["trajectory"], description: "scroll the pane down" },
  { command: Command.ScrollUp, bindings: [{ chars: "K", label: "K" }], contexts: ["trajectory"], description: "scroll the pane up" },
  {
    command: Command.Expand,
    bindings: [{ chars: " ", label: "Space" }],
    contexts: ["trajectory", "detail"],
    description: "expand or collapse a long message",
    hint: { detail: "expand" },
  },
  { command: Command.NextItem, bindings: [{ chars: "]", label: "]" }], contexts: ["pair"], description: "next pair", hint: "next pair" },
  { command: Command.PreviousItem, bindings: [{ chars: "[", label: "[" }], contexts: ["pair"], description: "previous pair" },
  {
    command: Command.Filter,
    bindings: [{ chars: "f", label: "f" }],
    contexts: ["queue", "filter"],
    description: { queue: "filters: unreviewed, failed, flagged, run, scenario, domain, agent, model", filter: "close" },
    hint: { queue: "filter" },
  },
  {
    command: Command.NextValue,
    bindings: [{ key: "rightArrow", label: "→" }],
    contexts: ["filter"],
    description: "the next value",
  },
  {
    command: Command.PreviousValue,
    bindings: [{ key: "leftArrow", label: "←" }],
    contexts: ["filter"],
    description: "the previous value",
  },
  {
    command: Command.Sort,
    bindings: [{ chars: "s", label: "s" }],
    contexts: ["queue"],
    description: "change the sort order",
    hint: "sort",
  },
  {
    command: Command.Compare,
    bindings: [{ chars: "c", label: "c" }],
    contexts: ["queue"],
    description: "pairwise: compare trajectories of the same scenario",
    hint: "pairs",
  },
];

const BY_COMMAND = new Map(KEY_BINDINGS.map((spec) => [spec.command, spec]));

/** True when the key press triggers `command` (under any context it is bound in). */
export function matches(command: Command, input: string, key: Key): boolean {
  const spec = BY_COMMAND.get(command);
  if (!spec) return false;
  return spec.bindings.some((binding) => bindingMatches(binding, input, key));
}

function bindingMatches(binding: KeyBinding, input: string, key: Key): boolean {
  if (Boolean(binding.ctrl) !== key.ctrl) return false;
  if (binding.key) {
    if (!key[binding.key]) return false;
    if (binding.meta !== undefined && binding.meta !== key.meta) return false;
    return binding.shift === undefined || binding.shift === key.shift;
  }
  if (!binding.chars || key.meta || input.length !== 1) return false;
  return binding.chars.includes(input);
}

/** The help text of a command in a context. */
export function describe(spec: CommandSpec, context: KeyContext): string {
  return typeof spec.description === "string" ? spec.description : (spec.description[context] ?? Object.values(spec.description)[0] ?? "");
}

/** The commands available in a context, in table order. */
export function commandsIn(context: KeyContext): CommandSpec[] {
  return KEY_BINDINGS.filter((spec) => spec.contexts.includes(context));
}

/** Titles of the contexts, for the help overlay. */
export const CONTEXT_TITLES: Readonly<Record<KeyContext, string>> = {
  queue: "Queue",
  trajectory: "Trajectory",
  detail: "Step detail",
  plan: "Plan grading",
  note: "Reason and notes",
  pair: "Pairwise",
  filter: "Filters",
  search: "Search",
  help: "Help",
};

/** How a command's keys read in a context, e.g. "j ↓" or "1-6". */
export function keysIn(spec: CommandSpec, context: KeyContext): string {
  return spec.keysIn?.[context] ?? spec.bindings.map((binding) => binding.label).join(" ");
}

/** Footer text for a context: each hinted command's first key and hint. */
export function footerHints(context: KeyContext): string {
  return commandsIn(context)
    .flatMap((spec) => {
      const hint = typeof spec.hint === "string" ? spec.hint : spec.hint?.[context];
      return hint ? [`${spec.keysIn?.[context] ?? spec.bindings[0]!.label} ${hint}`] : [];
    })
    .join(" · ");
}

/** The key table as Markdown, one section per context (docs/review.md embeds it; a test keeps them equal). */
export function keyTableMarkdown(): string {
  const order: KeyContext[] = ["queue", "trajectory", "detail", "plan", "note", "pair", "filter", "search", "help"];
  return order
    .map((context) => {
      const rows = commandsIn(context).map((spec) => `| ${keysIn(spec, context).replace(/\|/g, "\\|")} | ${describe(spec, context)} |`);
      return [`**${CONTEXT_TITLES[context]}**`, "", "| keys | does |", "|---|---|", ...rows].join("\n");
    })
    .join("\n\n");
}
