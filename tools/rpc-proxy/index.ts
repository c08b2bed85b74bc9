// A fault-injecting JSON-RPC proxy for tests: a node HTTP server in front of an
// upstream node (anvil) that passes requests through, or answers 500, 429 with
// Retry-After, hangs past any timeout, drops the connection, or answers slowly —
// switchable at runtime, from the test (`setMode`) or over HTTP
// (`POST /__control`), for a while or for the next N requests. It counts every
// JSON-RPC call it receives (each element of a batch) in total, per method and
// per second, so a test can assert a provider budget was never exceeded.
//
// Control endpoint (not counted):
//   POST /__control        {"mode":"fail429","retryAfterSeconds":2,"forMs":3000}  → the mode now in force
//   GET  /__control        → counts()
//   POST /__control/reset  → clears counts, back to "pass"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type ProxyMode =
  | { mode: "pass" }
  /** HTTP 500 with a text body, as a failing gateway would. */
  | { mode: "fail500" }
  /** HTTP 429 with `Retry-After: retryAfterSeconds` (default 1) and a JSON-RPC -32005 body. */
  | { mode: "fail429"; retryAfterSeconds?: number }
  /** Never answers (until the proxy closes): the client's timeout must fire. */
  | { mode: "hang" }
  /** Destroys the socket without an answer: a connection reset. */
  | { mode: "close" }
  /** Forwards after `delayMs` (default 1000). */
  | { mode: "slow"; delayMs?: number };

/** A mode, optionally for a while: `forMs` milliseconds or the next `forRequests` HTTP requests, then `then` (default pass). */
export type ModeSetting = ProxyMode & { forMs?: number; forRequests?: number; then?: ProxyMode };

export type ProxyCounts = {
  /** JSON-RPC calls received (each batch element counts). */
  calls: number;
  /** HTTP requests received. */
  httpRequests: number;
  byMethod: Record<string, number>;
  /** HTTP requests by the mode that answered them. */
  byMode: Record<ProxyMode["mode"], number>;
  /** Calls per wall-clock second (key: unix seconds). */
  perSecond: Record<string, number>;
  maxPerSecond: number;
  /** Arrival time (ms) of every call, for sliding-window checks (`maxInWindow`). */
  arrivals: number[];
};

export type RpcProxy = {
  url: string;
  port: number;
  setMode(setting: ModeSetting | ProxyMode["mode"]): void;
  mode(): ProxyMode;
  counts(): ProxyCounts;
  reset(): void;
  /** Forward to another node from now on (a test binds the proxy's port before the node it fronts exists). */
  setUpstream(url: string): void;
  close(): Promise<void>;
};

