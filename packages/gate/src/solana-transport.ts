// The gate for @solana/kit: an RpcTransport for createSolanaRpcFromTransport
// that sends every request through the chain's ChainGate like EVM calls (the
// provider's budget, the endpoint's breaker, failover in registry order). Each
// attempt is kit's own HTTP transport on the granted endpoint, so kit keeps its
// JSON handling (u64s as bigint, never rounded) and its error types; what the
// gate adds is where the request goes and what counts against an endpoint.
import { createDefaultRpcTransport, isSolanaError, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, type RpcTransport } from "@solana/kit";
import { outgoingTraceparent, type ChainConfig } from "@tokenforge/core";
import { classifyFetchFailure, classifyHttpResponse, classifyRpcAnswers, type EndpointFault, type JsonRpcReply } from "./classify";
import { gateConfig } from "./config";
import { gateClientOf, gateRun, GROUP_MAX, throughGateEach, type GateAttempt, type GatedFetchOptions } from "./gated-fetch";
import { basicAuth } from "./json-rpc";
import type { GateEndpoint, GateEnv } from "./types";

/** One call waiting for its group; `traceparent` is taken in the caller's trace scope, before the group's timer. */
type Waiting = { payload: unknown; signal?: AbortSignal; traceparent: string; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * kit sends one HTTP request per call and never batches, so a queue batch's
 * hundred sendTransactions would each cost two ChainGate round trips (acquire,
 * report). Calls made on one transport in the same turn of the event loop
 * (Promise.all over a batch) instead go through the gate as one group
 * (throughGateEach): one acquire for all of them, each still its own request,
 * one reportMany with every call's outcome.
 */
export function gatedSolanaTransport(env: GateEnv, chain: ChainConfig, opts: GatedFetchOptions = {}): RpcTransport {
  const requestTimeoutMs = opts.requestTimeoutMs ?? gateConfig(env).requestTimeoutMs;
  const gate = gateClientOf(env, chain, opts);
  const queue: Waiting[] = [];
  const flush = () => {
    const group = queue.splice(0, GROUP_MAX);
    if (queue.length) setTimeout(flush, 0);
    const run = gateRun(env, chain, opts, gate);
    throughGateEach(run, group, (endpoint, w) => attempt(endpoint, w.payload, requestTimeoutMs, w.signal, w.traceparent)).then(
      (settled) => settled.forEach((s, i) => (s.ok ? group[i]!.resolve(s.value) : group[i]!.reject(s.error))),
      (e: unknown) => group.forEach((w) => w.reject(e)),
    );
  };
  const transport = <T>({ payload, signal }: { payload: unknown; signal?: AbortSignal }): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      // The first call of a turn schedules the flush; the rest of the turn's calls join it.
      // W3C traceparent as EVM calls carry it (json-rpc.ts): the request id of the launch or request in scope.
      if (queue.push({ payload, signal, traceparent: outgoingTraceparent(), resolve: resolve as (v: unknown) => void, reject }) === 1) setTimeout(flush, 0);
    });
  return transport as RpcTransport;
}

/** One request to one endpoint through kit's HTTP transport, the outcome classified for the gate. */
async function attempt<T>(endpoint: GateEndpoint, payload: unknown, timeoutMs: number, callerSignal: AbortSignal | undefined, traceparent: string): Promise<GateAttempt<T>> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  const { url, authorization } = basicAuth(endpoint.url);
  // kit's transport takes extra headers (traceparent is not among those it forbids): no fork needed.
  const send = createDefaultRpcTransport({ url, headers: { traceparent, ...(authorization ? { authorization } : {}) } });
  const started = Date.now();
  const calls = [payload];
  try {
    const answer = await send<unknown>({ payload, signal });
    const latencyMs = Date.now() - started;
    const reply = isReply(answer) ? answer : null;
    const fault: EndpointFault = reply ? classifyRpcAnswers([reply], "solana") : { kind: "bad-response" };
    return { fault, latencyMs, calls, refused: !fault && !!reply?.error, value: fault ? undefined : (answer as T) };
  } catch (e) {
    // The caller gave up: not the endpoint's fault, nothing to report.
    if (callerSignal?.aborted) throw e;
    const latencyMs = Date.now() - started;
    if (isSolanaError(e, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)) {
      const { statusCode, headers } = e.context;
      const fault = classifyHttpResponse(statusCode, headers, "", Date.now(), "solana") ?? { kind: "http4xx" as const };
      return { fault, latencyMs, calls, status: statusCode };
    }
    // An answer that is not JSON at all is the endpoint's (a proxy's HTML error page).
    if (e instanceof SyntaxError) return { fault: { kind: "bad-response" }, latencyMs, calls };
    return { fault: { kind: classifyFetchFailure(e, timeout.aborted) }, latencyMs, calls };
  }
}

function isReply(x: unknown): x is JsonRpcReply {
  return !!x && typeof x === "object" && ("result" in x || "error" in x);
}
