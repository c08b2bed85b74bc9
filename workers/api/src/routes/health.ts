// GET /api/v1/health — public, cheap: D1, KV, the backlog and per chain each RPC
// endpoint as its ChainGate already sees it (breaker state, recent error rate,
// latency, provider bucket fill; the deployer's traffic and the cron's probes
// are the evidence). It makes no RPC call on any path and is computed at most
// once per HEALTH_TTL_MS per isolate (concurrent requests share one computation),
// so anonymous polling cannot spend the providers' budget the deployer needs.
//
// GET /api/v1/health/deep — operators only (admin role or ADMIN_TOKEN): adds a
// live head read per endpoint and the deployer account's funds. Those reads spend
// provider budget through ChainGate.reserve and go to the URL the gate grants:
// the gate runs in the deployer, whose env holds the provider API keys, so it is
// the one place endpoint URLs are resolved with their secrets (this Worker's own
// registry copy has no keys and is used only for ids, providers and origins).
//
// Both answer 503 when D1 or KV is down or a chain has no healthy endpoint
// (every breaker open): launches on that chain cannot move.
import { Hono } from "hono";
import { chainRegistry, EVM_LAUNCH_GAS, redactRpcUrl, redactUrls, SOLANA_LAUNCH_LAMPORTS_ESTIMATE, type ChainConfig } from "@tokenforge/core";
import { NOT_FINAL, statusIn } from "@tokenforge/core/lifecycle";
import type { ChainGateRpc, EndpointSnapshot, GateEndpoint, GateSnapshot } from "@tokenforge/gate";
import { callEndpoint } from "@tokenforge/gate/json-rpc";
import type { AppEnv, Env } from "../env";
import { requireAdmin } from "../auth";

const PROBE_TIMEOUT_MS = 2_000;
// The deployer must afford this many launches at the current gas price, or the chain is degraded.
const MIN_BALANCE_LAUNCHES = 20n;
/** How long a public health answer is reused (issue 12: at most 5 s). */
export const HEALTH_TTL_MS = 5_000;

export const healthRoute = new Hono<AppEnv>();

type Report = { body: Record<string, unknown>; ok: boolean };
let memo: { at: number; report: Promise<Report> } | null = null;

/** Whether an answer computed at `at` may still be served at `now` (pure: tests move the clock). */
export function reusable(at: number, now: number): boolean {
  return now >= at && now - at < HEALTH_TTL_MS;
}

/** The public report, reused for HEALTH_TTL_MS from when it was started; concurrent callers share one computation. */
function cachedHealth(env: Env, now = Date.now()): Promise<Report> {
  if (memo && reusable(memo.at, now)) return memo.report;
  const report = publicHealth(env);
  memo = { at: now, report };
  // A failed computation must not be served for the whole TTL.
  report.catch(() => (memo?.report === report ? (memo = null) : undefined));
  return report;
}

healthRoute.get("/", async (c) => {
  const started = Date.now();
  const { body, ok } = await cachedHealth(c.env, started);
  const age = Math.max(0, Math.floor((started - Date.parse(String(body.time))) / 1000));
  return c.json(body, ok ? 200 : 503, { "cache-control": `public, max-age=${HEALTH_TTL_MS / 1000}`, age: String(age) });
});

healthRoute.get("/deep", requireAdmin, async (c) => {
  const { body, ok } = await deepHealth(c.env);
  return c.json(body, ok ? 200 : 503, { "cache-control": "no-store" });
});

async function publicHealth(env: Env): Promise<Report> {
  const chains = chainRegistry(env);
  const [base, chainReports] = await Promise.all([storageHealth(env), Promise.all(chains.map((ch) => gateView(env, ch)))]);
  return summarize(env, base, chainReports.map((r) => r.report));
}

async function deepHealth(env: Env): Promise<Report> {
  const chains = chainRegistry(env);
  const [base, chainReports] = await Promise.all([
    storageHealth(env),
    Promise.all(chains.map((ch) => deepChain(env, ch, ch.family === "evm" ? env.EVM_DEPLOYER_ADDRESS : ((env.SOLANA_FEE_PAYER as string | undefined) || null)))),
  ]);
  return summarize(env, base, chainReports);
}

