// The per-endpoint circuit breaker and the error classification in front of it,
// with time moved by the test.
import { describe, expect, it } from "vitest";
import {
  breakerHealth, breakerWaitMs, canAttempt, newBreaker, nextBreakerState, windowCounts,
  type BreakerConfig, type BreakerEvent, type BreakerState,
} from "@tokenforge/gate/breaker";
import { classifyHttpResponse, parseRetryAfter } from "@tokenforge/gate/classify";
import { gateConfig, GATE_DEFAULTS } from "@tokenforge/gate/config";
import { classifyRpcError } from "../../workers/deployer/src/gate/rpc-error";

const config: BreakerConfig = {
  windowMs: 10_000, errorThreshold: 0.5, minCalls: 4, consecutiveTimeouts: 3, cooldownMs: 5_000, probeLeaseMs: 2_000,
};
const ok: BreakerEvent = { type: "success", latencyMs: 20 };
const err500: BreakerEvent = { type: "failure", kind: "http5xx" };
const timeout: BreakerEvent = { type: "failure", kind: "timeout" };

function run(state: BreakerState, events: BreakerEvent[], now: number): BreakerState {
  return events.reduce((s, e) => nextBreakerState(s, e, now, config), state);
}

/** A breaker opened at time `at` by error rate. */
function opened(at: number): BreakerState {
  const s = run(newBreaker(0), [err500, err500, err500, err500], at);
  expect(s.status).toBe("open");
  return s;
}

