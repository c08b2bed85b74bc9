// The client side of ChainGate: a `fetch` for viem's http transport (its
// `fetchFn` option) that sends every JSON-RPC request or batch through the
// chain's gate. For each request it asks ChainGate for an endpoint (waiting
// when told "wait N ms", up to a bound), sends with a per-attempt timeout,
// classifies the outcome, reports it, and on an endpoint failure fails over to
// the next endpoint for the same request. viem keeps doing what it does well
// (batching, encoding, errors); routing and budget live here. Every attempt is
// one structured log line (rpc.call): chain, endpoint origin, attempt, outcome,
// latency, and the launches the caller said the request serves.
import { http, type HttpTransportConfig, type Transport } from "viem";
import { log, redactRpcUrl, type ChainConfig } from "@tokenforge/core";
import { chainGateFor, type AcquireResult, type GateEnv } from "./chain-gate.do";
import { classifyFetchFailure, classifyHttpResponse, parseRpcBody, type EndpointOutcome, type EndpointFault } from "./classify";
import { gateConfig } from "./config";

/** What gatedFetch needs of a ChainGate stub (a fake in unit tests). */
export type GateClient = {
  acquire(chainId: string, cost?: number, exclude?: number[]): Promise<AcquireResult>;
  report(chainId: string, endpointIndex: number, outcome: EndpointOutcome): Promise<unknown>;
};

export type GatedFetchOptions = {
  /** Per-attempt timeout; default RPC_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  /** Longest total wait for budget or a healthy endpoint; default RPC_MAX_WAIT_MS. */
  maxWaitMs?: number;
  /** Defaults to the CHAIN_GATE stub for the chain. */
  gate?: GateClient;
  /** Who the calls are for, carried into each rpc.call log line (the correlation id). */
  context?: RpcLogContext;
};

/** Log context of a client: the launches its calls serve (where known) and the hop making them. */
export type RpcLogContext = { launchIds?: string[]; hop?: string };

/** At most this many launch ids in one log line; `launches` gives the full count. */
const LOG_IDS = 20;

