/** Brings dist/ up to date with the sources; throws when the compiler reports errors. */
export function build(): "fresh" | "incremental" | "up to date";
