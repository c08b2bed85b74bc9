// Fixed-window counting, pure: the Durable Object keeps the state, this decides.
// Windows are aligned to the epoch (a day starts at 00:00 UTC), so a window's
// reset time is the same for every caller and every isolate.

export type WindowState = { start: number; used: number };
export type Take = { granted: number; remaining: number; resetAt: number; state: WindowState };

/** Takes up to `want` units from the window containing `now`; grants fewer (or 0) near the limit. */
export function takeFromWindow(state: WindowState | null, limit: number, windowMs: number, want: number, now: number): Take {
  const start = Math.floor(now / windowMs) * windowMs;
  const used = state && state.start === start ? state.used : 0;
  const granted = Math.max(0, Math.min(want, limit - used));
  return { granted, remaining: Math.max(0, limit - used - granted), resetAt: start + windowMs, state: { start, used: used + granted } };
}

/**
 * How many units an isolate reserves from the Durable Object at once. Small
 * limits are counted exactly (1 at a time); big ones (the local benchmark
 * defaults) in slices of 0.5 %, so a burst of thousands of requests per second
 * costs a Durable Object call per slice, not per request. Reserved units are
 * never more than the limit, so a limit is never exceeded; units an isolate
 * reserved but did not use are lost at the end of the window (errs strict).
 */
export function leaseSize(limit: number): number {
  return Math.max(1, Math.min(500, Math.floor(limit / 200)));
}
