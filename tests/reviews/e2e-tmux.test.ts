import { execFileSync } from "node:child_process";
import { appendFile, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReviewRecord } from "../../reviews/index.js";
import { HOSTILE_TEXT, makeTrajectory, readReviewRecords, standardRun, tempRunsDir, writeRun } from "./fixtures.js";
import { TmuxServer } from "../support/tmux.js";
import { eventually } from "./render.js";

/**
 * The real `trajlab review` binary in a real terminal (tmux): a reviewer
 * grades, quits, and the grades are in the file; a killed session loses
 * nothing and resumes. tmux runs on its own socket so a developer's sessions
 * are never touched.
 */

const BIN = resolve(import.meta.dirname, "../../bin/trajlab.js");
const server = new TmuxServer("e2e");
const tmux = (...args: string[]): string => server.tmux(...args);
const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

/** Starts the review in a 100×30 pane, capturing every byte it writes to `raw`. */
async function startReview(name: string, runsDir: string, raw: string, runs: readonly string[] = []): Promise<void> {
  // CI=true as on a CI machine, where Ink would draw nothing until exit unless the review overrides it.
  const command = `read go; CI=true exec ${quote(process.execPath)} ${quote(BIN)} review ${runs.map(quote).join(" ")} --runs-dir ${quote(runsDir)} --reviewer e2e`;
  // tmux runs this with `sh -c`; `exec` makes the pane's process the review itself, so its pid and exit status are the program's.
  tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", command);
  tmux("set-option", "-t", name, "remain-on-exit", "on");
  tmux("pipe-pane", "-t", name, "-o", `cat >> ${quote(raw)}`);
  // The program starts only now, with its output already being captured.
  tmux("send-keys", "-t", name, "go", "Enter");
  await server.waitFor(name, (text) => text.includes("reviewed"), "the queue");
}

/** Whether the screen's cursor line (the one starting with ›) shows `text`. */
const cursorOn = (screenText: string, text: string): boolean =>
  screenText.split("\n").some((line) => line.startsWith("›") && line.includes(text));

/** The pid of the program in a pane (the shell exec'd into it). */
const panePid = (name: string): number => Number(tmux("display-message", "-p", "-t", name, "#{pane_pid}").trim());

/**
 * Waits until a process has ended (gone, or a zombie nobody reaped yet: tmux
 * reaps its panes' processes only when it gets round to it).
 */
function waitForEnd(pid: number, name: string): Promise<true> {
  return eventually(
    () => {
      try {
        return execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" })
          .trim()
          .startsWith("Z");
      } catch {
        return true;
      }
    },
    () => `process ${pid} in ${name} to end; processes on its terminal:\n${processesOn(name)}\nthe screen was:\n${server.screen(name)}`,
    45_000,
  );
}

function processesOn(name: string): string {
  const tty = tmux("display-message", "-p", "-t", name, "#{pane_tty}").trim().replace("/dev/", "");
  try {
    return execFileSync("ps", ["-o", "pid,ppid,stat,cmd", "-t", tty], { encoding: "utf8" });
  } catch {
    return "(none)";
  }
}

function records(runsDir: string): Promise<ReviewRecord[]> {
  return readReviewRecords(join(runsDir, "run-1", "reviews", "e2e.jsonl"));
}

beforeAll(() => {
  try {
    execFileSync("tmux", ["-V"]);
  } catch {
    throw new Error("tmux is required for the end-to-end review test: install it (apt-get install tmux, brew install tmux); .ci/run does");
  }
});
afterAll(() => server.kill());

