// Circuit breaker for one RPC endpoint (Nygard, "Release It!", ch. "Stability
// Patterns"): closed while the endpoint works; open when it clearly does not, so
// callers fail over at once instead of each waiting out a timeout; half-open
// after a cool-down, letting exactly one probe through to decide between the two.
//
// Pure: `nextBreakerState(state, event, now, config)` and friends never read a
// clock or do I/O. The ChainGate Durable Object holds one state per endpoint and
// persists it; tests drive it by moving `now`.
//
// "Recent" is a rolling window of time-bucketed counters (the Hystrix /
// resilience4j time-based sliding window): WINDOW_SLOTS slots of windowMs /
// WINDOW_SLOTS each, old slots dropped as time passes, so memory is bounded and
// the rate forgets an outage once it is over.

/** Failures that say the endpoint (or the path to it) is unwell. See classify.ts for what is not one. */
export type FailureKind = "timeout" | "connection" | "http5xx" | "http429" | "http4xx" | "bad-response";

export type BreakerEvent =
  /** A call was admitted (in half-open: this is the one probe). */
  | { type: "attempt" }
  /** `rpcError`: the endpoint answered, with a JSON-RPC error that is the request's own (counted by class, not against the endpoint). */
  | { type: "success"; latencyMs: number; rpcError?: boolean }
  | { type: "failure"; kind: FailureKind; retryAfterMs?: number; latencyMs?: number }
  /** Only time passed (open → half-open, lost probe leases, old slots). */
  | { type: "tick" };

export type BreakerConfig = {
  windowMs: number;
  /** Open when failures / calls over the window exceeds this (0..1)… */
  errorThreshold: number;
  /** …and the window holds at least this many calls. */
  minCalls: number;
  /** Or after this many timeouts in a row, whatever the rate. */
  consecutiveTimeouts: number;
  /** Time open before the first half-open probe. */
  cooldownMs: number;
  /** A half-open probe not reported within this time is presumed lost; another may go. */
  probeLeaseMs: number;
};

export type BreakerStatus = "closed" | "open" | "half-open";

export type WindowSlot = { start: number; calls: number; failures: number };

export type BreakerState = {
  status: BreakerStatus;
  /** When the status last changed. */
  since: number;
  /** While open: when half-open begins. */
  openUntil: number;
  /** While half-open: when the in-flight probe was admitted (null: none in flight). */
  probeAt: number | null;
  consecutiveTimeouts: number;
  slots: WindowSlot[];
  /** Why it last opened (for health and logs). */
  reason: string | null;
  // Health figures: lifetime counters, latency EWMA and the last samples for a median.
  calls: number;
  failures: number;
  opens: number;
  latencyEwmaMs: number | null;
  latencies: number[];
  lastFailure: { kind: FailureKind; at: number } | null;
  /** Lifetime errors per class (failure kinds and "rpc-error"); absent in states stored before it existed. */
  errorsByClass?: Partial<Record<ErrorClass, number>>;
};

/** What an RPC error was: an endpoint failure kind, or a JSON-RPC error the request earned (revert, nonce). */
export type ErrorClass = FailureKind | "rpc-error";

export const WINDOW_SLOTS = 10;
/** Samples kept for the median latency; EWMA weight of the newest sample (≈ last 10 calls). */
export const LATENCY_SAMPLES = 50;
export const LATENCY_ALPHA = 0.2;

export function newBreaker(now: number): BreakerState {
  return {
    status: "closed", since: now, openUntil: 0, probeAt: null, consecutiveTimeouts: 0, slots: [], reason: null,
    calls: 0, failures: 0, opens: 0, latencyEwmaMs: null, latencies: [], lastFailure: null,
  };
}

/** The transitions that happen by time alone: drop old slots, open → half-open, expire a lost probe. */
function advance(s: BreakerState, now: number, c: BreakerConfig): BreakerState {
  const slotMs = c.windowMs / WINDOW_SLOTS;
  let next = s;
  const slots = s.slots.filter((x) => x.start + slotMs > now - c.windowMs);
  if (slots.length !== s.slots.length) next = { ...next, slots };
  if (next.status === "open" && now >= next.openUntil) next = { ...next, status: "half-open", since: now, probeAt: null };
  if (next.status === "half-open" && next.probeAt !== null && now - next.probeAt >= c.probeLeaseMs) next = { ...next, probeAt: null };
  return next;
}

export function nextBreakerState(state: BreakerState, event: BreakerEvent, now: number, config: BreakerConfig): BreakerState {
  const s = advance(state, now, config);
  switch (event.type) {
    case "tick":
      return s;
    case "attempt":
      // Exactly one probe at a time in half-open: the first admitted call holds the lease.
      return s.status === "half-open" && s.probeAt === null ? { ...s, probeAt: now } : s;
    case "success": {
      const r = event.rpcError ? countClass(record(s, now, config, false, event.latencyMs), "rpc-error") : record(s, now, config, false, event.latencyMs);
      const counted = { ...r, consecutiveTimeouts: 0 };
      if (s.status !== "half-open") return counted; // open: a straggler from before it opened changes nothing
      // The probe got through: close with a clean window, or the old failures would re-open it at once.
      return { ...counted, status: "closed", since: now, probeAt: null, openUntil: 0, slots: [], reason: null };
    }
    case "failure": {
      const r = record(s, now, config, true, event.latencyMs);
      const counted: BreakerState = {
        ...countClass(r, event.kind),
        consecutiveTimeouts: event.kind === "timeout" ? s.consecutiveTimeouts + 1 : s.consecutiveTimeouts,
        lastFailure: { kind: event.kind, at: now },
      };
      const retryAfter = event.retryAfterMs && event.retryAfterMs > 0 ? event.retryAfterMs : 0;
      if (s.status === "open") {
        // Already open; a provider's Retry-After may only lengthen the pause.
        return retryAfter ? { ...counted, openUntil: Math.max(counted.openUntil, now + retryAfter) } : counted;
      }
      if (s.status === "half-open") return open(counted, now, Math.max(config.cooldownMs, retryAfter), `probe failed (${event.kind})`);
      const trip = tripReason(counted, now, config);
      if (trip) return open(counted, now, Math.max(config.cooldownMs, retryAfter), trip);
      // A 429 with Retry-After is the provider saying exactly when to come back:
      // honour it for this endpoint (others serve meanwhile) without waiting for the rate.
      if (event.kind === "http429" && retryAfter) return open(counted, now, retryAfter, `429, retry after ${retryAfter} ms`);
      return counted;
    }
  }
}

