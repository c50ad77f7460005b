/** What a build did, and the compiler's type errors (empty when there are none). */
export interface BuildResult {
  readonly kind: "fresh" | "incremental" | "up to date";
  readonly typeErrors: string;
}

/** Brings dist/ up to date with the sources; with `strict`, type errors throw instead of being returned. */
export function build(options?: { strict?: boolean }): BuildResult;

/** Bundles `entry` into `outfile` as `trajlab review` is bundled (the same stand-ins and settings). */
export function bundle(entry: string, outfile: string): void;
