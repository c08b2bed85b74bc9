// ChainGate tuning from Worker vars (wrangler.toml [vars] or `wrangler dev --var`),
// so tests run windows of milliseconds and production runs windows of seconds.
// Unset or malformed values fall back to the defaults below; nothing here throws,
// because a typo in a var must not take RPC down.
import type { BreakerConfig } from "./breaker";

export type GateConfig = {
  breaker: BreakerConfig;
  /** Per-attempt timeout of one HTTP request to one endpoint (AbortSignal.timeout). */
  requestTimeoutMs: number;
  /** Longest a caller waits for budget or a healthy endpoint before giving up with a transient error. */
  maxWaitMs: number;
};

/** Env var names, so the report and the toml say the same thing. */
export const GATE_VARS = {
  windowMs: "BREAKER_WINDOW_MS",
  errorThreshold: "BREAKER_ERROR_THRESHOLD",
  minCalls: "BREAKER_MIN_CALLS",
  consecutiveTimeouts: "BREAKER_CONSECUTIVE_TIMEOUTS",
  cooldownMs: "BREAKER_COOLDOWN_MS",
  probeLeaseMs: "BREAKER_PROBE_LEASE_MS",
  requestTimeoutMs: "RPC_TIMEOUT_MS",
  maxWaitMs: "RPC_MAX_WAIT_MS",
} as const;

export const GATE_DEFAULTS = {
  // 30 s of history: long enough that one slow block does not trip it, short
  // enough that a dead provider is noticed within a few queue batches.
  windowMs: 30_000,
  // Half the calls failing is an outage, not noise (Hystrix's default is 50 %).
  errorThreshold: 0.5,
  // Below 10 calls a rate means little: two failures of three are not an outage.
  minCalls: 10,
  // A hung endpoint fails slowly; three timeouts in a row open without waiting for the rate.
  consecutiveTimeouts: 3,
  cooldownMs: 15_000,
  // viem's own default per-request timeout.
  requestTimeoutMs: 10_000,
  maxWaitMs: 10_000,
} as const;

export function gateConfig(vars: Record<string, unknown> = {}): GateConfig {
  const num = (name: string, fallback: number, ok: (n: number) => boolean = (n) => n > 0) => {
    const raw = vars[name];
    if (raw === undefined || raw === null || raw === "") return fallback;
    const n = Number(raw);
    return Number.isFinite(n) && ok(n) ? n : fallback;
  };
  const requestTimeoutMs = num(GATE_VARS.requestTimeoutMs, GATE_DEFAULTS.requestTimeoutMs);
  return {
    requestTimeoutMs,
    maxWaitMs: num(GATE_VARS.maxWaitMs, GATE_DEFAULTS.maxWaitMs, (n) => n >= 0),
    breaker: {
      windowMs: num(GATE_VARS.windowMs, GATE_DEFAULTS.windowMs),
      errorThreshold: num(GATE_VARS.errorThreshold, GATE_DEFAULTS.errorThreshold, (n) => n > 0 && n <= 1),
      minCalls: Math.round(num(GATE_VARS.minCalls, GATE_DEFAULTS.minCalls, (n) => n >= 1)),
      consecutiveTimeouts: Math.round(num(GATE_VARS.consecutiveTimeouts, GATE_DEFAULTS.consecutiveTimeouts, (n) => n >= 1)),
      cooldownMs: num(GATE_VARS.cooldownMs, GATE_DEFAULTS.cooldownMs, (n) => n >= 0),
      // A probe whose caller never reports (crashed, evicted) must not wedge the
      // endpoint in half-open: after its own timeout plus a margin another probe may go.
      probeLeaseMs: num(GATE_VARS.probeLeaseMs, requestTimeoutMs + 1_000),
    },
  };
}
