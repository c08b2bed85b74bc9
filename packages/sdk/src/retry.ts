// When a request may be sent again, and how long to wait first. Pure: the
// attempt number and the answer in, a delay (or null: give up) out.
// Safe to retry: 429 (after its Retry-After), 5xx and network errors — for a
// create only because every create carries an Idempotency-Key, so a retry of a
// request the server did accept answers the same launch instead of a second one.

export type RetryPolicy = {
  /** Tries after the first. */
  retries: number;
  /** Backoff base and cap (ms) when the server does not say how long: base·2^(attempt−1), full jitter. */
  baseMs: number;
  maxMs: number;
};

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseMs: 250, maxMs: 8_000 };

/** What came back: an HTTP status with its Retry-After header, or a network error. */
export type Attempted = { status: number; retryAfter: string | null } | { error: unknown };

/** The delay before try `attempt + 1` (attempt counts from 1), or null when the answer is final. `random` in [0, 1). */
export function retryDelay(attempt: number, outcome: Attempted, policy: RetryPolicy = DEFAULT_RETRY, now = Date.now(), random = Math.random()): number | null {
  if (attempt > policy.retries) return null;
  if ("status" in outcome) {
    // 409 idempotency-key-in-flight: the first request with this key is still running; it says when to look again.
    const retriable = outcome.status === 429 || outcome.status >= 500 || (outcome.status === 409 && outcome.retryAfter !== null);
    if (!retriable) return null;
    const told = retryAfterMs(outcome.retryAfter, now);
    if (told !== null) return Math.min(told, policy.maxMs * 8);
  }
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(random * cap);
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
