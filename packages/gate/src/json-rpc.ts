// The one JSON-RPC client of the platform's own code (viem and @solana/kit keep
// theirs). `postRpc` is one HTTP attempt to one endpoint, classified for the
// gate; gatedFetch makes every attempt with it, the cron's probe and the api's
// deep health call one granted endpoint through `callEndpoint`, and `rpcBatch`
// sends calls over any fetch (gatedFetch: budgets, breakers, failover).
import { classifyFetchFailure, classifyHttpResponse, parseRpcBody, type EndpointFault, type JsonRpcReply, type RpcFamily } from "./classify";
import { outgoingTraceparent } from "@tokenforge/core/trace";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type RpcCall = { method: string; params: unknown[] };
export type RpcAnswer<T = unknown> = { result: T } | { error: { code?: number; message: string } };

export type RpcAttempt = {
  /** null when the request never got an answer (timeout, refused). */
  response: Response | null;
  text: string;
  /** null: the endpoint did its job (a JSON-RPC error in the answer may still refuse the request). */
  fault: EndpointFault;
  latencyMs: number;
};

export type PostOptions = {
  timeoutMs: number;
  /** The caller's own signal: when it aborts, the attempt throws instead of blaming the endpoint. */
  signal?: AbortSignal;
  headers?: HeadersInit;
  family?: RpcFamily;
};

/** One HTTP attempt of a JSON-RPC body (a call or a batch) to one endpoint, its outcome classified. */
export async function postRpc(url: string, body: string, opts: PostOptions): Promise<RpcAttempt> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const started = Date.now();
  let response: Response | null = null;
  let text = "";
  let fault: EndpointFault;
  try {
    // W3C Trace Context: the provider's logs (and ours) can be joined on the request that caused the call.
    const headers = new Headers(opts.headers);
    if (!headers.has("traceparent")) headers.set("traceparent", outgoingTraceparent());
    const auth = withBasicAuth(url, headers);
    response = await fetch(auth.url, { method: "POST", headers: auth.headers, body, signal });
    text = await response.text();
    fault = classifyHttpResponse(response.status, response.headers, text, Date.now(), opts.family);
  } catch (e) {
    // The caller gave up (its own timeout or abort): not the endpoint's fault, nothing to report.
    if (opts.signal?.aborted) throw e;
    fault = { kind: classifyFetchFailure(e, timeout.aborted) };
  }
  return { response, text, fault, latencyMs: Date.now() - started };
}

export type EndpointCall<T> = RpcAttempt & { answer: RpcAnswer<T> | null };

/**
 * One call to one endpoint the gate granted (probes, deep health): the attempt
 * and the answer. An endpoint that answers 2xx without a JSON-RPC answer was
 * already classified "bad-response".
 */
export async function callEndpoint<T = unknown>(url: string, call: RpcCall, opts: PostOptions): Promise<EndpointCall<T>> {
  const attempt = await postRpc(url, JSON.stringify({ jsonrpc: "2.0", id: 1, ...call }), opts);
  const reply = attempt.fault ? undefined : parseRpcBody(attempt.text)?.[0];
  return { ...attempt, answer: reply ? toAnswer<T>(reply) : null };
}

/** `calls` in JSON-RPC batches of `chunk` over `send` (answers in call order); throws when the batch itself is refused. */
export async function rpcBatch<T = unknown>(send: Fetch, url: string, calls: RpcCall[], chunk = 200): Promise<RpcAnswer<T>[]> {
  const out: RpcAnswer<T>[] = [];
  for (let i = 0; i < calls.length; i += chunk) {
    const part = calls.slice(i, i + chunk);
    const body = JSON.stringify(part.map((c, j) => ({ jsonrpc: "2.0", id: j, method: c.method, params: c.params })));
    const res = await send(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    if (!res.ok) throw new Error(`JSON-RPC batch answered HTTP ${res.status}`);
    const data = (await res.json()) as unknown;
    if (!Array.isArray(data)) throw new Error(`JSON-RPC batch refused: ${JSON.stringify(data).slice(0, 200)}`);
    const byId = new Map((data as (JsonRpcReply & { id: unknown })[]).map((a) => [a.id, a]));
    part.forEach((_, j) => {
      const a = byId.get(j);
      out.push(a ? toAnswer<T>(a) : { error: { message: "no answer in the batch" } });
    });
  }
  return out;
}

function toAnswer<T>(a: JsonRpcReply): RpcAnswer<T> {
  if (!a.error) return { result: a.result as T };
  const code = typeof a.error.code === "number" ? a.error.code : undefined;
  return { error: { ...(code !== undefined ? { code } : {}), message: String(a.error.message ?? "") } };
}

/** Registry URLs may carry credentials (https://user:key@host/…); fetch wants them as a header. */
export function basicAuth(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  if (!url.username) return { url: raw };
  const authorization = `Basic ${btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`;
  url.username = "";
  url.password = "";
  return { url: url.toString(), authorization };
}

/** The URL without credentials and the request headers carrying them (plus the JSON content type). */
export function withBasicAuth(raw: string, init: HeadersInit | undefined): { url: string; headers: Headers } {
  const headers = new Headers(init);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  const { url, authorization } = basicAuth(raw);
  if (authorization) headers.set("authorization", authorization);
  return { url, headers };
}
