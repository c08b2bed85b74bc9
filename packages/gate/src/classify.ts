// What counts against an RPC endpoint. Classify before counting: a revert, a
// nonce error or bad params are the request's fault and would fail the same way
// on every endpoint, so counting them would let one bad launch open every
// breaker of a chain, and a failing endpoint must never take a chain down.
// Timeouts, refused or reset connections, 5xx, 429 and answers that are not
// JSON-RPC are the endpoint's. Solana the same way: a blockhash not found, an
// already processed transaction or a failed preflight simulation (-32002) is the
// transaction's fault; a node that says it is unhealthy or behind (-32005) is the
// endpoint's.
import type { FailureKind } from "./breaker";

/** What ChainGate.report takes: the endpoint answered, or failed in a way that is its own fault. */
export type EndpointOutcome =
  | { type: "success"; latencyMs: number; rpcError?: boolean }
  | { type: "failure"; kind: FailureKind; retryAfterMs?: number; latencyMs?: number };

/** `null`: not the endpoint's fault (it answered; the request was refused on its merits). */
export type EndpointFault = { kind: FailureKind; retryAfterMs?: number } | null;

/** Which node software answers: JSON-RPC error codes mean different things on each. */
export type RpcFamily = "evm" | "solana";

/**
 * JSON-RPC error codes that mean "slow down" even inside an HTTP 200. EVM:
 * EIP-1474's -32005 "limit exceeded", QuickNode's -32007, and a bare 429
 * (Alchemy batches). Solana providers throttle with HTTP 429 or a bare 429 code;
 * -32005 and -32007 are Solana server errors of their own (below).
 */
const RATE_LIMIT_CODES: Record<RpcFamily, ReadonlySet<number>> = {
  evm: new Set([-32005, -32007, 429]),
  solana: new Set([429]),
};
const RATE_LIMIT_TEXT = /rate limit|limit exceeded|too many requests|exceeded .*capacity|request limit/i;

/**
 * Solana's JSON-RPC server errors (agave rpc-client-api custom_error.rs). -32005
 * "node is unhealthy / behind by N slots" is the endpoint's state: another
 * endpoint may be healthy. The request's own: -32002 preflight simulation failed
 * (BlockhashNotFound, AlreadyProcessed, an instruction error), -32003 signature
 * verification, -32006 precompile verification, -32013 signature length, -32015
 * unsupported version. Their messages are the transaction's (an instruction may
 * well say "exceeded … capacity"), so they are never read as a rate limit.
 */
const SOLANA_NODE_UNHEALTHY = -32005;
const SOLANA_REQUEST_FAULTS = new Set([-32002, -32003, -32006, -32013, -32015, -32600, -32601, -32602]);

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
export function classifyHttpResponse(status: number, headers: Headers, body: string, now: number, family: RpcFamily = "evm"): EndpointFault {
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
  const withRetry = (kind: FailureKind): EndpointFault => (retryAfterMs !== undefined ? { kind, retryAfterMs } : { kind });
  if (status === 429) return withRetry("http429");
  if (status === 408) return { kind: "timeout" };
  if (status >= 500) return withRetry("http5xx");
  const rpc = parseRpcBody(body);
  if (status >= 200 && status < 300) {
    if (!rpc) return { kind: "bad-response" };
    const fault = classifyRpcAnswers(rpc, family);
    return fault?.kind === "http429" ? withRetry("http429") : fault;
  }
  // 401/403 (a revoked or wrong API key) and 404/405 (a wrong path) are the
  // endpoint's configuration, whatever the body says: the next endpoint may work.
  if (status === 401 || status === 403 || status === 404 || status === 405) return { kind: "http4xx" };
  // Other 4xx carrying JSON-RPC errors (some nodes answer invalid requests with
  // 400, or 413 for a batch too large) are the request's fault.
  if (rpc && rpc.some((r) => r.error)) return rpc.some((r) => isRateLimited(r, family)) ? withRetry("http429") : null;
  return { kind: "http4xx" };
}

/**
 * JSON-RPC answers an endpoint gave (in an HTTP 2xx): null when every error in
 * them is the request's own, a fault when one says the endpoint is throttling
 * or unwell.
 */
export function classifyRpcAnswers(answers: JsonRpcReply[], family: RpcFamily = "evm"): EndpointFault {
  if (answers.some((r) => isRateLimited(r, family))) return { kind: "http429" };
  if (family === "solana" && answers.some((r) => r.error?.code === SOLANA_NODE_UNHEALTHY)) return { kind: "http5xx" };
  return null;
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; milliseconds from `now`, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type JsonRpcReply = { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };

/** The JSON-RPC answers in a body (one or a batch), or null when it is not JSON-RPC at all. */
export function parseRpcBody(body: string): JsonRpcReply[] | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  const items = Array.isArray(data) ? data : [data];
  const ok = items.every((x) => x && typeof x === "object" && ("result" in x || "error" in x));
  return ok && items.length ? (items as JsonRpcReply[]) : null;
}

function isRateLimited(r: JsonRpcReply, family: RpcFamily): boolean {
  if (!r.error) return false;
  const code = typeof r.error.code === "number" ? r.error.code : undefined;
  if (code !== undefined && RATE_LIMIT_CODES[family].has(code)) return true;
  if (family === "solana" && code !== undefined && (SOLANA_REQUEST_FAULTS.has(code) || code === SOLANA_NODE_UNHEALTHY)) return false;
  return RATE_LIMIT_TEXT.test(String(r.error.message ?? ""));
}
