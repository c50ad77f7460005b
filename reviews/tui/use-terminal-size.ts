import { useStdout } from "ink";
import { useCallback, useSyncExternalStore } from "react";

/** Terminal size in character cells. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/**
 * The terminal's size, updated on resize. `fixed` pins it (tests render at
 * 80×24 whatever the host terminal is).
 */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const subscribe = useCallback(
    (onChange: () => void) => {
      stdout.on("resize", onChange);
      return () => {
        stdout.off("resize", onChange);
      };
    },
    [stdout],
  );
  // A string snapshot, so React compares sizes by value.
  const snapshot = useSyncExternalStore(subscribe, () => `${stdout.columns || 80}x${stdout.rows || 24}`);
  if (fixed) return fixed;
  const [columns, rows] = snapshot.split("x").map(Number) as [number, number];
  return { columns, rows };
}
