import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReplayOutcome } from "../../harness/index.js";
import { describeReplayOutcomes } from "../../cli/replay-outcomes.js";
import { tempFolder, trajlab } from "../support/cli.js";

describe("trajlab grade --replay says what became of every candidate call", () => {
  it("counts verified, refuted and not replayed calls as replays.jsonl holds them, with each reason", async () => {
    const cwd = await tempFolder();
    const run = await trajlab(["run", "-s", "retail.*", "-p", "wasteful", "-p", "faulty", "--seed", "3", "--run-id", "r", "-q"], { cwd });
    expect(run.code).toBe(0);
    const grade = await trajlab(["grade", "r", "--replay", "--replay-limit", "1"], { cwd });
    expect(grade.code).toBe(0);

    const tally =
      /^replay: (\d+) candidate call\(s\) in (\d+) trajectories: (\d+) verified skippable, (\d+) refuted \(.*\), (\d+) not replayed$/m.exec(
        grade.stderr,
      );
    expect(tally, grade.stderr).not.toBeNull();
    const [total, , verified, refuted, notReplayed] = tally!.slice(1).map(Number) as [number, number, number, number, number];
    const replays = (await readFile(join(cwd, "runs/r/replays.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { verdict: string });
    expect(verified).toBe(replays.filter((r) => r.verdict === "skippable").length);
    expect(refuted).toBe(replays.filter((r) => r.verdict === "needed").length);
    expect(verified).toBeGreaterThan(0);
    expect(total).toBe(verified + refuted + notReplayed);
    expect(grade.stderr).toContain(`${replays.length} replay(s) written to`);

    const reasons = [...grade.stderr.matchAll(/^ {2}not replayed, (\d+) call\(s\): (.*) \(tr-/gm)].map(
      (m) => [m[2], Number(m[1])] as const,
    );
    expect(new Map(reasons).get("over the limit of 1 replays per trajectory")).toBeGreaterThan(0);
    expect(new Map(reasons).get("the run's own outcome fails")).toBeGreaterThan(0);
    expect(reasons.reduce((sum, [, n]) => sum + n, 0)).toBe(notReplayed);
  });
});

describe("describeReplayOutcomes", () => {
  const outcome = (kind: ReplayOutcome["kind"], trajectoryId: string, eventId: string, reason = ""): ReplayOutcome =>
    kind === "not_replayed" ? { kind, trajectoryId, eventId, reason } : { kind, trajectoryId, eventId, replayId: `rp-${eventId}` };

  it("groups the calls not replayed by reason, most frequent first, naming the first calls", () => {
    const lines = describeReplayOutcomes([
      outcome("verified", "tr-a", "e6"),
      outcome("refuted", "tr-a", "e10"),
      outcome("not_replayed", "tr-b", "e4", "REPLAY_DIVERGED: the tool answered otherwise"),
      ...["e6", "e8", "e10", "e12"].map((id) => outcome("not_replayed", "tr-c", id, "the run's own outcome fails")),
    ]);
    expect(lines).toEqual([
      "replay: 7 candidate call(s) in 3 trajectories: 1 verified skippable, 1 refuted (the replay without the call failed), 5 not replayed",
      "  not replayed, 4 call(s): the run's own outcome fails (tr-c e6, tr-c e8, tr-c e10, 1 more)",
      "  not replayed, 1 call(s): REPLAY_DIVERGED: the tool answered otherwise (tr-b e4)",
    ]);
  });

  it("says when there was nothing to replay", () => {
    expect(describeReplayOutcomes([])).toEqual(["replay: no candidate calls (no call was labelled skippable)"]);
  });
});
