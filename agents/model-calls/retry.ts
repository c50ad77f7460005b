import { TrajlabError, errorMessage, isTrajlabError } from "../../errors/index.js";
import type { ModelCallSettings } from "./settings.js";

/** One failed attempt of a model call, and how long was waited before the next. */
export interface RetriedAttempt {
  readonly error: string;
  readonly waitMs: number;
}

/** HTTP statuses worth another attempt: rate limits, timeouts at the provider and server errors. */
const RETRYABLE_STATUSES = new Set([408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529]);
/** Node's codes (and names) for a connection that dropped, was refused or timed out. */
const NETWORK_FAILURES =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|UND_ERR|socket hang up|Connection error|fetch failed|timed? ?out/i;

/** The HTTP status an error from a provider's client carries, if any. */
function statusOf(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; response?: { status?: unknown } } | null)?.status ??
    (error as { response?: { status?: unknown } })?.response?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Whether a failed model call is worth another attempt: a rate limit or
 * server error (429, 5xx), a timeout, or a connection that dropped. Other
 * errors (a bad request, a wrong key, a model that does not exist) fail the
 * same way every time and are not retried.
 */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return RETRYABLE_STATUSES.has(status);
  const described = [
    errorMessage(error),
    (error as { name?: string })?.name,
    (error as { code?: string })?.code,
    String((error as { cause?: unknown })?.cause ?? ""),
  ]
    .filter(Boolean)
    .join(" ");
  return isTrajlabError(error, "MODEL_CALL_TIMEOUT") || NETWORK_FAILURES.test(described);
}

/** The wait a provider asked for in Retry-After (seconds or an HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  const read = (name: string): string | undefined => {
    if (!headers) return undefined;
    if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
  const ms = Number(read("retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && read("retry-after-ms") !== undefined) return ms;
  const after = read("retry-after");
  if (after === undefined || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry `attempt` (1 for the first retry): the provider's
 * Retry-After when it gave one, otherwise exponential backoff with "equal
 * jitter" (half the doubled delay, plus a random part of the other half), so
 * that many trials rate-limited together do not all come back at once.
 * Capped at `maxDelayMs` either way.
 */
export function backoffMs(
  attempt: number,
  error: unknown,
  settings: Pick<ModelCallSettings, "baseDelayMs" | "maxDelayMs" | "random">,
): number {
  const asked = retryAfterMs(error);
  if (asked !== undefined) return Math.min(asked, settings.maxDelayMs);
  const doubled = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(doubled / 2 + settings.random() * (doubled / 2));
}

/**
 * Runs `attempt` until it succeeds, fails in a way not worth retrying, or has
 * been retried `maxRetries` times; each attempt gets its own time limit, and
 * `signal` (the trial's) stops both attempts and waits. Returns the value and
 * every failed attempt with the wait after it; throws the last error, whose
 * failed attempts before it {@link retriesBefore} gives.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  settings: Pick<ModelCallSettings, "maxRetries" | "baseDelayMs" | "maxDelayMs" | "callTimeoutMs" | "random">,
  signal?: AbortSignal,
): Promise<{ value: T; retries: RetriedAttempt[] }> {
  const retries: RetriedAttempt[] = [];
  for (let tried = 0; ; tried++) {
    const limit = AbortSignal.timeout(settings.callTimeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, limit]) : limit;
    try {
      return { value: await attempt(attemptSignal), retries };
    } catch (thrown) {
      const error =
        limit.aborted && !signal?.aborted
          ? new TrajlabError("MODEL_CALL_TIMEOUT", `the model call timed out after ${settings.callTimeoutMs} ms`, {
              hint: "a slow provider: raise --call-timeout, or lower --concurrency",
              cause: thrown,
            })
          : thrown;
      if (signal?.aborted || tried >= settings.maxRetries || !isRetryable(error)) {
        if (error && typeof error === "object") retriedBefore.set(error, retries);
        throw error;
      }
      const waitMs = backoffMs(tried + 1, error, settings);
      retries.push({ error: errorMessage(error).split("\n")[0]!, waitMs });
      await sleep(waitMs, signal);
    }
  }
}

const retriedBefore = new WeakMap<object, RetriedAttempt[]>();

/** The attempts that failed, and were retried, before the error {@link withRetries} gave up on. */
export function retriesBefore(error: unknown): RetriedAttempt[] {
  return (typeof error === "object" && error !== null ? retriedBefore.get(error) : undefined) ?? [];
}

/** Waits, unless `signal` aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