describe("circuit breaker", () => {
  it("counts errors per class for the metrics: the endpoint's failure kinds, and JSON-RPC errors the request earned without counting them against the endpoint", () => {
    const rpcError: BreakerEvent = { type: "success", latencyMs: 5, rpcError: true };
    const s = run(newBreaker(0), [err500, timeout, rpcError, rpcError, ok, { type: "failure", kind: "connection" }], 1);
    expect(breakerHealth(s, 1, config).errorsByClass).toEqual({ http5xx: 1, timeout: 1, "rpc-error": 2, connection: 1 });
    expect(s.failures).toBe(3);
    expect(s.calls).toBe(6);
    // A state stored before the field existed reads as no errors counted yet.
    const { errorsByClass: _, ...old } = newBreaker(0);
    expect(breakerHealth(nextBreakerState(old as BreakerState, err500, 1, config), 1, config).errorsByClass).toEqual({ http5xx: 1 });
  });

  it("stays closed below the minimum number of calls, whatever the rate", () => {
    const s = run(newBreaker(0), [err500, err500, err500], 100);
    expect(s.status).toBe("closed");
    expect(canAttempt(s, 100, config)).toBe(true);
  });

  it("opens when the error rate over the window exceeds the threshold with enough calls", () => {
    let s = run(newBreaker(0), [ok, ok, err500, err500], 100);
    expect(s.status).toBe("closed"); // 50 % is not above 50 %
    s = run(s, [err500], 200);
    expect(s.status).toBe("open");
    expect(s.reason).toMatch(/error rate 60% over 5 calls/);
    expect(canAttempt(s, 200, config)).toBe(false);
    expect(breakerWaitMs(s, 200, config)).toBe(config.cooldownMs);
  });

  it("forgets failures that left the rolling window", () => {
    let s = run(newBreaker(0), [err500, err500, err500], 0);
    // 12 s later those three are outside the 10 s window: one more failure is 1 of 1 calls, below minCalls.
    s = run(s, [err500], 12_000);
    expect(s.status).toBe("closed");
    expect(windowCounts(s, 12_000, config)).toEqual({ calls: 1, failures: 1 });
  });

  it("opens after N consecutive timeouts even below the minimum calls", () => {
    let s = run(newBreaker(0), [ok, ok, ok, ok, ok, ok, timeout, timeout], 0);
    expect(s.status).toBe("closed");
    s = run(s, [timeout], 10);
    expect(s.status).toBe("open");
    expect(s.reason).toBe("3 consecutive timeouts");
  });

  it("a success in between resets the consecutive timeouts", () => {
    const s = run(newBreaker(0), [...Array(20).fill(ok), timeout, timeout, ok, timeout, timeout], 0);
    expect(s.status).toBe("closed");
  });

  it("after the cool-down goes half-open and admits exactly one probe", () => {
    const s = opened(1_000);
    expect(canAttempt(s, 5_999, config)).toBe(false);
    expect(nextBreakerState(s, { type: "tick" }, 5_999, config).status).toBe("open");
    expect(canAttempt(s, 6_000, config)).toBe(true);
    const half = nextBreakerState(s, { type: "tick" }, 6_000, config);
    expect(half.status).toBe("half-open");
    const probing = nextBreakerState(half, { type: "attempt" }, 6_001, config);
    expect(probing.probeAt).toBe(6_001);
    expect(canAttempt(probing, 6_002, config)).toBe(false); // a second caller is refused while the probe is out
    expect(nextBreakerState(probing, { type: "attempt" }, 6_002, config).probeAt).toBe(6_001);
    expect(breakerWaitMs(probing, 6_002, config)).toBe(1_999);
  });

  it("a successful probe closes it with a clean window", () => {
    const s = run(opened(0), [{ type: "attempt" }], 5_000);
    const closed = nextBreakerState(s, { type: "success", latencyMs: 15 }, 5_050, config);
    expect(closed.status).toBe("closed");
    expect(closed.slots).toEqual([]);
    expect(canAttempt(closed, 5_050, config)).toBe(true);
    // The old failures do not re-open it on the next failure.
    expect(nextBreakerState(closed, err500, 5_100, config).status).toBe("closed");
  });

  it("a failed probe re-opens it for another cool-down", () => {
    const s = run(opened(0), [{ type: "attempt" }], 5_000);
    const again = nextBreakerState(s, timeout, 7_000, config);
    expect(again.status).toBe("open");
    expect(again.reason).toBe("probe failed (timeout)");
    expect(again.openUntil).toBe(12_000);
    expect(again.opens).toBe(2);
  });

  it("a probe whose caller never reports frees the lease after probeLeaseMs", () => {
    const s = run(opened(0), [{ type: "attempt" }], 5_000);
    expect(canAttempt(s, 6_999, config)).toBe(false);
    expect(canAttempt(s, 7_000, config)).toBe(true);
  });

  it("a straggler success while open changes nothing; a straggler failure does not extend it", () => {
    const s = opened(0);
    expect(nextBreakerState(s, ok, 100, config)).toMatchObject({ status: "open", openUntil: 5_000 });
    expect(nextBreakerState(s, err500, 100, config)).toMatchObject({ status: "open", openUntil: 5_000 });
  });

  it("honours a 429's Retry-After: opens for that long, and never shorter than the cool-down when tripped", () => {
    const s = nextBreakerState(newBreaker(0), { type: "failure", kind: "http429", retryAfterMs: 2_000 }, 0, config);
    expect(s).toMatchObject({ status: "open", openUntil: 2_000 });
    expect(canAttempt(s, 2_000, config)).toBe(true);
    const tripped = run(newBreaker(0), [err500, err500, err500, { type: "failure", kind: "http429", retryAfterMs: 60_000 }], 0);
    expect(tripped.openUntil).toBe(60_000);
    // A 429 without Retry-After is one more failure in the rate.
    expect(nextBreakerState(newBreaker(0), { type: "failure", kind: "http429" }, 0, config).status).toBe("closed");
  });

  it("reports recent error rate, median and average latency for health", () => {
    let s = newBreaker(0);
    for (const ms of [10, 20, 30, 40, 1000]) s = nextBreakerState(s, { type: "success", latencyMs: ms }, 0, config);
    s = nextBreakerState(s, err500, 0, config);
    const h = breakerHealth(s, 0, config);
    expect(h.state).toBe("closed");
    expect(h.recentCalls).toBe(6);
    expect(h.recentErrorRate).toBeCloseTo(1 / 6);
    expect(h.latencyP50Ms).toBe(30);
    expect(h.latencyAvgMs).toBeGreaterThan(10);
    expect(h.calls).toBe(6);
    // Health reads time too: an open breaker past its cool-down shows half-open.
    expect(breakerHealth(opened(0), 5_000, config).state).toBe("half-open");
  });

  it("is pure: the input state is never mutated", () => {
    const s = newBreaker(0);
    const copy = structuredClone(s);
    run(s, [err500, err500, err500, err500, { type: "attempt" }, ok], 0);
    expect(s).toEqual(copy);
  });
});

