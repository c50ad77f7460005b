import { TrajlabError, isTrajlabError, type ErrorCode } from "../../errors/index.js";

/**
 * File-system failures are the user's environment, not trajlab's bugs: each
 * becomes a {@link TrajlabError} saying what happened where, and the fix.
 */
const EXPLAINED: Record<string, (path: string, action: string) => { code: ErrorCode; message: string; hint: string }> = {
  EACCES: (path, action) => ({
    code: "FS_PERMISSION",
    message: `permission denied: cannot ${action} ${path}`,
    hint: `give your user access to ${path} (and the folder it is in), or choose another folder (--runs-dir, or TRAJLAB_RUNS_DIR)`,
  }),
  EPERM: (path, action) => ({
    code: "FS_PERMISSION",
    message: `operation not permitted: cannot ${action} ${path}`,
    hint: `check the permissions and attributes of ${path}, or choose another folder (--runs-dir, or TRAJLAB_RUNS_DIR)`,
  }),
  EROFS: (path, action) => ({
    code: "FS_PERMISSION",
    message: `read-only file system: cannot ${action} ${path}`,
    hint: "write runs to a writable folder (--runs-dir, or TRAJLAB_RUNS_DIR)",
  }),
  ENOTDIR: (path) => ({
    code: "FS_NOT_A_FOLDER",
    message: `${path}: part of this path is a file, where a folder was expected`,
    hint: "--runs-dir (or TRAJLAB_RUNS_DIR) must name a folder (it is created if missing); move the file away or choose another path",
  }),
  EISDIR: (path) => ({
    code: "FS_NOT_A_FILE",
    message: `${path} is a folder, where a file was expected`,
    hint: "move the folder away, or give the path of a file",
  }),
  ENOENT: (path, action) => ({
    code: "FS_MISSING",
    message: `cannot ${action} ${path}: no such file or folder`,
    hint: "check the path; if a folder was removed while trajlab ran, run the command again",
  }),
  ENOSPC: (path) => ({
    code: "DISK_FULL",
    message: `no space left on the device writing ${path}`,
    hint: "free some disk space; everything written before is kept (a line cut short is set aside when the file is next appended to)",
  }),
  EDQUOT: (path) => ({
    code: "DISK_FULL",
    message: `disk quota exceeded writing ${path}`,
    hint: "free some space or raise the quota; everything written before is kept",
  }),
  EMFILE: (path) => ({
    code: "FS_TOO_MANY_OPEN",
    message: `too many open files (at ${path})`,
    hint: "lower --concurrency, or raise the limit (ulimit -n)",
  }),
  ENFILE: (path) => ({
    code: "FS_TOO_MANY_OPEN",
    message: `the system has too many open files (at ${path})`,
    hint: "lower --concurrency, or close other programs",
  }),
  ENAMETOOLONG: (path) => ({
    code: "FS_PATH_TOO_LONG",
    message: `path too long: ${path}`,
    hint: "choose a shorter --runs-dir or run id",
  }),
};

const ACTIONS: Record<string, string> = {
  open: "open",
  mkdir: "create the folder",
  rmdir: "remove the folder",
  scandir: "list the folder",
  rename: "rename",
  unlink: "remove",
  write: "write",
  read: "read",
  stat: "read",
  lstat: "read",
  utime: "update",
  copyfile: "copy",
  fsync: "write",
};

/**
 * The error as a {@link TrajlabError}: itself, or a file-system failure
 * (EACCES, ENOTDIR, ENOSPC, ...) explained with its fix; null for anything
 * else (which is a bug).
 */
export function asTrajlabError(error: unknown): TrajlabError | null {
  if (isTrajlabError(error)) return error;
  const system = error as NodeJS.ErrnoException | null;
  const explain = typeof system?.code === "string" && typeof system.syscall === "string" ? EXPLAINED[system.code] : undefined;
  if (!explain) return null;
  const { code, message, hint } = explain(system!.path ?? "(unknown path)", ACTIONS[system!.syscall!] ?? system!.syscall!);
  return new TrajlabError(code, message, { hint, cause: error });
}
