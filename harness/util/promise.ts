/** True when a value that may come back synchronously or as a promise is the promise (any thenable). */
export function isPromise<R>(value: R | Promise<R>): value is Promise<R> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
