// The client side of ChainGate: the gate loop (throughGate) and the transports
// built on it. For each request it asks ChainGate for an endpoint (waiting when
// told "wait N ms", up to a bound), sends with a per-attempt timeout, classifies
// the outcome, reports it, and on an endpoint failure fails over to the next
// endpoint for the same request. EVM: a `fetch` for viem's http transport;
// Solana: solana-transport.ts; the cron's plain reads: gatedRpc.
import { http, type HttpTransportConfig, type Transport } from "viem";
import { log, redactRpcUrl, type ChainConfig } from "@tokenforge/core";
import { chainGateFor, type AcquireResult, type GateEndpoint, type GateEnv } from "./types";
import { parseRpcBody, type EndpointOutcome, type EndpointFault } from "./classify";
import { gateConfig } from "./config";
import { GateUnavailableError } from "./errors";
import { postRpc, rpcBatch, type Fetch, type RpcAnswer, type RpcCall } from "./json-rpc";

/** What gatedFetch needs of a ChainGate stub (a fake in unit tests). */
export type GateClient = {
  acquire(chainId: string, cost?: number, exclude?: number[]): Promise<AcquireResult>;
  report(chainId: string, endpointIndex: number, outcome: EndpointOutcome): Promise<unknown>;
  /** Several outcomes on one endpoint in one round trip (throughGateEach); without it, one report each. */
  reportMany?(chainId: string, endpointIndex: number, outcomes: EndpointOutcome[]): Promise<unknown>;
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

/** Longest single sleep: a half-open probe may report long before its lease ends, so poll rather than sleep the whole answer. */
const MAX_SLEEP_MS = 1_000;

/** What one attempt on one endpoint came to, as the gate loop needs it. */
export type GateAttempt<T> = {
  fault: EndpointFault;
  latencyMs: number;
  /** The answer, when `fault` is null. */
  value?: T;
  /** HTTP status of a failed attempt, for the log and the failover reason. */
  status?: number;
  /** The endpoint answered but refused the request on its merits (JSON-RPC errors). */
  refused?: boolean;
  /** The calls the attempt carried (for the log: count and methods, never params). */
  calls: unknown[];
};

/** State of one gated request across its attempts (and chunks of a batch). */
export type GateRun = {
  chain: ChainConfig;
  gate: () => GateClient;
  who: Record<string, unknown>;
  maxWaitMs: number;
  deadline: number;
  signal?: AbortSignal;
  attempt: number;
  /** The soonest a throttling provider said to come back. */
  retryAfterMs?: number;
};

/** The ChainGate stub of a chain, looked up once on first use (or the one given in the options). */
export function gateClientOf(env: GateEnv, chain: ChainConfig, opts: GatedFetchOptions): () => GateClient {
  let gate = opts.gate;
  return () => (gate ??= chainGateFor(env, chain.id) as unknown as GateClient);
}

/** A new request's run: its deadline starts now. */
export function gateRun(env: GateEnv, chain: ChainConfig, opts: GatedFetchOptions, gate: () => GateClient, signal?: AbortSignal): GateRun {
  const maxWaitMs = opts.maxWaitMs ?? gateConfig(env).maxWaitMs;
  return { chain, maxWaitMs, signal, attempt: 0, deadline: Date.now() + maxWaitMs, gate, who: contextFields(opts.context) };
}

/**
 * The gate loop, for any transport: ask ChainGate for an endpoint (waiting when
 * told "wait N ms", up to the run's deadline), make one attempt, report its
 * outcome, and on an endpoint failure fail over to the next endpoint for the
 * same calls. `send` gets the endpoint, how many of `cost` calls it was granted,
 * and nothing else to decide. Every attempt is one structured log line
 * (rpc.call): chain, endpoint origin, attempt, outcome, latency, and the
 * launches the caller said the request serves.
 */
export async function throughGate<T>(
  run: GateRun, cost: number,
  send: (endpoint: GateEndpoint, granted: number) => Promise<GateAttempt<T>>,
): Promise<{ value: T; granted: number }> {
  const { chain, who } = run;
  const failed = new Map<number, string>(); // endpoint index → what went wrong, for these calls
  for (;;) {
    const { endpoint, granted, waitedMs } = await admit(run, cost, failed);
    const a = await send(endpoint, granted);
    const { fault, latencyMs } = a;
    await run.gate().report(chain.id, endpoint.index, outcomeOf(a));
    run.attempt++;
    logAttempt(chain, who, endpoint, run.attempt, a, waitedMs);
    if (!fault) return { value: a.value as T, granted };
    // Fail over: the same calls go to the next endpoint the gate admits.
    failed.set(endpoint.index, failedHow(endpoint, a));
    if (fault.retryAfterMs !== undefined) run.retryAfterMs = Math.min(run.retryAfterMs ?? Infinity, fault.retryAfterMs);
  }
}

/** One call's end through throughGateEach: its answer, or why it has none. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Most calls one throughGateEach group sends to one endpoint before the gate hears how they went. */
export const GROUP_MAX = 100;

/**
 * The gate loop for calls that travel separately (one HTTP request each, as
 * @solana/kit sends them) but were made together: one acquire grants an
 * endpoint for the whole group (`items.length` calls of budget, at most
 * GROUP_MAX), the calls go to it in parallel, and one reportMany tells the
 * gate every call's outcome (the breaker counts each). Calls that failed on
 * the endpoint fail over together to the next one. Two gate round trips per
 * group instead of two per call; the breaker learns of a dead endpoint after
 * at most one group's calls (bounded by the per-attempt timeout), as it did
 * when the same calls each held their own grant. A send that throws (the
 * caller gave up) settles its call with that error and reports nothing.
 */
export async function throughGateEach<I, T>(
  run: GateRun, items: I[],
  send: (endpoint: GateEndpoint, item: I) => Promise<GateAttempt<T>>,
): Promise<Settled<T>[]> {
  const { chain, who } = run;
  const out: Settled<T>[] = new Array(items.length);
  // Cohorts: calls with the same history (the endpoints they failed on), which go on together.
  const cohorts = [{ failed: new Map<number, string>(), calls: items.map((_, i) => i) }];
  while (cohorts.length) {
    const cohort = cohorts[0]!;
    let admitted: Awaited<ReturnType<typeof admit>>;
    try {
      admitted = await admit(run, Math.min(cohort.calls.length, GROUP_MAX), cohort.failed);
    } catch (e) {
      for (const i of cohort.calls) out[i] = { ok: false, error: e };
      cohorts.shift();
      continue;
    }
    const { endpoint, granted, waitedMs } = admitted;
    const chunk = cohort.calls.splice(0, granted);
    if (!cohort.calls.length) cohorts.shift();
    const attempts = await Promise.all(chunk.map((i) => send(endpoint, items[i]!).catch((error: unknown) => ({ error }))));
    const outcomes: EndpointOutcome[] = [];
    const again: number[] = [];
    let how = "";
    attempts.forEach((a, k) => {
      const i = chunk[k]!;
      if ("error" in a) return void (out[i] = { ok: false, error: a.error });
      outcomes.push(outcomeOf(a));
      logAttempt(chain, who, endpoint, cohort.failed.size + 1, a, waitedMs);
      if (!a.fault) return void (out[i] = { ok: true, value: a.value as T });
      again.push(i);
      how ||= failedHow(endpoint, a);
      if (a.fault.retryAfterMs !== undefined) run.retryAfterMs = Math.min(run.retryAfterMs ?? Infinity, a.fault.retryAfterMs);
    });
    run.attempt = Math.max(run.attempt, cohort.failed.size + 1);
    if (outcomes.length) await reportAll(run.gate(), chain.id, endpoint.index, outcomes);
    if (again.length) cohorts.push({ failed: new Map(cohort.failed).set(endpoint.index, how), calls: again });
  }
  return out;
}

/**
 * An endpoint for `cost` calls that avoids the ones in `failed`, waiting while
 * the gate says "wait N ms" up to the run's deadline. Throws
 * GateUnavailableError when every endpoint failed these calls or none comes
 * free in time.
 */
async function admit(run: GateRun, cost: number, failed: Map<number, string>): Promise<{ endpoint: GateEndpoint; granted: number; waitedMs: number }> {
  const { chain, who } = run;
  let waitedMs = 0; // slept waiting for budget or a healthy endpoint
  for (;;) {
    run.signal?.throwIfAborted();
    const grant = await run.gate().acquire(chain.id, cost, [...failed.keys()]);
    if (grant.endpoint) return { endpoint: grant.endpoint, granted: grant.granted, waitedMs };
    if (grant.reason === "exhausted") {
      // Every endpoint failed these calls: say how each failed (viem wraps
      // this as the cause of an HttpRequestError, which the deployer calls transient).
      const how = [...failed].map(([i, w]) => `#${i} ${w}`).join(", ");
      log("warn", "rpc.unavailable", { ...who, chain: chain.id, attempt: run.attempt, outcome: "exhausted", calls: cost, error: how });
      throw new GateUnavailableError(`every RPC endpoint of ${chain.id} failed: ${how}`, run.retryAfterMs);
    }
    const now = Date.now();
    if (now + grant.waitMs > run.deadline) {
      const why = grant.reason === "budget" ? "provider budget spent" : "circuit breakers open";
      log("warn", "rpc.unavailable", { ...who, chain: chain.id, attempt: run.attempt, outcome: grant.reason, calls: cost, waitedMs, nextInMs: grant.waitMs });
      throw new GateUnavailableError(`no RPC endpoint of ${chain.id} available within ${run.maxWaitMs} ms (${why}; next in ${grant.waitMs} ms)`, grant.waitMs);
    }
    // A little jitter so callers woken by the same refill do not stampede the gate together.
    const nap = Math.min(grant.waitMs, MAX_SLEEP_MS, run.deadline - now) + Math.random() * 10;
    await sleep(nap);
    waitedMs += Math.round(nap);
  }
}

/** What the breaker is told of an attempt. */
function outcomeOf(a: GateAttempt<unknown>): EndpointOutcome {
  if (a.fault) return { type: "failure", ...a.fault, latencyMs: a.latencyMs };
  return a.refused ? { type: "success", latencyMs: a.latencyMs, rpcError: true } : { type: "success", latencyMs: a.latencyMs };
}

/** Every outcome of one group on one endpoint in one gate round trip (one report each for a gate without reportMany, e.g. a test's fake). */
async function reportAll(gate: GateClient, chainId: string, index: number, outcomes: EndpointOutcome[]): Promise<void> {
  if (gate.reportMany) await gate.reportMany(chainId, index, outcomes);
  else for (const o of outcomes) await gate.report(chainId, index, o);
}

/** The rpc.call line of one attempt: chain, endpoint origin, attempt, outcome, latency, the calls' methods and whom they serve. */
function logAttempt(chain: ChainConfig, who: Record<string, unknown>, endpoint: GateEndpoint, attempt: number, a: GateAttempt<unknown>, waitedMs: number) {
  const { fault } = a;
  log(fault ? "warn" : "info", "rpc.call", {
    ...who, chain: chain.id, endpoint: redactRpcUrl(endpoint.url), provider: endpoint.provider, attempt,
    outcome: fault ? fault.kind : a.refused ? "rpc-error" : "ok", latencyMs: a.latencyMs,
    ...(waitedMs ? { waitedMs } : {}), calls: a.calls.length, methods: methodsOf(a.calls),
    ...(a.status !== undefined && fault ? { status: a.status } : {}),
  });
}

function failedHow(endpoint: GateEndpoint, a: GateAttempt<unknown>): string {
  return `${endpoint.provider} ${a.fault!.kind}${a.status !== undefined ? ` (HTTP ${a.status})` : ""}`;
}

/**
 * A `fetch` for viem's http transport (its `fetchFn` option) that sends every
 * JSON-RPC request or batch through the chain's gate. viem keeps doing what it
 * does well (batching, encoding, errors); routing and budget live here. A batch
 * larger than the provider's bucket goes in granted-size chunks, each chunk
 * starting again from the primary.
 */
export function gatedFetch(env: GateEnv, chain: ChainConfig, opts: GatedFetchOptions = {}): Fetch {
  const requestTimeoutMs = opts.requestTimeoutMs ?? gateConfig(env).requestTimeoutMs;
  const gate = gateClientOf(env, chain, opts);

  return async (_input, init = {}) => {
    const body = typeof init.body === "string" ? init.body : await new Response(init.body ?? null).text();
    const parsed: unknown = JSON.parse(body);
    const isBatch = Array.isArray(parsed);
    let pending: unknown[] = isBatch ? parsed : [parsed];
    const answers: unknown[] = [];
    const run = gateRun(env, chain, opts, gate, init.signal ?? undefined);

    while (pending.length) {
      const whole = (granted: number) => !isBatch || (granted >= pending.length && answers.length === 0);
      const { value, granted } = await throughGate(run, pending.length, async (endpoint, granted) => {
        const chunk = pending.slice(0, granted);
        const attemptBody = whole(granted) ? body : JSON.stringify(chunk);
        const a = await postRpc(endpoint.url, attemptBody, { timeoutMs: requestTimeoutMs, signal: run.signal, headers: init.headers, family: chain.family });
        return {
          fault: a.fault, latencyMs: a.latencyMs, calls: chunk, refused: !a.fault && rpcErrors(a.text) > 0,
          ...(a.response ? { status: a.response.status } : {}),
          value: a.fault ? undefined : { response: a.response!, text: a.text },
        };
      });
      if (whole(granted)) return copy(value.response, value.text);
      const data: unknown = JSON.parse(value.text);
      // A server that refuses a whole batch answers one error object: hand it to viem as is.
      if (!Array.isArray(data)) return copy(value.response, value.text);
      answers.push(...data);
      pending = pending.slice(granted);
    }
    return new Response(JSON.stringify(answers), { status: 200, headers: { "content-type": "application/json" } });
  };
}

/**
 * JSON-RPC calls through the chain's gate (the cron's reads): batches of `chunk`,
 * answers in call order; throws GateUnavailableError when no endpoint could take them.
 */
export function gatedRpc<T = unknown>(env: GateEnv, chain: ChainConfig, calls: RpcCall[], hop: string, chunk = 200): Promise<RpcAnswer<T>[]> {
  return rpcBatch<T>(gatedFetch(env, chain, { context: { hop } }), gateUrl(chain), calls, chunk);
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

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
