// The TokenForge client: openapi-fetch over the generated API types
// (@tokenforge/api-types), plus what every bot otherwise writes by hand —
// an Idempotency-Key on every create and safe retries (retry.ts), waitForLaunch
// (the launch's server-sent events, falling back to polling), pagination.
import createClient from "openapi-fetch";
import type { components, paths } from "@tokenforge/api-types";
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from "./retry";

export type LaunchRequest = paths["/api/v1/launches"]["post"]["requestBody"]["content"]["application/json"];
export type LaunchAccepted = components["schemas"]["LaunchAccepted"];
export type Launch = components["schemas"]["Launch"];
export type Token = components["schemas"]["Token"];
export type Chain = components["schemas"]["Chain"];
export type Quote = components["schemas"]["Quote"];
export type BatchResult = components["schemas"]["LaunchBatchResult"];
export type TokensQuery = NonNullable<paths["/api/v1/tokens"]["get"]["parameters"]["query"]>;
export type Problem = components["schemas"]["Problem"] & Record<string, unknown>;

const FINAL = new Set(["confirmed", "failed", "expired"]);

/** An answer that is not a success: the problem+json the API sent (RFC 9457), with its HTTP status. */
export class TokenForgeError extends Error {
  constructor(readonly status: number, readonly problem: Problem | null) {
    super(problem ? `${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ""}` : `HTTP ${status}`);
  }
}

export type ClientOptions = {
  /** Where the platform is, e.g. https://tokenforge.example (the API is under /api/v1). */
  baseUrl: string;
  apiKey?: string;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof globalThis.fetch;
  /** How waits are made (tests pass a faster one). */
  sleep?: (ms: number) => Promise<void>;
};

export type WaitOptions = {
  /** Each new view of the launch (status changes), as it arrives. */
  onUpdate?: (launch: Launch) => void;
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
};