async function storageHealth(env: Env) {
  return Promise.all([
    timed(async () => {
      const r = await env.DB.prepare(
        `SELECT status, COUNT(*) AS n FROM launches WHERE ${statusIn(NOT_FINAL)} GROUP BY status`,
      ).all<{ status: string; n: number }>();
      const backlog = Object.fromEntries(r.results.map((x) => [x.status, x.n]));
      return { backlog: { queued: backlog.queued ?? 0, submitted: backlog.submitted ?? 0 } };
    }),
    timed(async () => {
      await env.CACHE.get("health:probe");
      return {};
    }),
  ]);
}

type ChainReport = { id: string; status: string; healthy: boolean | null; [k: string]: unknown };

function summarize(env: Env, [d1, kv]: Awaited<ReturnType<typeof storageHealth>>, chainReports: ChainReport[]): Report {
  const chainsOk = chainReports.every((r) => r.status === "ok");
  const stalled = chainReports.filter((r) => r.healthy === false).map((r) => r.id);
  const ok = d1.ok && kv.ok && !stalled.length;
  const status = !d1.ok || !kv.ok ? "down" : chainsOk ? "ok" : "degraded";
  return {
    ok,
    body: {
      status,
      environment: env.TF_ENV,
      time: new Date().toISOString(),
      d1: { ok: d1.ok, latencyMs: d1.latencyMs, ...(d1.ok ? {} : { error: d1.error }) },
      kv: { ok: kv.ok, latencyMs: kv.latencyMs, ...(kv.ok ? {} : { error: kv.error }) },
      backlog: d1.ok ? d1.value.backlog : null,
      ...(stalled.length ? { unhealthyChains: stalled } : {}),
      chains: chainReports,
    },
  };
}

type Gate = DurableObjectStub<ChainGateRpc>;

/** What the chain's ChainGate knows: no RPC call. */
async function gateView(env: Env, chain: ChainConfig) {
  const gate = env.CHAIN_GATE ? env.CHAIN_GATE.get(env.CHAIN_GATE.idFromName(chain.id)) : null;
  const snap = await timed(async (): Promise<GateSnapshot> => {
    if (!gate) throw new Error("no CHAIN_GATE binding");
    return gate.snapshot(chain.id);
  });
  const endpoints = chain.rpc.map((ep, i) => {
    const s = snap.ok ? snap.value.endpoints[i] : undefined;
    // Without a live read, an endpoint is as reachable as its breaker says (unknown without the gate).
    return { provider: ep.provider, endpoint: redactRpcUrl(ep.url), ...endpointView(s), reachable: s ? s.state !== "open" : null };
  });
  // Without the gate's view a chain's state is unknown: degraded, not down.
  const healthy = snap.ok ? snap.value.healthy : null;
  const allClosed = endpoints.every((e) => e.breaker?.state === "closed");
  const status = healthy === false ? "down" : healthy === null || !allClosed ? "degraded" : "ok";
  const report: ChainReport = {
    id: chain.id, family: chain.family, status, healthy,
    gate: snap.ok ? { ok: true, latencyMs: snap.latencyMs } : { ok: false, error: snap.error },
    endpoints,
  };
  return { report, gate: snap.ok ? gate : null, snapshot: snap.ok ? snap.value : null };
}

function endpointView(s: EndpointSnapshot | undefined) {
  if (!s) return {};
  return {
    breaker: {
      state: s.state, since: new Date(s.since).toISOString(), reason: s.reason, retryInMs: s.retryInMs,
      errorRate: Math.round(s.recentErrorRate * 1000) / 1000, recentCalls: s.recentCalls, opens: s.opens,
      lastFailure: s.lastFailure ? { kind: s.lastFailure.kind, at: new Date(s.lastFailure.at).toISOString() } : null,
    },
    latency: { p50Ms: s.latencyP50Ms, avgMs: s.latencyAvgMs },
    bucket: { provider: s.provider, fill: s.bucketFill },
    calls: s.calls,
    failures: s.failures,
  };
}

/** The gate's view plus a live head read per endpoint and the deployer's funds, every read on a URL the gate granted. */
async function deepChain(env: Env, chain: ChainConfig, deployer: string | null): Promise<ChainReport> {
  const { report, gate, snapshot } = await gateView(env, chain);
  const views = report.endpoints as { reachable: boolean | null; [k: string]: unknown }[];
  const [endpoints, funds] = await Promise.all([
    Promise.all(views.map((v, i) => liveEndpoint(gate, chain, i, v))),
    deployer && gate ? deployerFunds(gate, chain, snapshot, deployer).catch(() => null) : Promise.resolve(null),
  ]);
  const reachable = endpoints.filter((e) => e.reachable).length;
  const status = report.status === "down" || reachable === 0 ? "down"
    : reachable < endpoints.length || report.status !== "ok" || funds?.sufficient === false ? "degraded" : "ok";
  return { ...report, status, endpoints, ...(funds ? { deployer: funds } : {}) };
}

