import { readFileSync } from "node:fs";
import { open, readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { TrajlabError } from "../../errors/index.js";

/** Who holds a lock file: a process on a host, since when, and what for. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** What the process is doing, e.g. `review by ana` or `trajlab run`. */
  readonly purpose?: string;
}

/** A lock this process holds; `release` deletes its file. */
export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes the lock file at `path` for this process: created exclusively, or
 * taken over when the process that holds it is gone (killed, or a zombie not
 * reaped yet) or is this one. When a live process on this host holds it,
 * throws what `busy` makes of the holder.
 */
export async function takeLock(path: string, purpose: string, busy: (holder: LockHolder) => TrajlabError): Promise<HeldLock> {
  const owner: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
  const held: HeldLock = { path, release: () => unlink(path).catch(() => undefined) };
  try {
    const handle = await open(path, "wx");
    await handle.writeFile(JSON.stringify(owner));
    await handle.close();
    return held;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const holder = await readHolder(path);
  if (holder && holder.host === owner.host && holder.pid !== process.pid && isAlive(holder.pid)) throw busy(holder);
  // Stale (its process is gone) or this process's own: take it over.
  await writeFile(path, JSON.stringify(owner));
  return held;
}

/** The live process holding the lock at `path`, or null (no lock, or its process is gone). */
export async function liveHolder(path: string): Promise<LockHolder | null> {
  const holder = await readHolder(path);
  return holder && holder.host === hostname() && isAlive(holder.pid) ? holder : null;
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockHolder;
  } catch {
    return null;
  }
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