function countClass(s: BreakerState, c: ErrorClass): BreakerState {
  return { ...s, errorsByClass: { ...s.errorsByClass, [c]: (s.errorsByClass?.[c] ?? 0) + 1 } };
}

function tripReason(s: BreakerState, now: number, c: BreakerConfig): string | null {
  if (s.consecutiveTimeouts >= c.consecutiveTimeouts) return `${s.consecutiveTimeouts} consecutive timeouts`;
  const { calls, failures } = windowCounts(s, now, c);
  if (calls >= c.minCalls && failures / calls > c.errorThreshold) {
    return `error rate ${Math.round((failures / calls) * 100)}% over ${calls} calls`;
  }
  return null;
}

function open(s: BreakerState, now: number, forMs: number, reason: string): BreakerState {
  return { ...s, status: "open", since: now, openUntil: now + forMs, probeAt: null, reason, opens: s.opens + 1, consecutiveTimeouts: 0 };
}

function record(s: BreakerState, now: number, c: BreakerConfig, failed: boolean, latencyMs: number | undefined): BreakerState {
  const slotMs = c.windowMs / WINDOW_SLOTS;
  const start = Math.floor(now / slotMs) * slotMs;
  const slots = s.slots.slice();
  const i = slots.findIndex((x) => x.start === start);
  const slot = i >= 0 ? slots[i]! : { start, calls: 0, failures: 0 };
  const updated = { start, calls: slot.calls + 1, failures: slot.failures + (failed ? 1 : 0) };
  if (i >= 0) slots[i] = updated;
  else slots.push(updated);
  const next: BreakerState = { ...s, slots, calls: s.calls + 1, failures: s.failures + (failed ? 1 : 0) };
  // Latency of answers only: a timeout's "latency" is the timeout, which would say nothing new.
  if (!failed && latencyMs !== undefined && Number.isFinite(latencyMs) && latencyMs >= 0) {
    next.latencyEwmaMs = s.latencyEwmaMs === null ? latencyMs : s.latencyEwmaMs + LATENCY_ALPHA * (latencyMs - s.latencyEwmaMs);
    next.latencies = [...s.latencies, latencyMs].slice(-LATENCY_SAMPLES);
  }
  return next;
}

/** May a call go to this endpoint now? Closed: yes. Open: no. Half-open: only if no probe is in flight. */
export function canAttempt(state: BreakerState, now: number, config: BreakerConfig): boolean {
  const s = advance(state, now, config);
  return s.status === "closed" || (s.status === "half-open" && s.probeAt === null);
}

/** The status as of `now` (an open breaker past its cool-down is half-open). */
export function breakerStatus(state: BreakerState, now: number, config: BreakerConfig): BreakerStatus {
  return advance(state, now, config).status;
}

/** Milliseconds until `canAttempt` may turn true by time alone (0 if it already is). */
export function breakerWaitMs(state: BreakerState, now: number, config: BreakerConfig): number {
  const s = advance(state, now, config);
  if (s.status === "closed") return 0;
  if (s.status === "open") return Math.max(0, s.openUntil - now);
  return s.probeAt === null ? 0 : Math.max(0, s.probeAt + config.probeLeaseMs - now);
}

/** Calls and failures in the rolling window at `now`. */
export function windowCounts(state: BreakerState, now: number, config: BreakerConfig): { calls: number; failures: number } {
  const slotMs = config.windowMs / WINDOW_SLOTS;
  let calls = 0;
  let failures = 0;
  for (const x of state.slots) {
    if (x.start + slotMs <= now - config.windowMs) continue;
    calls += x.calls;
    failures += x.failures;
  }
  return { calls, failures };
}

/** Health figures of one endpoint: the status as of `now`, recent error rate, latency. */
export function breakerHealth(state: BreakerState, now: number, config: BreakerConfig) {
  const s = advance(state, now, config);
  const w = windowCounts(s, now, config);
  return {
    state: s.status,
    since: s.since,
    reason: s.status === "closed" ? null : s.reason,
    retryInMs: breakerWaitMs(s, now, config),
    recentCalls: w.calls,
    recentErrorRate: w.calls ? w.failures / w.calls : 0,
    latencyP50Ms: median(s.latencies),
    latencyAvgMs: s.latencyEwmaMs === null ? null : Math.round(s.latencyEwmaMs),
    calls: s.calls,
    failures: s.failures,
    opens: s.opens,
    lastFailure: s.lastFailure,
    errorsByClass: { ...s.errorsByClass },
  };
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