/** No endpoint could take the request in time: transient (retry the message later), never a verdict on the launch. */
export class GateUnavailableError extends Error {
  override name = "GateUnavailableError";
  readonly transient = true;
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Longest single sleep: a half-open probe may report long before its lease ends, so poll rather than sleep the whole answer. */
const MAX_SLEEP_MS = 1_000;

export function gatedFetch(env: GateEnv, chain: ChainConfig, opts: GatedFetchOptions = {}): Fetch {
  const cfg = gateConfig(env);
  const requestTimeoutMs = opts.requestTimeoutMs ?? cfg.requestTimeoutMs;
  const maxWaitMs = opts.maxWaitMs ?? cfg.maxWaitMs;
  let gate = opts.gate;
  const gateOf = () => (gate ??= chainGateFor(env, chain.id) as unknown as GateClient);
  const who = contextFields(opts.context);

  return async (_input, init = {}) => {
    const body = typeof init.body === "string" ? init.body : await new Response(init.body ?? null).text();
    const parsed: unknown = JSON.parse(body);
    const isBatch = Array.isArray(parsed);
    let pending: unknown[] = isBatch ? parsed : [parsed];
    const answers: unknown[] = [];
    const deadline = Date.now() + maxWaitMs;
    const failed = new Map<number, string>(); // endpoint index → what went wrong, for this chunk
    let retryAfterMs: number | undefined; // the soonest a throttling provider said to come back
    const callerSignal = init.signal ?? undefined;
    let attempt = 0; // HTTP attempts for this request, across endpoints and chunks
    let waitedMs = 0; // slept waiting for budget or a healthy endpoint since the last attempt

    while (pending.length) {
      callerSignal?.throwIfAborted();
      const grant = await gateOf().acquire(chain.id, pending.length, [...failed.keys()]);
      if (!grant.endpoint) {
        if (grant.reason === "exhausted") {
          // Every endpoint failed this request: say how each failed (viem wraps
          // this as the cause of an HttpRequestError, which errors.ts calls transient).
          const how = [...failed].map(([i, w]) => `#${i} ${w}`).join(", ");
          log("warn", "rpc.unavailable", { ...who, chain: chain.id, attempt, outcome: "exhausted", calls: pending.length, error: how });
          throw new GateUnavailableError(`every RPC endpoint of ${chain.id} failed: ${how}`, retryAfterMs);
        }
        const now = Date.now();
        if (now + grant.waitMs > deadline) {
          const why = grant.reason === "budget" ? "provider budget spent" : "circuit breakers open";
          log("warn", "rpc.unavailable", { ...who, chain: chain.id, attempt, outcome: grant.reason, calls: pending.length, waitedMs, nextInMs: grant.waitMs });
          throw new GateUnavailableError(`no RPC endpoint of ${chain.id} available within ${maxWaitMs} ms (${why}; next in ${grant.waitMs} ms)`, grant.waitMs);
        }
        // A little jitter so callers woken by the same refill do not stampede the gate together.
        const nap = Math.min(grant.waitMs, MAX_SLEEP_MS, deadline - now) + Math.random() * 10;
        await sleep(nap);
        waitedMs += Math.round(nap);
        continue;
      }

      const { endpoint, granted } = grant;
      const chunk = pending.slice(0, granted);
      const whole = !isBatch || (granted >= pending.length && answers.length === 0);
      const attemptBody = !isBatch ? body : whole ? body : JSON.stringify(chunk);
      const timeout = AbortSignal.timeout(requestTimeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      const started = Date.now();
      let response: Response | null = null;
      let text = "";
      let fault: EndpointFault;
      try {
        const { url, headers } = withBasicAuth(endpoint.url, init.headers);
        response = await fetch(url, { method: "POST", headers, body: attemptBody, signal });
        text = await response.text();
        fault = classifyHttpResponse(response.status, response.headers, text, Date.now());
      } catch (e) {
        // The caller gave up (viem's own timeout or abort): not the endpoint's fault, and nothing to report.
        // A half-open probe abandoned this way is freed by its lease.
        if (callerSignal?.aborted) throw e;
        fault = { kind: classifyFetchFailure(e, timeout.aborted) };
      }
      const latencyMs = Date.now() - started;
      await gateOf().report(chain.id, endpoint.index, fault ? { type: "failure", ...fault, latencyMs } : { type: "success", latencyMs });
      attempt++;
      log(fault ? "warn" : "info", "rpc.call", {
        ...who, chain: chain.id, endpoint: redactRpcUrl(endpoint.url), provider: endpoint.provider, attempt,
        outcome: fault ? fault.kind : rpcErrors(text) ? "rpc-error" : "ok", latencyMs,
        ...(waitedMs ? { waitedMs } : {}), calls: chunk.length, methods: methodsOf(chunk),
        ...(response && fault ? { status: response.status } : {}),
      });
      waitedMs = 0;

      if (fault) {
        // Fail over: the same chunk goes to the next endpoint the gate admits.
        failed.set(endpoint.index, `${endpoint.provider} ${fault.kind}${response ? ` (HTTP ${response.status})` : ""}`);
        if (fault.retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs ?? Infinity, fault.retryAfterMs);
        continue;
      }
      if (whole) return copy(response!, text);
      const data: unknown = JSON.parse(text);
      // A server that refuses a whole batch answers one error object: hand it to viem as is.
      if (!Array.isArray(data)) return copy(response!, text);
      answers.push(...data);
      pending = pending.slice(chunk.length);
      failed.clear(); // the next chunk starts again from the primary
    }
    return new Response(JSON.stringify(answers), { status: 200, headers: { "content-type": "application/json" } });
  };
}

/**
 * viem's http transport routed through ChainGate. `config` is passed to
 * `http()` (batch, key, …); the defaults differ from viem's in two ways:
 * `retryCount: 0`, since failover already happened here and the queue retries
 * with backoff, and a `timeout` long enough to cover waiting plus one attempt
 * per endpoint (viem's timeout wraps the whole gated fetch).
 */
export function gatedTransport(env: GateEnv, chain: ChainConfig, config: HttpTransportConfig = {}, opts: GatedFetchOptions = {}): Transport {
  const cfg = gateConfig(env);
  const perAttempt = opts.requestTimeoutMs ?? cfg.requestTimeoutMs;
  const wait = opts.maxWaitMs ?? cfg.maxWaitMs;
  return http(gateUrl(chain), {
    retryCount: 0,
    timeout: wait + perAttempt * (chain.rpc.length + 1) + 1_000,
    ...config,
    fetchFn: gatedFetch(env, chain, opts),
  });
}

/**
 * The URL viem sees (in its errors and batch keys): a name for the chain's
 * gate, never a provider URL that may carry an API key. gatedFetch ignores it.
 */
export function gateUrl(chain: ChainConfig): string {
  return `https://chain-gate.invalid/${chain.id}`;
}

function contextFields(ctx: RpcLogContext | undefined): Record<string, unknown> {
  const ids = ctx?.launchIds ?? [];
  return {
    ...(ctx?.hop ? { hop: ctx.hop } : {}),
    ...(ids.length === 1 ? { launchId: ids[0] } : ids.length > 1 ? { launchIds: ids.slice(0, LOG_IDS), launches: ids.length } : {}),
  };
}

/** "eth_getCode×100,eth_call" — what a request asked, for the log (never its params). */
function methodsOf(calls: unknown[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) {
    const m = String((c as { method?: unknown } | null)?.method ?? "?");
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return [...counts].map(([m, n]) => (n > 1 ? `${m}×${n}` : m)).join(",");
}

/** JSON-RPC errors in an answer (revert, nonce…): the endpoint worked, the request was refused. */
function rpcErrors(text: string): number {
  if (!/"error"\s*:/.test(text)) return 0;
  return (parseRpcBody(text) ?? []).filter((r) => r.error).length;
}

function copy(response: Response, text: string): Response {
  // Fresh headers: the body is already decoded, so content-encoding/length must not travel with it.
  const headers = new Headers({ "content-type": response.headers.get("content-type") ?? "application/json" });
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) headers.set("retry-after", retryAfter);
  return new Response(text, { status: response.status, headers });
}

// Registry URLs may carry credentials (https://user:key@host/…); fetch wants them as a header.
export function withBasicAuth(raw: string, init: HeadersInit | undefined): { url: string; headers: Headers } {
  const headers = new Headers(init);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  const url = new URL(raw);
  if (!url.username) return { url: raw, headers };
  headers.set("authorization", `Basic ${btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`);
  url.username = "";
  url.password = "";
  return { url: url.toString(), headers };
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
