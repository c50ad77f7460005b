import { render } from "ink-testing-library";
import { onTestFinished, describe, expect, it } from "vitest";
import {
  REVIEW_EXPORT_KINDS,
  ReviewSession,
  openAdjudication,
  openReviewExport,
  readJudgements,
  disagreementsOf,
} from "../../reviews/index.js";
import { AdjudicationScreen } from "../../reviews/tui/components/AdjudicationScreen.js";
import { COLOR_THEME, ThemeProvider } from "../../reviews/tui/theme.js";
import { readReviewRecordsSoFar, tempRunsDir } from "./fixtures.js";
import { writeExportRun } from "./export/fixture.js";
import { eventually } from "./render.js";

describe("adjudication", () => {
  it("lists the targets reviewers disagree on, settled ones marked", async () => {
    const run = await writeExportRun(await tempRunsDir());
    const list = disagreementsOf(await readJudgements([run], { adjudicators: new Set(["lead"]) }));
    // tr-waste e6 (skippable against correct, settled by lead); plan ratings of tr-good (5, 4), tr-waste (4, 3), tr-wrong (2, 1).
    expect(list.map((d) => `${d.judgements.key}:${d.measures.join("+")}:${d.settlement ? "settled" : "open"}`)).toEqual([
      "tr-good#plan:plan-rating:open",
      "tr-waste#step:e6:step:settled",
      "tr-waste#plan:plan-rating:open",
      "tr-wrong#plan:plan-rating:open",
    ]);
    const e6 = list[1]!;
    expect(e6.sides).toEqual([
      { reviewer: "ana", verdict: "skippable", rating: null, note: "repeats the lookup of e4", shouldHaveCalled: null },
      { reviewer: "bo", verdict: "correct", rating: null, note: null, shouldHaveCalled: null },
    ]);
  });

  it("refuses a reviewer the run does not name adjudicator, saying how to name one", async () => {
    const run = await writeExportRun(await tempRunsDir());
    await expect(openAdjudication([run], "ana")).rejects.toThrow(/ana is not an adjudicator of run-x/);
    await expect(openAdjudication([run], "ana")).rejects.toMatchObject({
      hint: "name adjudicators first: trajlab assign run-x --adjudicators ana",
    });
  });

  it("shows each side with the step and settles a target with one key; exports then use the settled value", async () => {
    const run = await writeExportRun(await tempRunsDir());
    const disagreements = await openAdjudication([run], "lead");
    const session = await ReviewSession.open({ runs: [run], reviewer: "lead" });
    const ui = render(
      <ThemeProvider theme={COLOR_THEME}>
        <AdjudicationScreen session={session} disagreements={disagreements} width={100} height={20} />
      </ThemeProvider>,
    );
    onTestFinished(async () => {
      ui.unmount();
      await session.close();
    });
    const frame = () => ui.lastFrame() ?? "";
    await eventually(() => frame().includes("1 of 4 settled"), frame);
    // Down to tr-waste e6: the step, and each reviewer's verdict and reason.
    ui.stdin.write("j");
    await eventually(() => frame().includes('ana          skippable  "repeats the lookup of e4"'), frame);
    expect(frame()).toContain("tr-waste e6 find_customer");
    expect(frame()).toContain("bo           correct");
    // Settle it the other way: 1 = correct.
    ui.stdin.write("1");
    await eventually(() => frame().includes("settled step as correct"), frame);
    const records = await eventually(async () => {
      const list = await readReviewRecordsSoFar(session.files[0]!);
      return list.length === 2 && list;
    }, frame);
    expect(records[1]).toMatchObject({
      reviewer: "lead",
      trajectoryId: "tr-waste",
      target: { kind: "step", eventId: "e6" },
      verdict: "correct",
    });
    // A plan's rating: down again, 4.
    ui.stdin.write("j");
    await eventually(() => frame().includes("› tr-waste plan"), frame);
    ui.stdin.write("4");
    await eventually(() => frame().includes("2 of 4 settled") && frame().includes("settled plan as pass (rating 4)"), frame);
    expect(frame()).toContain('tr-waste e6 find_customer(email="ana@example.com")   skippable · correct   settled: correct');
    await session.close();
    // tr-waste no longer has a flawed step: sft now takes it.
    const source = await openReviewExport([run]);
    const sft = [...source.records(REVIEW_EXPORT_KINDS.find((k) => k.id === "sft")!)] as {
      provenance: { trajectoryId: string; targets: { target: string; source: string; adjudicator: string | null }[] };
    }[];
    const waste = sft.find((row) => row.provenance.trajectoryId === "tr-waste")!;
    expect(waste.provenance.targets.find((t) => t.target === "step:e6")).toMatchObject({ source: "settled", adjudicator: "lead" });
  });
});
