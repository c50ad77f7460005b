import stringWidth from "string-width";
import { beforeAll, describe, expect, it } from "vitest";
import { HOSTILE_TEXT, makeTrajectory, standardRun, tempRunsDir, writeRun } from "./fixtures.js";

// Colour must be on before Ink (and chalk) load, so that the monochrome test means something.
process.env.FORCE_COLOR = "1";
type Render = typeof import("./render.js");
type Themes = typeof import("../../reviews/tui/theme.js");
let ui: Render;
let themes: Themes;
beforeAll(async () => {
  ui = await import("./render.js");
  themes = await import("../../reviews/tui/theme.js");
});

async function start(trajectories: Parameters<typeof writeRun>[2] | null, props: Parameters<Render["openReview"]>[1] = {}) {
  const runsDir = await tempRunsDir();
  const run = trajectories ? await writeRun(runsDir, "run-1", trajectories) : (await standardRun(runsDir)).run;
  const harness = await ui.openReview(run, props);
  await harness.waitFor((frame) => frame.includes("reviewed"));
  return harness;
}

// Ink's own styling: SGR sequences only.
// eslint-disable-next-line no-control-regex
const INK_STYLE = /\u001B\[[0-9;]*m/g;

describe("hostile and awkward text", () => {
  it("never lets escapes, OSC, C0/C1 controls, bidi or zero-width characters from a tool result reach the terminal", async () => {
    const hostile = {
      ...makeTrajectory({
        scenarioId: "retail.\u001b]52;c;eA==\u0007x",
        task: `task ${HOSTILE_TEXT}`,
        calls: [
          // A list of records is shown as a table: its keys and cells are trajectory text too.
          { name: "list\u202E", result: [{ [HOSTILE_TEXT]: HOSTILE_TEXT, nested: { [`k${HOSTILE_TEXT}`]: HOSTILE_TEXT } }] },
          { name: "lookup\u202E", args: { q: HOSTILE_TEXT }, result: { text: HOSTILE_TEXT }, resultText: HOSTILE_TEXT },
        ],
        finalAnswer: HOSTILE_TEXT,
      }),
      provenance: {
        format: `tau${HOSTILE_TEXT}`,
        file: `file${HOSTILE_TEXT}`,
        index: 0,
        line: null,
        originalId: HOSTILE_TEXT,
        metadata: { [HOSTILE_TEXT]: HOSTILE_TEXT, nested: { deep: HOSTILE_TEXT } },
      },
    };
    const h = await start([hostile]);
    await h.press(ui.KEY.ENTER);
    await h.waitFor((f) => /\d+\/\d+ graded/.test(f));
    await h.press("j", "j", "l", "l", "t", "h", "G", ui.KEY.TAB, ui.KEY.TAB, "j", "k", ui.KEY.TAB, "/", "r", "e", "d", ui.KEY.ENTER);
    await h.waitFor((f) => f.includes('search "red"'));
    const frames = h.stdout.frames.join("");
    // The table and the task and source pane (Tab's fourth) were drawn on the way.
    expect(frames).toContain("1 row × 2 columns");
    expect(frames).toContain("where it came from");
    const withoutInkStyle = frames.replace(INK_STYLE, "");
    // eslint-disable-next-line no-control-regex
    expect(withoutInkStyle).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
    expect(frames).not.toContain("\u001B]");
    expect(frames).toContain("␛[31mred");
  });

  it("keeps columns aligned with wide and emoji text", async () => {
    const wide = makeTrajectory({
      id: "tr-wide",
      scenarioId: "retail.漢字テスト-👨‍👩‍👧-❤️",
      model: "policy:絵文字👍🏽",
      calls: [{ name: "検索", args: { q: "東京 👍🏽" } }],
    });
    const h = await start([wide, makeTrajectory({ id: "tr-plain" })]);
    const rows = h
      .frame()
      .replace(INK_STYLE, "")
      .split("\n")
      .filter((line) => line.includes(" pass "));
    expect(rows).toHaveLength(2);
    // The outcome column starts at the same column on both rows, whatever the scenario and model hold.
    const outcomeColumn = rows.map((line) => stringWidth(line.slice(0, line.indexOf(" pass "))));
    expect(outcomeColumn[0]).toBe(outcomeColumn[1]);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(80);
  });
});

describe("terminal size and colour", () => {
  it("fits 80×24: no line wider than 80 columns, no more than 23 rows", async () => {
    const h = await start(null);
    for (const keys of [[], [ui.KEY.ENTER], [ui.KEY.TAB], [ui.KEY.TAB], ["p"], [ui.KEY.ESCAPE, ui.KEY.ESCAPE, "c"], [ui.KEY.ESCAPE, "?"]]) {
      await h.press(...keys);
      const frame = h.frame().replace(INK_STYLE, "");
      const lines = frame.split("\n");
      expect(lines.length).toBeLessThanOrEqual(23);
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    }
  });

  it("puts timeline and pane side by side on a wide terminal", async () => {
    const h = await start(null, { size: { columns: 140, rows: 40 } });
    await h.press(ui.KEY.ENTER);
    const frame = await h.waitFor((f) => f.includes("step detail"));
    expect(frame.replace(INK_STYLE, "")).toMatch(/e4 tool +find_customer.*│.*/);
  });

  it("follows terminal resizes", async () => {
    const h = await start(null, { size: undefined });
    const stdout = h.stdout as unknown as { columns: number; rows: number; emit(event: string): boolean };
    Object.defineProperty(stdout, "columns", { value: 60, configurable: true });
    Object.defineProperty(stdout, "rows", { value: 16, configurable: true });
    stdout.emit("resize");
    const frame = await h.waitFor((f) => f.replace(INK_STYLE, "").split("\n").length <= 15);
    for (const line of frame.replace(INK_STYLE, "").split("\n")) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    Object.defineProperty(stdout, "columns", { value: 120, configurable: true });
    stdout.emit("resize");
    await h.waitFor((f) =>
      f
        .replace(INK_STYLE, "")
        .split("\n")
        .some((line) => stringWidth(line) > 100),
    );
  });

  it("is monochrome under NO_COLOR: bold and inverse only, no colour codes", async () => {
    const coloured = await start(null, { theme: themes.COLOR_THEME });
    await coloured.press("j");
    // eslint-disable-next-line no-control-regex
    expect(coloured.frame()).toMatch(/\u001B\[(3[0-7]|9[0-7]|38;)/);
    const mono = await start(null, { theme: themes.themeFor({ NO_COLOR: "1" }) });
    await mono.press(ui.KEY.ENTER, ui.KEY.TAB);
    await mono.waitFor((f) => f.includes("plan vs reference"));
    const frames = mono.stdout.frames.join("");
    // eslint-disable-next-line no-control-regex
    expect(frames).not.toMatch(/\u001B\[(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;|48;)/);
    expect(frames).toContain("\u001B[7m");
  });
});

describe("large trajectories", () => {
  it("renders only the visible rows of a 1,000-step trajectory and scrolls to its end", async () => {
    const calls = Array.from({ length: 500 }, (_, i) => ({ name: `step_${i}`, args: { i } }));
    const h = await start([makeTrajectory({ calls })]);
    await h.press(ui.KEY.ENTER);
    const first = await h.waitFor((f) => f.includes("step_0("));
    expect(first.split("\n").length).toBeLessThanOrEqual(23);
    expect(first).not.toContain("step_499(");
    await h.press("G");
    await h.waitFor((f) => f.includes("e1003"));
    await h.press(ui.KEY.PAGE_DOWN, "k");
    await h.waitFor((f) =>
      f
        .replace(INK_STYLE, "")
        .split("\n")
        .some((line) => line.startsWith("›") && line.includes("step_499(")),
    );
  });
});
