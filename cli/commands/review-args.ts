import { userInfo } from "node:os";
import { openRun, type RunDirectory, TrajlabError } from "../../harness/core.js";

/** The reviewer's name: `--reviewer`, else `TRAJLAB_REVIEWER`, else the login name. */
export function reviewerName(explicit?: string): string {
  const name = explicit ?? process.env.TRAJLAB_REVIEWER ?? safeLogin();
  if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new TrajlabError("BAD_REVIEWER", `reviewer name ${JSON.stringify(name ?? "")} cannot name a file`, {
      hint: "pass --reviewer <name> using letters, digits, '.', '_' or '-'",
    });
  }
  return name;
}

function safeLogin(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME;
  }
}

/** The runs named on the command line (each once), or the latest run when none is named. */
export async function openRuns(runsDir: string, args: readonly string[]): Promise<RunDirectory[]> {
  if (args.length === 0) return [await openRun(runsDir)];
  const runs: RunDirectory[] = [];
  for (const arg of args) {
    const run = await openRun(runsDir, arg);
    if (runs.some((known) => known.path === run.path)) continue;
    runs.push(run);
  }
  return runs;
}
