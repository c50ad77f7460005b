import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CodeBlock } from "./markdown.js";

/** tmux on a socket of its own, so no one's sessions are touched. */
const SOCKET = ["-L", `trajlab-docs-${process.pid}`];
const tmux = (...args: string[]): string => execFileSync("tmux", [...SOCKET, ...args], { encoding: "utf8" });
const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
let sessions = 0;

/** How long a key may leave the screen unchanged before the next key is typed anyway. */
const KEY_SETTLE_MS = 1500;

/** Polls `probe` until it returns a value, or fails after `ms` with what `describe` says. */
async function until<T>(probe: () => T | false, ms: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs an interactive command (a `sh tty` block) in a real 100×30 terminal:
 * waits until the screen shows the block's `ready=<text>`, types its
 * `keys=<keys>` (tmux key names separated by spaces; default `q`), and
 * returns the exit status and the last screen once the program has ended.
 */
export async function runInTerminal(
  command: string,
  block: CodeBlock,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<{ code: number; output: string }> {
  const ready = block.attrs.ready;
  if (!ready) throw new Error("a ```sh tty block needs ready=<text the screen shows once the program is up>");
  const name = `doc-${(sessions += 1)}`;
  const script = join(dir, `.doc-runner/${name}.sh`);
  // The pane's shell gets exactly the doc environment, then waits for "go" so the exit status is kept from the start.
  const exports = Object.entries(env)
    .filter(([key]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    .map(([key, value]) => `export ${key}=${quote(value ?? "")}`)
    .join("\n");
  const statusFile = `${script}.status`;
  await writeFile(
    script,
    `${exports}\ncd ${quote(dir)}\nread go\nsource "$BASH_ENV"\n${command}\nprintf '%s' "$?" > ${quote(statusFile)}\n`,
  );
  // The server stays up between blocks: one that exits with its last session can still be
  // going away when the next block's session asks for it ("server exited unexpectedly").
  if (sessions === 1) tmux("start-server", ";", "set-option", "-g", "exit-empty", "off");
  tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", `bash --noprofile --norc ${quote(script)}`);
  const screen = (): string => tmux("capture-pane", "-p", "-t", name);
  const dead = (): boolean => tmux("display-message", "-p", "-t", name, "#{pane_dead}").trim() === "1";
  try {
    tmux("set-option", "-t", name, "remain-on-exit", "on");
    tmux("send-keys", "-t", name, "go", "Enter");
    await until(
      () => screen().includes(ready) || dead(),
      60_000,
      () => `the screen never showed "${ready}":\n${screen()}`,
    );
    for (const key of (block.attrs.keys ?? "q").split(" ")) {
      if (dead()) break;
      // One key at a time, each after the screen has answered the one before (or a moment has
      // passed, for a key that changes nothing): keys sent together can merge, Escape then "1"
      // arriving as Alt+1.
      const before = screen();
      tmux("send-keys", "-t", name, key);
      await until(
        () => screen() !== before || dead(),
        KEY_SETTLE_MS,
        () => "",
      ).catch(() => undefined);
    }
    await until(dead, 30_000, () => `the program did not end after the keys ${block.attrs.keys ?? "q"}:\n${screen()}`);
    // The script writes its command's status itself: tmux marks a pane dead when its terminal
    // closes and does not always have the status by then.
    const code = await until(
      () => (existsSync(statusFile) ? Number(readFileSync(statusFile, "utf8")) : false),
      15_000,
      () => `the program's exit status never came:\n${screen()}`,
    );
    return { code, output: screen() };
  } finally {
    tmux("kill-session", "-t", name);
  }
}

/** Ends the tmux server of the doc runner's terminals, if one was started. */
export function closeTerminals(): void {
  if (sessions === 0) return;
  try {
    execFileSync("tmux", [...SOCKET, "kill-server"], { stdio: "ignore" });
  } catch {
    // No session was left, so the server has already gone.
  }
}