describe("classifying outcomes for the breaker", () => {
  const h = (init: Record<string, string> = {}) => new Headers(init);
  const rpcError = (code: number, message: string) => JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code, message } });

  it("5xx, 429 with Retry-After, 408, auth and path errors count against the endpoint", () => {
    expect(classifyHttpResponse(502, h(), "bad gateway", 0)).toEqual({ kind: "http5xx" });
    expect(classifyHttpResponse(429, h({ "retry-after": "3" }), "", 0)).toEqual({ kind: "http429", retryAfterMs: 3000 });
    expect(classifyHttpResponse(408, h(), "", 0)).toEqual({ kind: "timeout" });
    expect(classifyHttpResponse(401, h(), rpcError(-32600, "Must be authenticated"), 0)).toEqual({ kind: "http4xx" });
    expect(classifyHttpResponse(404, h(), "not found", 0)).toEqual({ kind: "http4xx" });
  });

  it("an answer that is not JSON-RPC counts; rate limits inside a 200 count as 429", () => {
    expect(classifyHttpResponse(200, h(), "<html>captive portal</html>", 0)).toEqual({ kind: "bad-response" });
    expect(classifyHttpResponse(200, h(), rpcError(-32005, "limit exceeded"), 0)).toEqual({ kind: "http429" });
    expect(classifyHttpResponse(200, h(), `[${rpcError(429, "Too Many Requests")}]`, 0)).toEqual({ kind: "http429" });
  });

  it("reverts, nonce errors and invalid params in a JSON-RPC answer do not count", () => {
    expect(classifyHttpResponse(200, h(), rpcError(3, "execution reverted: SymbolTaken"), 0)).toBeNull();
    expect(classifyHttpResponse(200, h(), rpcError(-32000, "nonce too low"), 0)).toBeNull();
    expect(classifyHttpResponse(200, h(), rpcError(-32602, "invalid params"), 0)).toBeNull();
    expect(classifyHttpResponse(400, h(), rpcError(-32602, "invalid argument 0"), 0)).toBeNull();
    expect(classifyHttpResponse(200, h(), JSON.stringify([{ jsonrpc: "2.0", id: 1, result: "0x1" }]), 0)).toBeNull();
  });

  it("classifies thrown errors the same way (viem's error shapes)", () => {
    expect(classifyRpcError(Object.assign(new Error("The request took too long"), { name: "TimeoutError" }))).toEqual({ kind: "timeout" });
    expect(classifyRpcError(Object.assign(new Error("HTTP request failed."), { name: "HttpRequestError", status: 503 }))).toEqual({ kind: "http5xx" });
    expect(classifyRpcError(Object.assign(new Error("HTTP request failed."), { name: "HttpRequestError", cause: new Error("fetch failed") }))).toEqual({ kind: "connection" });
    expect(classifyRpcError(Object.assign(new Error("limit"), { code: -32005 }))).toEqual({ kind: "http429" });
    expect(classifyRpcError(new Error("execution reverted: Capped"))).toBeNull();
    expect(classifyRpcError(new Error("nonce too low: next nonce 5, tx nonce 4"))).toBeNull();
    expect(classifyRpcError(new Error("invalid params"))).toBeNull();
  });

  it("parses Retry-After as seconds or an HTTP date (RFC 9110)", () => {
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("gate configuration from vars", () => {
  it("uses defaults, takes string vars, ignores malformed ones", () => {
    expect(gateConfig({}).breaker.cooldownMs).toBe(GATE_DEFAULTS.cooldownMs);
    const c = gateConfig({ BREAKER_COOLDOWN_MS: "250", BREAKER_ERROR_THRESHOLD: "0.2", BREAKER_MIN_CALLS: "oops", RPC_TIMEOUT_MS: "500" });
    expect(c.breaker).toMatchObject({ cooldownMs: 250, errorThreshold: 0.2, minCalls: GATE_DEFAULTS.minCalls, probeLeaseMs: 1_500 });
    expect(c.requestTimeoutMs).toBe(500);
    expect(gateConfig({ BREAKER_ERROR_THRESHOLD: "2" }).breaker.errorThreshold).toBe(GATE_DEFAULTS.errorThreshold);
  });
});
