import pLimit from "p-limit";

/** Runs a model call when a slot of its provider is free. */
export type CallLimit = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * Counters of calls in flight per provider in memory several threads share
 * (worker threads running trials of one run), so a provider's limit holds
 * across all of them, not per thread.
 */
export interface SharedCallSlots {
  /** One counter per provider, in a SharedArrayBuffer. */
  readonly counts: Int32Array;
  /** The counter's index of each provider. */
  readonly providers: Readonly<Record<string, number>>;
}

/** Counters for the given providers, to hand to every thread that calls them. */
export function sharedCallSlots(providers: readonly string[]): SharedCallSlots {
  const unique = [...new Set(providers)];
  const counts = new Int32Array(new SharedArrayBuffer(Math.max(1, unique.length) * Int32Array.BYTES_PER_ELEMENT));
  return { counts, providers: Object.fromEntries(unique.map((provider, index) => [provider, index])) };
}

/** Atomics.waitAsync (in Node since 16), which TypeScript's ES2023 library does not declare. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

let waitingHere = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;

/**
 * Waits for the counter to change from `value`. A pending Atomics.waitAsync
 * does not keep a thread's event loop alive: while a call of this thread
 * waits, a timer does, or a worker whose every trial waits for a slot would
 * simply end.
 */
async function changeFrom(counts: Int32Array, index: number, value: number): Promise<void> {
  const waiting = waitAsync(counts, index, value);
  if (!waiting.async) return;
  if (waitingHere++ === 0) keepAlive = setInterval(() => undefined, 60_000);
  try {
    await waiting.value;
  } finally {
    if (--waitingHere === 0) clearInterval(keepAlive);
  }
}

/** A limit of `size` calls at once within this thread. */
export function localLimit(size: number): CallLimit {
  const limit = pLimit(size);
  return (call) => limit(call);
}

/**
 * A limit of `size` calls at once over every thread holding `slots`: a call
 * takes a slot with a compare-and-swap, or waits (without blocking its
 * thread, Atomics.waitAsync) until a call somewhere ends and frees one.
 */
export function sharedLimit(slots: SharedCallSlots, provider: string, size: number): CallLimit | undefined {
  const index = slots.providers[provider];
  if (index === undefined) return undefined;
  const { counts } = slots;
  const acquire = async (): Promise<void> => {
    for (;;) {
      const busy = Atomics.load(counts, index);
      if (busy < size) {
        if (Atomics.compareExchange(counts, index, busy, busy + 1) === busy) return;
        continue;
      }
      await changeFrom(counts, index, busy);
    }
  };
  const release = (): void => {
    Atomics.sub(counts, index, 1);
    Atomics.notify(counts, index, 1);
  };
  return async (call) => {
    await acquire();
    try {
      return await call();
    } finally {
      release();
    }
  };
}
