import type { RunDirectory } from "../../harness/index.js";

/** Starts the review TUI (placeholder until the Ink app lands). */
export async function startReview(_options: { run: RunDirectory; reviewer: string }): Promise<void> {
  throw new Error("review TUI not implemented yet");
}
