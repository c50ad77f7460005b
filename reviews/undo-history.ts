import { ReviewLedger } from "./ledger.js";
import { batchOf, targetKey, type ReviewRecord } from "./record.js";

/** Records given together, and what their targets held before (for undo). */
export interface UndoEntry {
  readonly written: readonly ReviewRecord[];
  readonly previous: readonly (ReviewRecord | undefined)[];
}

/**
 * The undo stack of earlier sessions, rebuilt from the reviewer's records:
 * every grade given (records given together share one entry), minus those a
 * later undo record took back. Undoing an undo is not offered, here as in a
 * session.
 */
export function undoHistory(records: readonly ReviewRecord[]): UndoEntry[] {
  // Several runs' files interleave by time; within a file, order is file order.
  const ordered = records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.at.localeCompare(b.record.at) || a.index - b.index);
  const ledger = new ReviewLedger([]);
  const stack: { written: ReviewRecord[]; previous: (ReviewRecord | undefined)[] }[] = [];
  for (const { record } of ordered) {
    const key = targetKey(record.trajectoryId, record.target);
    if (record.undoes === null) {
      const top = stack.at(-1);
      const sameBatch =
        top !== undefined &&
        batchOf(top.written[0]!) === batchOf(record) &&
        !top.written.some((written) => targetKey(written.trajectoryId, written.target) === key);
      const previous = ledger.current(record.trajectoryId, record.target);
      if (sameBatch) {
        top.written.push(record);
        top.previous.push(previous);
      } else {
        stack.push({ written: [record], previous: [previous] });
      }
    } else {
      for (let i = stack.length - 1; i >= 0; i -= 1) {
        const entry = stack[i]!;
        const at = entry.written.findIndex(
          (written) => batchOf(written) === record.undoes && targetKey(written.trajectoryId, written.target) === key,
        );
        if (at < 0) continue;
        entry.written.splice(at, 1);
        entry.previous.splice(at, 1);
        if (entry.written.length === 0) stack.splice(i, 1);
        break;
      }
    }
    ledger.apply(record);
  }
  return stack;
}