describe("trajlab review in a real terminal", () => {
  it("grades a step and the plan, quits, and the grades are in the reviewer's file; hostile text never reaches the terminal raw", async () => {
    const runsDir = await tempRunsDir();
    const { trajectories } = await standardRun(runsDir, "run-1");
    const hostile = makeTrajectory({
      id: "tr-hostile",
      runId: "run-1",
      scenarioId: "retail.hostile",
      calls: [{ name: "lookup", args: { q: "x" }, result: { text: HOSTILE_TEXT }, resultText: HOSTILE_TEXT }],
      finalAnswer: HOSTILE_TEXT,
    });
    await writeRun(runsDir, "run-1", [...trajectories, hostile]);
    const raw = join(runsDir, "raw.bin");
    await startReview("grade", runsDir, raw);

    tmux("send-keys", "-t", "grade", "Enter");
    await server.waitFor("grade", (text) => text.includes("0/3 graded"), "the first trajectory");
    tmux("send-keys", "-t", "grade", "1");
    await server.waitFor("grade", (text) => text.includes("1/3 graded") && /saved \d\d:\d\d:\d\d/.test(text), "the verdict saved");
    tmux("send-keys", "-t", "grade", "p");
    await server.waitFor("grade", (text) => text.includes("score (1-5)"), "the plan form");
    tmux("send-keys", "-t", "grade", "4");
    await server.waitFor("grade", (text) => text.includes("[4]"), "the score");
    tmux("send-keys", "-t", "grade", "y");
    await server.waitFor("grade", (text) => text.includes("[pass]"), "the plan passed");
    tmux("send-keys", "-t", "grade", "Escape");
    await server.waitFor("grade", (text) => text.includes("plan 4/5 pass"), "the plan saved");
    tmux("send-keys", "-t", "grade", "Escape");
    await server.waitFor("grade", (text) => text.includes("1 of 5 reviewed") && text.includes("retail.hostile"), "back in the queue");
    tmux("send-keys", "-t", "grade", "G", "Enter");
    await server.waitFor("grade", (text) => text.includes("␛[31mred"), "the hostile result, made visible");
    tmux("send-keys", "-t", "grade", "Tab", "Tab");
    await server.waitFor("grade", (text) => text.includes("outcome and state diff"), "the outcome pane");
    const gradePid = panePid("grade");
    tmux("send-keys", "-t", "grade", "q");
    await server.waitFor("grade", (text) => text.includes("reviews saved in"), "the goodbye line, printed after the last flush", {
      history: true,
    });
    await waitForEnd(gradePid, "grade");

    const saved = await records(runsDir);
    expect(saved[0]).toMatchObject({
      reviewer: "e2e",
      trajectoryId: "tr-ref-cancel",
      target: { kind: "step", eventId: "e4" },
      verdict: "correct",
    });
    expect(saved.at(-1)).toMatchObject({
      trajectoryId: "tr-ref-cancel",
      target: { kind: "plan" },
      rating: 4,
      score: 0.75,
      verdict: "pass",
    });

    const bytes = await readFile(raw);
    const text = bytes.toString("utf8");
    expect(text).toContain("␛[31mred");
    expect(text).not.toContain("\u001B[31mred");
    expect(text).not.toContain("\u001B]");
    expect(bytes.includes(Buffer.from([0x07]))).toBe(false);
    expect(bytes.includes(Buffer.from([0xc2, 0x9b]))).toBe(false);
    expect(text).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
  }, 120_000);

  it("loses nothing when killed mid-session, skips a torn last line, and resumes at the first ungraded step", async () => {
    const runsDir = await tempRunsDir();
    await standardRun(runsDir, "run-1");
    await startReview("crash", runsDir, join(runsDir, "raw.bin"));
    tmux("send-keys", "-t", "crash", "Enter");
    await server.waitFor("crash", (text) => text.includes("0/3 graded"), "the first trajectory");
    tmux("send-keys", "-t", "crash", "1");
    await server.waitFor("crash", (text) => /saved \d\d:\d\d:\d\d/.test(text), "the verdict saved");
    const pid = panePid("crash");
    process.kill(pid, "SIGKILL");
    await waitForEnd(pid, "crash");
    expect((await records(runsDir)).map((r) => r.verdict)).toEqual(["correct"]);

    // What a crash in the middle of a write leaves behind.
    await appendFile(join(runsDir, "run-1", "reviews", "e2e.jsonl"), '{"schemaVersion":1,"reviewer":"e2e","at":"2026');
    await startReview("reopen", runsDir, join(runsDir, "raw2.bin"));
    await server.waitFor(
      "reopen",
      (text) => text.includes("torn last line") && text.includes("(1 in progress)"),
      "the warning and the resumed progress",
    );
    tmux("send-keys", "-t", "reopen", "Enter");
    // The cursor's line is part of what is waited for: a capture can fall between the lines of one redraw.
    const resumed = await server.waitFor(
      "reopen",
      (text) => text.includes("1/3 graded") && cursorOn(text, "e6 tool"),
      "the trajectory at e6",
    );
    expect(resumed.split("\n").find((line) => line.startsWith("›"))).toContain("e6 tool");
    tmux("send-keys", "-t", "reopen", "2");
    await server.waitFor("reopen", (text) => text.includes("why · e6"), "the reason form, in the detail pane");
    tmux("send-keys", "-t", "reopen", "-l", "twice");
    tmux("send-keys", "-t", "reopen", "Enter");
    await server.waitFor("reopen", (text) => text.includes("2/3 graded"), "the second verdict");
    const reopenPid = panePid("reopen");
    tmux("send-keys", "-t", "reopen", "q");
    await server.waitFor("reopen", (text) => text.includes("reviews saved in"), "the goodbye line", { history: true });
    await waitForEnd(reopenPid, "reopen");
    const saved = await records(runsDir);
    expect(saved.map((r) => [r.target.kind === "step" ? r.target.eventId : r.target.kind, r.verdict, r.note])).toEqual([
      ["e4", "correct", null],
      ["e6", "skippable", null],
      ["e6", "skippable", "twice"],
    ]);
  }, 120_000);

  it("reopens where the reviewer stopped, with the sort they chose, and a newer run says where work is in progress", async () => {
    const runsDir = await tempRunsDir();
    await standardRun(runsDir, "run-1");
    await startReview("left", runsDir, join(runsDir, "raw.bin"));
    tmux("send-keys", "-t", "left", "s");
    await server.waitFor("left", (text) => text.includes("sort: scenario"), "the queue sorted by scenario");
    tmux("send-keys", "-t", "left", "j", "Enter");
    await server.waitFor("left", (text) => text.includes("0/4 graded"), "the wasteful trajectory");
    tmux("send-keys", "-t", "left", "1");
    await server.waitFor(
      "left",
      (text) => text.includes("1/4 graded") && text.split("\n").some((line) => line.startsWith("›") && line.includes("e6")),
      "the cursor on e6",
    );
    const leftPid = panePid("left");
    tmux("send-keys", "-t", "left", "q");
    await waitForEnd(leftPid, "left");

    await writeRun(runsDir, "run-2", [makeTrajectory({ id: "tr-new", runId: "run-2" })]);
    await startReview("newer", runsDir, join(runsDir, "raw2.bin"));
    const notice = await server.waitFor("newer", (text) => text.includes("unfinished work"), "the notice of earlier work");
    expect(notice).toContain("your unfinished work: trajlab review run-1 (0 of 4 done, 1 started)");
    const newerPid = panePid("newer");
    tmux("send-keys", "-t", "newer", "q");
    await waitForEnd(newerPid, "newer");

    await startReview("back", runsDir, join(runsDir, "raw3.bin"), ["run-1"]);
    const back = await server.waitFor(
      "back",
      (text) => text.includes("1/4 graded") && cursorOn(text, "e6 tool") && text.includes("policy:wasteful"),
      "the trajectory reopened at e6",
    );
    expect(back).toContain("retail.cancel-order #0");
    expect(back).toContain("policy:wasteful");
    expect(back.split("\n").find((line) => line.startsWith("›"))).toContain("e6 tool");
    tmux("send-keys", "-t", "back", "Escape");
    await server.waitFor("back", (text) => text.includes("sort: scenario"), "the queue, still sorted by scenario");
    const backPid = panePid("back");
    tmux("send-keys", "-t", "back", "q");
    await waitForEnd(backPid, "back");
  }, 120_000);
});