// Long: the client is one closure — every method shares its retrying fetch, its key and its unwrap — read top to bottom.
export function createTokenForge(opts: ClientOptions) {
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  const baseFetch = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const baseUrl = opts.baseUrl.replace(/\/+$/, "");
  const auth: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};

  /** GETs are always safe to send again; a POST only with an Idempotency-Key. */
  async function retryingFetch(request: Request): Promise<Response> {
    const safe = request.method === "GET" || request.headers.has("idempotency-key");
    for (let attempt = 1; ; attempt++) {
      let res: Response | null = null;
      let error: unknown = null;
      try {
        // (The cast: this program also sees the Workers types, whose Request differs from the DOM one.)
        res = await baseFetch(request.clone() as unknown as Parameters<typeof fetch>[0]);
      } catch (e) {
        error = e;
      }
      const delay = safe ? retryDelay(attempt, res ? { status: res.status, retryAfter: res.headers.get("retry-after") } : { error }, policy) : null;
      if (delay === null) {
        if (res) return res;
        throw error;
      }
      await res?.body?.cancel();
      await sleep(delay);
    }
  }

  const api = createClient<paths>({ baseUrl, fetch: retryingFetch, headers: auth });

  async function unwrap<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await p;
    if (response.ok && data !== undefined) return data;
    throw new TokenForgeError(response.status, (error as Problem | undefined) ?? null);
  }

  const newKey = () => `sdk-${crypto.randomUUID()}`;

  async function getLaunch(id: string): Promise<Launch> {
    return unwrap(api.GET("/api/v1/launches/{id}", { params: { path: { id } } }));
  }

  /**
   * Resolves with the launch once it is final (confirmed, failed, expired). Follows
   * GET /launches/{id}/stream (server-sent events); when the stream cannot be had or
   * breaks, polls GET /launches/{id} instead, and goes back to the stream after a poll.
   */
  async function waitForLaunch(id: string, w: WaitOptions = {}): Promise<Launch> {
    const deadline = Date.now() + (w.timeoutMs ?? 10 * 60_000);
    let last = "";
    const seen = (v: Launch) => {
      const key = `${v.status}:${v.events.length}`;
      if (key !== last) {
        last = key;
        w.onUpdate?.(v);
      }
      return FINAL.has(v.status);
    };
    while (Date.now() < deadline) {
      w.signal?.throwIfAborted();
      const fromStream = await followStream(id, seen, deadline, w.signal).catch(() => null);
      if (fromStream) return fromStream;
      const polled = await getLaunch(id).catch((e) => {
        if (e instanceof TokenForgeError && e.status < 500 && e.status !== 429) throw e;
        return null;
      });
      if (polled && seen(polled)) return polled;
      await sleep(w.pollMs ?? 1_000);
    }
    throw new Error(`launch ${id} is not final after ${w.timeoutMs ?? 600_000} ms`);
  }

  /** Reads `launch` events until a final view (returned) or the stream ends (null). */
  async function followStream(id: string, seen: (v: Launch) => boolean, deadline: number, signal?: AbortSignal): Promise<Launch | null> {
    const ctl = new AbortController();
    const stop = () => ctl.abort();
    signal?.addEventListener("abort", stop);
    const timer = setTimeout(stop, Math.max(0, deadline - Date.now()));
    try {
      const res = await baseFetch(`${baseUrl}/api/v1/launches/${encodeURIComponent(id)}/stream`, { headers: { accept: "text/event-stream", ...auth }, signal: ctl.signal });
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel();
        return null;
      }
      for await (const event of serverSentEvents(res.body)) {
        if (event.event !== "launch") continue;
        const view = JSON.parse(event.data) as Launch;
        if (seen(view)) return view;
      }
      return null;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
      ctl.abort();
    }
  }

  /** Every page of a cursor-paginated list, one after another. */
  async function* pages<P>(first: (cursor: string | undefined) => Promise<P & { nextCursor: string | null }>) {
    let cursor: string | undefined;
    do {
      const page = await first(cursor);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  return {
    /** The typed openapi-fetch client, for any route (retries GETs and keyed POSTs). */
    api,
    chains: async () => (await unwrap(api.GET("/api/v1/chains"))).chains,
    quote: (body: LaunchRequest) => unwrap(api.POST("/api/v1/quotes", { body })),
    /** Creates a launch; the Idempotency-Key (generated when not given) makes its retries safe. */
    createLaunch: (body: LaunchRequest, o: { idempotencyKey?: string } = {}) =>
      unwrap(api.POST("/api/v1/launches", { body, params: { header: { "idempotency-key": o.idempotencyKey ?? newKey() } } })),
    /** Up to 100 launches; item i's key is `<idempotencyKey>:<i>`. One result per item, in order. */
    createLaunchBatch: async (launches: LaunchRequest[], o: { idempotencyKey?: string } = {}) =>
      (await unwrap(api.POST("/api/v1/launches/batch", { body: { launches }, params: { header: { "idempotency-key": o.idempotencyKey ?? newKey() } } }))).results as BatchResult[],
    getLaunch,
    waitForLaunch,
    tokens: (query: TokensQuery = {}) => unwrap(api.GET("/api/v1/tokens", { params: { query } })),
    /** Every token matching the query, page after page (follows nextCursor). */
    async *allTokens(query: TokensQuery = {}): AsyncGenerator<Token> {
      for await (const page of pages((cursor) => unwrap(api.GET("/api/v1/tokens", { params: { query: { ...query, cursor } } })))) yield* page.tokens;
    },
    pages,
    /** GET with the client's key and retries, for routes newer than this SDK's types. */
    getJson: async (path: string): Promise<unknown> => {
      const res = await retryingFetch(new Request(`${baseUrl}${path}`, { headers: auth }));
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new TokenForgeError(res.status, body as Problem | null);
      return body;
    },
  };
}

export type TokenForge = ReturnType<typeof createTokenForge>;

/** Parses a text/event-stream body into events (WHATWG HTML §9.2.6: fields, blank-line dispatch). */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string; id?: string }> {
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  let id: string | undefined;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith("\r\n", nl) ? 2 : 1));
      if (line === "") {
        if (data.length) yield { event, data: data.join("\n"), ...(id !== undefined ? { id } : {}) };
        event = "message";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") id = value;
    }
  }
}
