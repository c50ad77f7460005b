import { createWriteStream } from "node:fs";
import type { RunDirectory } from "../../harness/core.js";
import { makeGrade, makeTrajectory, writeRun } from "../reviews/fixtures.js";

/** What a run written by {@link writeLargeRun} holds, counted from the pattern it was written with (not read back). */
export interface LargeRunFigures {
  readonly trajectories: number;
  /** Trajectories whose outcome grade passes (the recorded outcome says otherwise on some: the grade decides). */
  readonly gradedPasses: number;
  /** Trajectories whose recorded outcome passes (what the outcome grader gives back without the scenario). */
  readonly recordedPasses: number;
  /** Tool calls labelled skippable (one on every fourth trajectory). */
  readonly skippableCalls: number;
  readonly scenarios: number;
  /** Bytes of trajectories.jsonl. */
  readonly bytes: number;
}

const SCENARIOS = 40;

/**
 * Writes a run of `count` trajectories of about `lineBytes` each (13 tool
 * calls; the rest is environment state, as in recorded lines, where most of
 * a line is state and events), with an outcome grade per trajectory and a
 * skippable label on every fourth. Lines are made from a few templates whose
 * id is replaced, so a run of 100,000 is written in seconds and never held.
 * Scenario ids are not built-in ones (`large.scenario-N`), so graders work
 * from what the trajectories recorded.
 */
export async function writeLargeRun(
  runsDir: string,
  runId: string,
  count: number,
  lineBytes = 25_000,
): Promise<{ run: RunDirectory; figures: LargeRunFigures }> {
  const run = await writeRun(runsDir, runId, []);
  const calls = Array.from({ length: 13 }, (_, c) => ({
    name: `tool_${c % 10}`,
    args: { id: `X-${c}`, note: "a reason to call it" },
    result: { id: `X-${c}`, status: "ok", items: ["a", "b", "c"] },
  }));
  const templateOf = (scenario: number, pass: boolean): string => {
    const trajectory = makeTrajectory({
      id: "tr-TEMPLATE",
      runId,
      scenarioId: `large.scenario-${scenario}`,
      domain: `large${scenario % 4}`,
      model: scenario % 2 === 0 ? "policy:reference" : "policy:wasteful",
      pass,
      calls,
    });
    const line = JSON.stringify(trajectory);
    const padding = Math.max(0, lineBytes - line.length - 20);
    return JSON.stringify({ ...trajectory, environment: { ...trajectory.environment!, before: { notes: "n".repeat(padding) } } });
  };
  const templates = Array.from({ length: SCENARIOS }, (_, scenario) => [templateOf(scenario, true), templateOf(scenario, false)]);
  const trajectories = createWriteStream(run.file("trajectories"));
  const grades = createWriteStream(run.file("grades"));
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  };
  let bytes = 0;
  let gradedPasses = 0;
  let recordedPasses = 0;
  let skippableCalls = 0;
  for (let i = 0; i < count; i += 1) {
    const id = `tr-${String(i).padStart(7, "0")}`;
    const recordedPass = i % 5 !== 0;
    const gradedPass = i % 3 !== 0;
    const line = `${templates[i % SCENARIOS]![recordedPass ? 0 : 1]!.replace('"tr-TEMPLATE"', JSON.stringify(id))}\n`;
    bytes += Buffer.byteLength(line);
    await write(trajectories, line);
    // e6 is the second tool call.
    const labels = i % 4 === 0 ? [{ eventId: "e6", label: "skippable", reason: "repeats e4 with the same arguments" }] : [];
    await write(
      grades,
      `${JSON.stringify(makeGrade(id, "outcome", [], gradedPass))}\n${JSON.stringify(makeGrade(id, "repeated-calls", labels, labels.length === 0))}\n`,
    );
    if (gradedPass) gradedPasses += 1;
    if (recordedPass) recordedPasses += 1;
    if (labels.length > 0) skippableCalls += 1;
  }
  await Promise.all([trajectories, grades].map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  return {
    run,
    figures: { trajectories: count, gradedPasses, recordedPasses, skippableCalls, scenarios: Math.min(count, SCENARIOS), bytes },
  };
}
