// The gate for @solana/kit: an RpcTransport for createSolanaRpcFromTransport
// that sends every request through the chain's ChainGate like EVM calls (the
// provider's budget, the endpoint's breaker, failover in registry order). Each
// attempt is kit's own HTTP transport on the granted endpoint, so kit keeps its
// JSON handling (u64s as bigint, never rounded) and its error types; what the
// gate adds is where the request goes and what counts against an endpoint.
import { createDefaultRpcTransport, isSolanaError, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, type RpcTransport } from "@solana/kit";
import type { ChainConfig } from "@tokenforge/core";
import { classifyFetchFailure, classifyHttpResponse, classifyRpcAnswers, type EndpointFault, type JsonRpcReply } from "./classify";
import { gateConfig } from "./config";
import { gateClientOf, gateRun, throughGate, type GateAttempt, type GatedFetchOptions } from "./gated-fetch";
import { basicAuth } from "./json-rpc";
import type { GateEndpoint, GateEnv } from "./types";

export function gatedSolanaTransport(env: GateEnv, chain: ChainConfig, opts: GatedFetchOptions = {}): RpcTransport {
  const requestTimeoutMs = opts.requestTimeoutMs ?? gateConfig(env).requestTimeoutMs;
  const gate = gateClientOf(env, chain, opts);
  const transport = async <T>({ payload, signal }: { payload: unknown; signal?: AbortSignal }): Promise<T> => {
    const run = gateRun(env, chain, opts, gate, signal);
    const { value } = await throughGate<T>(run, 1, (endpoint) => attempt<T>(endpoint, payload, requestTimeoutMs, signal));
    return value;
  };
  return transport as RpcTransport;
}

/** One request to one endpoint through kit's HTTP transport, the outcome classified for the gate. */
async function attempt<T>(endpoint: GateEndpoint, payload: unknown, timeoutMs: number, callerSignal: AbortSignal | undefined): Promise<GateAttempt<T>> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  const { url, authorization } = basicAuth(endpoint.url);
  const send = createDefaultRpcTransport({ url, ...(authorization ? { headers: { authorization } } : {}) });
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
