// What counts against an RPC endpoint. Classify before counting: a revert, a
// nonce error or bad params are the request's fault and would fail the same way
// on every endpoint, so counting them would let one bad launch open every
// breaker of a chain (invariant 4 of DESIGN.md). Timeouts, refused or reset
// connections, 5xx, 429 and answers that are not JSON-RPC are the endpoint's.
import type { FailureKind } from "./breaker";
import { classifyError } from "../errors";

/** What ChainGate.report takes: the endpoint answered, or failed in a way that is its own fault. */
export type EndpointOutcome =
  | { type: "success"; latencyMs: number }
  | { type: "failure"; kind: FailureKind; retryAfterMs?: number; latencyMs?: number };

/** `null`: not the endpoint's fault (it answered; the request was refused on its merits). */
export type EndpointFault = { kind: FailureKind; retryAfterMs?: number } | null;

/**
 * JSON-RPC error codes that mean "slow down" even inside an HTTP 200: EIP-1474's
 * -32005 "limit exceeded", QuickNode's -32007, and a bare 429 (Alchemy batches).
 */
const RATE_LIMIT_CODES = new Set([-32005, -32007, 429]);
const RATE_LIMIT_TEXT = /rate limit|limit exceeded|too many requests|exceeded .*capacity|request limit/i;

/** A fetch that threw: our timeout fired, or the connection failed (refused, reset, DNS, TLS). */
export function classifyFetchFailure(err: unknown, timedOut: boolean): FailureKind {
  if (timedOut) return "timeout";
  const name = (err as { name?: string } | null)?.name;
  if (name === "TimeoutError") return "timeout";
  return "connection";
}

/**
 * An HTTP answer from an endpoint. `body` is the response text (already read);
 * `now` turns an HTTP-date Retry-After into milliseconds.
 */
export function classifyHttpResponse(status: number, headers: Headers, body: string, now: number): EndpointFault {
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
  const withRetry = (kind: FailureKind): EndpointFault => (retryAfterMs !== undefined ? { kind, retryAfterMs } : { kind });
  if (status === 429) return withRetry("http429");
  if (status === 408) return { kind: "timeout" };
  if (status >= 500) return withRetry("http5xx");
  const rpc = parseRpcBody(body);
  if (status >= 200 && status < 300) {
    if (!rpc) return { kind: "bad-response" };
    return rpc.some(isRateLimited) ? withRetry("http429") : null;
  }
  // 401/403 (a revoked or wrong API key) and 404/405 (a wrong path) are the
  // endpoint's configuration, whatever the body says: the next endpoint may work.
  if (status === 401 || status === 403 || status === 404 || status === 405) return { kind: "http4xx" };
  // Other 4xx carrying JSON-RPC errors (some nodes answer invalid requests with
  // 400, or 413 for a batch too large) are the request's fault.
  if (rpc && rpc.some((r) => r.error)) return rpc.some(isRateLimited) ? withRetry("http429") : null;
  return { kind: "http4xx" };
}

/**
 * An error thrown by viem (or anything else) around an RPC call, for callers
 * that do not go through gatedFetch but still report (e.g. a cron probe).
 */
export function classifyRpcError(err: unknown): EndpointFault {
  const e = err as { name?: string; status?: number; code?: number; headers?: Headers; cause?: unknown } | null;
  const chain: unknown[] = [];
  for (let x: unknown = err, i = 0; x && i < 5; x = (x as { cause?: unknown }).cause, i++) chain.push(x);
  if (chain.some((x) => (x as { name?: string }).name === "TimeoutError")) return { kind: "timeout" };
  const status = chain.map((x) => (x as { status?: number }).status).find((s) => typeof s === "number");
  if (typeof status === "number") {
    const headers = chain.map((x) => (x as { headers?: Headers }).headers).find((h) => h instanceof Headers) ?? new Headers();
    const code = chain.map((x) => (x as { code?: number }).code).find((c) => typeof c === "number");
    const body = code !== undefined ? JSON.stringify({ jsonrpc: "2.0", id: 0, error: { code, message: String((e as { message?: string })?.message ?? "") } }) : "";
    return classifyHttpResponse(status, headers, body, Date.now());
  }
  const code = chain.map((x) => (x as { code?: number }).code).find((c) => typeof c === "number");
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return { kind: "http429" };
  const c = classifyError(err);
  if (c.kind !== "endpoint") return null; // revert, nonce, invalid params, unknown: not the endpoint's fault
  const m = c.message.toLowerCase();
  if (/timeout|timed out/.test(m)) return { kind: "timeout" };
  if (/429|too many requests/.test(m)) return { kind: "http429" };
  if (/status: 5\d\d|internal error/.test(m)) return { kind: "http5xx" };
  return { kind: "connection" };
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; milliseconds from `now`, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

type RpcAnswer = { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };

/** The JSON-RPC answers in a body (one or a batch), or null when it is not JSON-RPC at all. */
export function parseRpcBody(body: string): RpcAnswer[] | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  const items = Array.isArray(data) ? data : [data];
  const ok = items.every((x) => x && typeof x === "object" && ("result" in x || "error" in x));
  return ok && items.length ? (items as RpcAnswer[]) : null;
}

function isRateLimited(r: RpcAnswer): boolean {
  if (!r.error) return false;
  const code = typeof r.error.code === "number" ? r.error.code : undefined;
  return (code !== undefined && RATE_LIMIT_CODES.has(code)) || RATE_LIMIT_TEXT.test(String(r.error.message ?? ""));
}