/** Most calls in any window of `windowMs` (sliding, not aligned to seconds): compare with a quota. */
export function maxInWindow(arrivals: number[], windowMs: number): number {
  const t = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

const MODES = ["pass", "fail500", "fail429", "hang", "close", "slow"] as const;

export async function startRpcProxy(opts: { upstream: string; port?: number; host?: string }): Promise<RpcProxy> {
  const host = opts.host ?? "127.0.0.1";
  let upstream = opts.upstream;
  let current: ProxyMode = { mode: "pass" };
  let until: { at?: number; requests?: number; then: ProxyMode } | null = null;
  let counts = emptyCounts();
  const hung = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const setMode = (s: ModeSetting | ProxyMode["mode"]) => {
    const setting: ModeSetting = typeof s === "string" ? ({ mode: s } as ModeSetting) : s;
    if (!MODES.includes(setting.mode)) throw new Error(`unknown proxy mode ${JSON.stringify(setting.mode)}`);
    const { forMs, forRequests, then, ...mode } = setting;
    current = mode as ProxyMode;
    until = forMs !== undefined || forRequests !== undefined
      ? { at: forMs !== undefined ? Date.now() + forMs : undefined, requests: forRequests, then: then ?? { mode: "pass" } }
      : null;
    if (current.mode !== "hang") releaseHung();
  };

  /** The mode for the request arriving now (and the countdown of "next N requests"). */
  const modeForRequest = (): ProxyMode => {
    if (until?.at !== undefined && Date.now() >= until.at) expire();
    if (until?.requests !== undefined) {
      if (until.requests <= 0) expire();
      else until.requests--;
    }
    return current;
  };
  const expire = () => {
    current = until!.then;
    until = null;
    if (current.mode !== "hang") releaseHung();
  };
  // Hung requests stay hung while the mode is "hang"; leaving it drops them
  // (destroying the socket), as a node that recovers would not answer them either.
  const releaseHung = () => {
    for (const res of hung) res.socket?.destroy();
    hung.clear();
  };

  const server = createServer((req, res) => void handle(req, res).catch((e) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`rpc-proxy: ${(e as Error).message}`);
  }));
  // Clients keep connections alive for long (undici: 4 s, workerd longer): do not drop them under the client.
  server.keepAliveTimeout = 60_000;
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/__control" || path === "/__control/reset") return control(req, res, path, body);

    const now = Date.now();
    const methods = rpcMethods(body);
    counts.httpRequests++;
    counts.calls += methods.length;
    const second = String(Math.floor(now / 1000));
    counts.perSecond[second] = (counts.perSecond[second] ?? 0) + methods.length;
    counts.maxPerSecond = Math.max(counts.maxPerSecond, counts.perSecond[second]!);
    for (const m of methods) {
      counts.byMethod[m] = (counts.byMethod[m] ?? 0) + 1;
      counts.arrivals.push(now);
    }
    const mode = modeForRequest();
    counts.byMode[mode.mode]++;

    switch (mode.mode) {
      case "fail500":
        res.writeHead(500, { "content-type": "text/plain" });
        return void res.end("rpc-proxy: injected 500");
      case "fail429": {
        const seconds = mode.retryAfterSeconds ?? 1;
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(seconds) });
        return void res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32005, message: "rpc-proxy: injected 429, too many requests" } }));
      }
      case "hang":
        hung.add(res);
        res.on("close", () => hung.delete(res));
        return;
      case "close":
        return void req.socket.destroy();
      case "slow":
        await new Promise((r) => setTimeout(r, mode.delayMs ?? 1_000));
        return forward(body, res);
      case "pass":
        return forward(body, res);
    }
  }

  async function forward(body: string, res: ServerResponse) {
    const answer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await answer.text();
    if (res.destroyed) return;
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(text);
  }

  function control(req: IncomingMessage, res: ServerResponse, path: string, body: string) {
    const reply = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    try {
      if (path === "/__control/reset" && req.method === "POST") {
        reset();
        return reply(200, { mode: current });
      }
      if (req.method === "GET") return reply(200, counts);
      if (req.method === "POST") {
        setMode(JSON.parse(body || "{}") as ModeSetting);
        return reply(200, { mode: current, until });
      }
      return reply(405, { error: "GET or POST" });
    } catch (e) {
      return reply(400, { error: (e as Error).message });
    }
  }

  function reset() {
    counts = emptyCounts();
    current = { mode: "pass" };
    until = null;
    releaseHung();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    setMode,
    mode: () => {
      if (until?.at !== undefined && Date.now() >= until.at) expire();
      return current;
    },
    counts: () => structuredClone(counts),
    reset,
    setUpstream: (url: string) => {
      upstream = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        releaseHung();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function emptyCounts(): ProxyCounts {
  return {
    calls: 0, httpRequests: 0, byMethod: {}, perSecond: {}, maxPerSecond: 0, arrivals: [],
    byMode: { pass: 0, fail500: 0, fail429: 0, hang: 0, close: 0, slow: 0 },
  };
}

/** Methods of a JSON-RPC request or batch; a body that is not JSON-RPC counts as one call named "?". */
function rpcMethods(body: string): string[] {
  try {
    const data: unknown = JSON.parse(body);
    const items = Array.isArray(data) ? data : [data];
    return items.map((x) => String((x as { method?: unknown })?.method ?? "?"));
  } catch {
    return ["?"];
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
