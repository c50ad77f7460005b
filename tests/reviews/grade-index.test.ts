import { appendFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { indexGrades, loadGrades } from "../../reviews/grade-index.js";
import { makeGrade, tempRunsDir, writeRun } from "./fixtures.js";

/**
 * The review's index of grades.jsonl, read a chunk at a time: every grade is
 * found by trajectory at the right place in the file, lines that cross the
 * reading chunks included, a grade that labels steps keeps them, and a torn
 * last line is skipped with a warning.
 */
describe("indexGrades", () => {
  it("indexes every grade of a file larger than its reading chunk, and reads each back whole", async () => {
    const runsDir = await tempRunsDir();
    const grades = Array.from({ length: 3_000 }, (_, i) => ({
      // Long comments, of varying length, put line ends everywhere across the 4 MB chunks.
      ...makeGrade(`tr-${i % 500}`, `grader-${i % 6}`, i % 7 === 0 ? [{ eventId: "e2", label: "skippable", reason: `step ${i}` }] : []),
      comment: "é".repeat(1_000 + ((i * 37) % 1_500)),
    }));
    const run = await writeRun(runsDir, "big", [], grades);
    const warnings: string[] = [];
    const index = await indexGrades(run, { onWarning: (warning) => warnings.push(warning.message) });
    expect(warnings).toEqual([]);
    expect(index.size).toBe(500);
    expect([...index.keys()].reduce((sum, id) => sum + index.get(id)!.length, 0)).toBe(3_000);
    const first = index.get("tr-7")!;
    expect(first.map((grade) => grade.line)).toEqual([8, 508, 1008, 1508, 2008, 2508]);
    expect(loadGrades(first)).toEqual([7, 507, 1007, 1507, 2007, 2507].map((i) => grades[i]));
    expect(first[0]!.steps).toEqual([{ eventId: "e2", label: "skippable", reason: "step 7" }]);
    expect(first[1]!.steps).toEqual([]);
  });

  it("skips a torn last line with a warning naming it", async () => {
    const runsDir = await tempRunsDir();
    const run = await writeRun(runsDir, "torn", [], [makeGrade("tr-1", "outcome"), makeGrade("tr-2", "outcome")]);
    await appendFile(run.file("grades"), '{"grader":"outcome","trajectoryId":"tr-3","pa');
    const warnings: string[] = [];
    const index = await indexGrades(run, { onWarning: (warning) => warnings.push(`${warning.line}: ${warning.message}`) });
    expect([...index.keys()]).toEqual(["tr-1", "tr-2"]);
    expect(warnings).toEqual(["3: skipped a torn last line (3), left by an interrupted write"]);
  });
});
