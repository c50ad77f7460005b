import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { lstat, readFile, rmdir, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import lockfile from "proper-lockfile";
import type { TrajlabError } from "../../errors/index.js";

/**
 * Exclusive writers. A lock is a directory made with `mkdir` (atomic on every
 * filesystem, network ones included) by `proper-lockfile`, which keeps its
 * mtime fresh while the holder lives: a lock whose mtime is older than
 * {@link LOCK_STALE_MS} is stale, whichever host made it. Who holds it is
 * written beside it (`<lock>.holder`), so that a busy lock names its holder
 * and a lock left by a process of this host that is gone (killed, or a zombie
 * not reaped yet) is taken over at once instead of after the stale time.
 *
 * Taking a lock over is the step where two processes could both win (both
 * find it stale, one removes it and makes its own, the other then removes
 * that one). So every attempt to take a lock runs under a second, short-lived
 * lock (`<lock>.guard`), held only while the attempt looks, removes and
 * makes: attempts on one lock happen one at a time, and exactly one wins.
 */

/** A lock whose mtime is older than this is stale: its holder stopped refreshing it. */
export const LOCK_STALE_MS = 20_000;
/** How often a holder refreshes its lock's mtime. */
const LOCK_UPDATE_MS = 5_000;
/** How long an attempt waits for another attempt on the same lock (not for the lock itself). */
const GUARD_RETRIES = { retries: 60, factor: 1.3, minTimeout: 5, maxTimeout: 250 };

/** Who holds a lock: a process on a host, since when, and what for. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** What the process is doing, e.g. `review by ana` or `trajlab run`. */
  readonly purpose?: string;
  /** Tells this holder's file from that of a later holder with the same pid. */
  readonly token?: string;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly path: string;
  /**
   * Aborted if the lock is lost while held (its mtime could not be refreshed
   * in time, e.g. the event loop was blocked for longer than the stale time,
   * so another process may have taken it over): stop writing.
   */
  readonly lost: AbortSignal;
  /** Gives the lock up (once; later calls do nothing). */
  release(): Promise<void>;
}

/** Paths this process holds locks on, so a holder file naming this pid is known to be ours or stale. */
const heldHere = new Set<string>();

/**
 * Takes the lock at `path` (a directory; `<path>.holder` names the holder)
 * for this process. A stale lock (see the module comment) is taken over;
 * when a live process holds it, throws what `busy` makes of the holder.
 */
export async function takeLock(path: string, purpose: string, busy: (holder: LockHolder) => TrajlabError): Promise<HeldLock> {
  const releaseGuard = await lockfile
    .lock(`${path}.guard`, { lockfilePath: `${path}.guard`, realpath: false, stale: 2_000, retries: GUARD_RETRIES })
    .catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === "ELOCKED") throw busy((await liveHolder(path)) ?? unknownHolder());
      throw error;
    });
  try {
    const legacyHolder = await clearIfGone(path);
    if (legacyHolder) throw busy(legacyHolder);
    const lost = new AbortController();
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(path, {
        lockfilePath: path,
        realpath: false,
        stale: LOCK_STALE_MS,
        update: LOCK_UPDATE_MS,
        onCompromised: (error) => lost.abort(error),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ELOCKED") throw busy((await liveHolder(path)) ?? unknownHolder());
      throw error;
    }
    const owner: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose, token: token() };
    heldHere.add(path);
    await writeFile(holderFile(path), JSON.stringify(owner));
    let released: Promise<void> | null = null;
    return {
      path,
      lost: lost.signal,
      release: () =>
        (released ??= (async () => {
          heldHere.delete(path);
          if (lost.signal.aborted) return;
          // The holder file goes first: whoever finds the directory without it judges by mtime alone.
          if ((await readHolder(path))?.token === owner.token) await unlink(holderFile(path)).catch(() => undefined);
          await release().catch(() => undefined);
        })()),
    };
  } finally {
    await releaseGuard().catch(() => undefined);
  }
}

/**
 * The process holding the lock at `path`, or null when nothing holds it (no
 * lock, a stale one, or one whose process on this host is gone). A fresh lock
 * whose holder file is missing (being taken or given up) has an unknown holder.
 */
export async function liveHolder(path: string): Promise<LockHolder | null> {
  const stats = await lstat(path).catch(() => null);
  if (!stats) return null;
  if (!stats.isDirectory()) {
    // A lock file of trajlab before locks were directories: its holder is in it.
    const holder = await readJson(path);
    return holder && !isGone(holder, path) ? holder : null;
  }
  const holder = await readHolder(path);
  if (holder && isGone(holder, path)) return null;
  if (stats.mtimeMs < Date.now() - LOCK_STALE_MS) return null;
  return holder ?? unknownHolder(stats.mtime);
}

/** How a holder is named in messages: `pid 123 (since ...)`, with its host when it is another one. */
export function describeHolder(holder: LockHolder): string {
  if (holder.pid <= 0) return `a process that has not said who it is (since ${holder.since})`;
  const host = holder.host === hostname() ? "" : ` on host ${holder.host}`;
  return `pid ${holder.pid}${host}, since ${holder.since}`;
}

/**
 * Under the guard: removes a lock whose holder on this host is gone, so it
 * need not go stale first. Returns the live holder of a lock file of trajlab
 * before locks were directories (which only its holder's liveness can free).
 */
async function clearIfGone(path: string): Promise<LockHolder | null> {
  const stats = await lstat(path).catch(() => null);
  if (!stats) return null;
  if (!stats.isDirectory()) {
    const holder = await readJson(path);
    if (holder && !isGone(holder, path)) return holder;
    await unlink(path);
    return null;
  }
  const holder = await readHolder(path);
  if (holder && isGone(holder, path)) {
    await unlink(holderFile(path)).catch(() => undefined);
    await rmdir(path).catch(() => undefined);
  }
  return null;
}

function holderFile(path: string): string {
  return `${path}.holder`;
}

async function readHolder(path: string): Promise<LockHolder | null> {
  return readJson(holderFile(path));
}

async function readJson(file: string): Promise<LockHolder | null> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as Partial<LockHolder> | null;
    return value && typeof value.pid === "number" && typeof value.host === "string" ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}

function unknownHolder(since = new Date()): LockHolder {
  return { pid: 0, host: "", since: since.toISOString() };
}

function token(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Whether the process a holder file names is known to be gone: on this host,
 * not running (or a zombie), or this very process without holding the lock
 * (its pid was reused, as happens in containers). On another host nothing is
 * known: only the lock's mtime tells.
 */
function isGone(holder: LockHolder, path: string): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(path);
  return !isAlive(holder.pid);
}

/**
 * Whether a process that may hold a lock is still running. A killed process
 * whose parent has not reaped it yet (a zombie) still answers signal 0, but it
 * can no longer write anything, so on Linux its state in /proc counts too.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // Field 3 of /proc/<pid>/stat, after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}
