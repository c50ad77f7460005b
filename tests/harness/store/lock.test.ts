import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { TrajlabError } from "../../../errors/index.js";
import { describeHolder, liveHolder, LOCK_STALE_MS, takeLock } from "../../../harness/store/lock.js";
import { tempFolder } from "../../support/cli.js";

const CONTENDER = resolve(import.meta.dirname, "../../support/lock-contender.ts");
/** Races per kind of lock left behind (each one costs the hold time, 250 ms). */
const ROUNDS = Number(process.env.TRAJLAB_LOCK_ROUNDS ?? 6);
const busy = (): TrajlabError => new TrajlabError("RUN_IN_USE", "busy");

/** Processes that race for a lock each time they are told to, all at once. */
async function contenders(count: number): Promise<{ race(path: string): Promise<string[]>; stop(): void }> {
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ["--import", "tsx", CONTENDER, "250"], { stdio: ["pipe", "pipe", "inherit"] });
    const lines: string[] = [];
    let waiting: (() => void) | null = null;
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      waiting?.();
    });
    const next = async (): Promise<string> => {
      while (lines.length === 0) await new Promise<void>((done) => (waiting = done));
      return lines.shift()!;
    };
    return { child, next };
  });
  for (const { next } of children) expect(await next()).toBe("ready");
  return {
    async race(path) {
      for (const { child } of children) child.stdin.write(`${path}\n`);
      return Promise.all(
        children.map(async ({ next }) => {
          const outcome = await next();
          expect(await next()).toBe("done");
          return outcome;
        }),
      );
    },
    stop: () => children.forEach(({ child }) => child.stdin.end()),
  };
}

/** A lock left behind: its directory, with a holder file naming `holder`, last refreshed `ageMs` ago. */
async function leftBehind(path: string, holder: { pid: number; host: string }, ageMs: number): Promise<void> {
  await mkdir(path);
  await writeFile(`${path}.holder`, JSON.stringify({ ...holder, since: "2026-11-21T08:00:00.000Z" }));
  const then = new Date(Date.now() - ageMs);
  await utimes(path, then, then);
}

describe("takeLock", () => {
  it("lets exactly one of several processes win a race, with no lock, a stale one, or one whose holder died", async () => {
    const folder = await tempFolder("trajlab-lock-");
    const deadPid = await new Promise<number>((done) => {
      const child = spawn(process.execPath, ["-e", ""]);
      child.on("exit", () => done(child.pid!));
    });
    const setups: Array<[string, (path: string) => Promise<void>]> = [
      ["none", async () => undefined],
      ["stale, held on another host", (path) => leftBehind(path, { pid: 4242, host: "elsewhere" }, LOCK_STALE_MS + 5_000)],
      ["held by a dead process of this host", (path) => leftBehind(path, { pid: deadPid, host: hostname() }, 0)],
    ];
    const racers = await contenders(3);
    const winners: Record<string, number[]> = {};
    try {
      for (const [name, setup] of setups) {
        winners[name] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const path = join(folder, `${name.replace(/\W+/g, "-")}-${round}.lock`);
          await setup(path);
          const outcomes = await racers.race(path);
          expect(outcomes.filter((outcome) => outcome !== "won" && outcome !== "busy")).toEqual([]);
          winners[name]!.push(outcomes.filter((outcome) => outcome === "won").length);
          expect(existsSync(path)).toBe(false);
        }
      }
    } finally {
      racers.stop();
    }
    expect(winners).toEqual(Object.fromEntries(setups.map(([name]) => [name, Array<number>(ROUNDS).fill(1)])));
  }, 60_000);

  it("treats a fresh lock held on another host as held, and names the holder", async () => {
    const path = join(await tempFolder("trajlab-lock-"), "run.lock");
    await leftBehind(path, { pid: 4242, host: "elsewhere" }, 0);
    await expect(takeLock(path, "test", busy)).rejects.toThrow("busy");
    const holder = await liveHolder(path);
    expect(holder).toMatchObject({ pid: 4242, host: "elsewhere" });
    expect(describeHolder(holder!)).toBe("pid 4242 on host elsewhere, since 2026-11-21T08:00:00.000Z");
  });

  it("holds a lock until released, refuses it meanwhile within the process too, and frees it on release", async () => {
    const path = join(await tempFolder("trajlab-lock-"), "run.lock");
    const lock = await takeLock(path, "first", busy);
    expect(await liveHolder(path)).toMatchObject({ pid: process.pid, host: hostname(), purpose: "first" });
    await expect(takeLock(path, "second", busy)).rejects.toThrow("busy");
    await lock.release();
    await lock.release();
    expect(existsSync(path)).toBe(false);
    expect(await liveHolder(path)).toBeNull();
    const again = await takeLock(path, "third", busy);
    expect(again.lost.aborted).toBe(false);
    await again.release();
  });

  it("takes over a lock file of an older trajlab whose process is gone, and refuses one whose process lives", async () => {
    const path = join(await tempFolder("trajlab-lock-"), "run.lock");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      await writeFile(path, JSON.stringify({ pid: holder.pid, host: hostname(), since: "then" }));
      await expect(takeLock(path, "test", busy)).rejects.toThrow("busy");
    } finally {
      holder.kill();
    }
    await new Promise((done) => holder.on("exit", done));
    const lock = await takeLock(path, "test", busy);
    expect((await liveHolder(path))?.pid).toBe(process.pid);
    await lock.release();
  });
});