async function liveEndpoint(gate: Gate | null, chain: ChainConfig, index: number, view: { reachable: boolean | null; [k: string]: unknown }) {
  if (!gate) return { ...view, reachable: false, probe: "skipped: no ChainGate to resolve the endpoint's URL" };
  const grant = await gate.reserve(chain.id, index, 1).catch(() => null);
  if (!grant?.endpoint) {
    // No budget for a live read: the provider is busy with real traffic; the breaker says how that goes.
    return { ...view, reachable: view.reachable === true, probe: "skipped: provider budget spent" };
  }
  const r = await timed(() => rpcHead(chain, grant.endpoint));
  return { ...view, reachable: r.ok, latencyMs: r.latencyMs, ...(r.ok ? { latest: r.value } : { error: r.error }) };
}

/** Whether the deployer account can pay for launches: below the floor, launches wait. Read from the first endpoint the breakers admit. */
async function deployerFunds(gate: Gate, chain: ChainConfig, snap: GateSnapshot | null, address: string) {
  const index = snap ? snap.endpoints.findIndex((e) => e.state !== "open") : 0;
  if (index < 0) return null;
  const grant = await gate.reserve(chain.id, index, chain.family === "solana" ? 1 : 2);
  if (!grant.endpoint) return null;
  const ep = grant.endpoint;
  if (chain.family === "solana") {
    // The fee payer pays each launch's rent (mint + owner's token account) and fees.
    const { value } = await rpcCall<{ value: number }>(ep, "getBalance", [address, { commitment: "confirmed" }]);
    const minimum = BigInt(SOLANA_LAUNCH_LAMPORTS_ESTIMATE) * MIN_BALANCE_LAUNCHES;
    return { address, balanceLamports: String(value), minimumLamports: minimum.toString(), sufficient: BigInt(value) >= minimum };
  }
  const [balance, gasPrice] = await Promise.all([rpcCall<string>(ep, "eth_getBalance", [address, "latest"]), rpcCall<string>(ep, "eth_gasPrice", [])]);
  const minimum = BigInt(gasPrice) * BigInt(EVM_LAUNCH_GAS) * MIN_BALANCE_LAUNCHES;
  return { address, balanceWei: BigInt(balance).toString(), minimumWei: minimum.toString(), sufficient: BigInt(balance) >= minimum };
}

/** One JSON-RPC call to an endpoint the gate granted (its URL carries the provider key; never shown). */
async function rpcCall<T>(endpoint: GateEndpoint, method: string, params: unknown[]): Promise<T> {
  const { answer, fault, response } = await callEndpoint<T>(endpoint.url, { method, params }, { timeoutMs: PROBE_TIMEOUT_MS });
  if (answer && "error" in answer) throw new Error(answer.error.message);
  if (!answer || answer.result === undefined) throw new Error(fault ? `${fault.kind}${response ? ` (HTTP ${response.status})` : ""}` : "no result");
  return answer.result;
}

async function rpcHead(chain: ChainConfig, endpoint: GateEndpoint) {
  if (chain.family === "evm") return { block: Number(BigInt(await rpcCall<string>(endpoint, "eth_blockNumber", []))) };
  return { slot: Number(await rpcCall<number>(endpoint, "getSlot", [])) };
}

async function timed<T>(fn: () => Promise<T>): Promise<
  { ok: true; value: T; latencyMs: number } | { ok: false; error: string; latencyMs: number }
> {
  const start = Date.now();
  try {
    const value = await fn();
    return { ok: true, value, latencyMs: Date.now() - start };
  } catch (e) {
    return { ok: false, error: scrub(e instanceof Error ? e.message : String(e)), latencyMs: Date.now() - start };
  }
}

/** Error text safe to show: any URL cut to its origin (paths and queries carry provider API keys). */
function scrub(message: string): string {
  return redactUrls(message).slice(0, 300);
}
