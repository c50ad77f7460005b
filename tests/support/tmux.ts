import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { eventually } from "../reviews/render.js";

/**
 * A tmux server of a test's own (its own socket, so a developer's sessions
 * are never touched): start a program in a pane of a fixed size, send keys,
 * wait for what the screen shows.
 */
export class TmuxServer {
  private readonly socket: string[];

  constructor(name: string) {
    this.socket = ["-L", `trajlab-${name}-${process.pid}`];
  }

  /** Runs a tmux command on this server and returns what it printed. */
  tmux(...args: string[]): string {
    return execFileSync("tmux", [...this.socket, ...args], { encoding: "utf8" });
  }

  /** Starts `command` (run by `sh -c` in `cwd`) in a new session of the given size; the pane stays after it exits. */
  start(session: string, command: string, options: { cwd: string; width?: number; height?: number }): void {
    const { cwd, width = 100, height = 30 } = options;
    this.tmux("new-session", "-d", "-s", session, "-c", cwd, "-x", String(width), "-y", String(height), command);
    this.tmux("set-option", "-t", session, "remain-on-exit", "on");
  }

  /**
   * What the pane shows now; with `history`, also what scrolled off its top.
   * A program's last line needs it once the program ended: tmux writes its
   * "Pane is dead" line on the pane's last row with a line feed, which can
   * scroll the first row off the screen.
   */
  screen(session: string, { history = false } = {}): string {
    return this.tmux("capture-pane", "-p", ...(history ? ["-S", "-"] : []), "-t", session);
  }

  /** Sends keys (tmux key names, such as "Enter" or "q"). */
  keys(session: string, ...keys: string[]): void {
    this.tmux("send-keys", "-t", session, ...keys);
  }

  /** Waits until the pane shows what `predicate` looks for (never a fixed sleep). */
  waitFor(
    session: string,
    predicate: (text: string) => boolean,
    what: string,
    { timeoutMs = 45_000, history = false }: { timeoutMs?: number; history?: boolean } = {},
  ): Promise<string> {
    return eventually(
      () => {
        const text = this.screen(session, { history });
        return predicate(text) ? text : false;
      },
      () => `${what}; the screen was:\n${this.screen(session, { history })}`,
      timeoutMs,
    );
  }

  /**
   * Whether the pane's program has exited: `null` while it runs, else how it
   * ended, as "exit <status>" or "signal <number>". tmux marks a pane dead
   * when its terminal closes, which can come before it has collected the
   * program's status; until then both are empty and this says `null` too.
   */
  exitStatus(session: string): string | null {
    const [dead, status, signal] = this.tmux("display-message", "-p", "-t", session, "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}")
      .trim()
      .split("|");
    if (dead !== "1" || (!status && !signal)) return null;
    return status ? `exit ${status}` : `signal ${signal}`;
  }

  /** Stops the server and removes its socket. */
  kill(): void {
    let socket = "";
    try {
      socket = this.tmux("display-message", "-p", "#{socket_path}").trim();
      this.tmux("kill-server");
    } catch {
      // No server left: nothing to stop.
    }
    if (socket) rmSync(socket, { force: true });
  }
}
