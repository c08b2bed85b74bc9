// GET /api/v1/health — deep health for operators: D1, KV, the backlog from D1,
// and per chain each RPC endpoint as its ChainGate sees it (breaker state,
// recent error rate, latency, provider bucket fill) plus a live head read.
// 503 when D1 or KV is down or a chain has no healthy endpoint (every breaker
// open): launches on that chain cannot move.
//
// The live reads spend provider budget through ChainGate.reserve like any RPC
// call, so an ops page polling health never pushes a provider over its quota;
// they do not report to the breakers (the deployer's traffic and the cron's
// probes are the evidence). If the gate cannot answer (the deployer is down or
// not deployed), health still probes the endpoints directly: that is when an
// operator needs it most.
import { Hono } from "hono";
import { chainRegistry, EVM_LAUNCH_GAS, redactRpcUrl, SOLANA_LAUNCH_LAMPORTS_ESTIMATE, type ChainConfig } from "@tokenforge/core";
import type { EndpointSnapshot, GateSnapshot } from "../../../deployer/src/gate/chain-gate.do";
import type { AppEnv, Env } from "../env";

const PROBE_TIMEOUT_MS = 2_000;
// The deployer must afford this many launches at the current gas price, or the chain is degraded.
const MIN_BALANCE_LAUNCHES = 20n;

export const healthRoute = new Hono<AppEnv>();

healthRoute.get("/", async (c) => {
  const env = c.env;
  const chains = chainRegistry(env);
  const [d1, kv, chainReports] = await Promise.all([
    timed(async () => {
      const r = await env.DB.prepare(
        "SELECT status, COUNT(*) AS n FROM launches WHERE status IN ('queued','submitted') GROUP BY status",
      ).all<{ status: string; n: number }>();
      const backlog = Object.fromEntries(r.results.map((x) => [x.status, x.n]));
      return { backlog: { queued: backlog.queued ?? 0, submitted: backlog.submitted ?? 0 } };
    }),
    timed(async () => {
      await env.CACHE.get("health:probe");
      return {};
    }),
    Promise.all(chains.map((ch) => chainHealth(env, ch, ch.family === "evm" ? env.EVM_DEPLOYER_ADDRESS : ((env.SOLANA_FEE_PAYER as string | undefined) || null)))),
  ]);
  const chainsOk = chainReports.every((r) => r.status === "ok");
  const stalled = chainReports.filter((r) => r.healthy === false).map((r) => r.id);
  const ok = d1.ok && kv.ok && !stalled.length;
  const status = !d1.ok || !kv.ok ? "down" : chainsOk ? "ok" : "degraded";
  return c.json(
    {
      status,
      environment: env.TF_ENV,
      time: new Date().toISOString(),
      d1: { ok: d1.ok, latencyMs: d1.latencyMs, ...(d1.ok ? {} : { error: d1.error }) },
      kv: { ok: kv.ok, latencyMs: kv.latencyMs, ...(kv.ok ? {} : { error: kv.error }) },
      backlog: d1.ok ? d1.value.backlog : null,
      ...(stalled.length ? { unhealthyChains: stalled } : {}),
      chains: chainReports,
    },
    ok ? 200 : 503,
    { "cache-control": "no-store" },
  );
});

type Gate = DurableObjectStub<import("../../../deployer/src/gate/chain-gate.do").ChainGate>;

async function chainHealth(env: Env, chain: ChainConfig, deployer: string | null) {
  const gate = env.CHAIN_GATE ? env.CHAIN_GATE.get(env.CHAIN_GATE.idFromName(chain.id)) : null;
  const snap = await timed(async (): Promise<GateSnapshot> => {
    if (!gate) throw new Error("no CHAIN_GATE binding");
    return gate.snapshot(chain.id);
  });
  const viaGate = snap.ok ? gate : null;
  const [endpoints, funds] = await Promise.all([
    Promise.all(chain.rpc.map((ep, i) => endpointHealth(viaGate, chain, i, snap.ok ? snap.value.endpoints[i] : undefined))),
    deployer ? deployerFunds(viaGate, chain, snap.ok ? snap.value : null, deployer).catch(() => null) : Promise.resolve(null),
  ]);
  // Without the gate's view, a chain is as healthy as its endpoints answer.
  const healthy = snap.ok ? snap.value.healthy : null;
  const reachable = endpoints.filter((e) => e.reachable).length;
  const allClosed = endpoints.every((e) => !e.breaker || e.breaker.state === "closed");
  const status = healthy === false || reachable === 0 ? "down"
    : reachable < endpoints.length || !allClosed || funds?.sufficient === false || healthy === null ? "degraded" : "ok";
  return {
    id: chain.id, family: chain.family, status, healthy,
    gate: snap.ok ? { ok: true, latencyMs: snap.latencyMs } : { ok: false, error: snap.error },
    endpoints,
    ...(funds ? { deployer: funds } : {}),
  };
}

async function endpointHealth(gate: Gate | null, chain: ChainConfig, index: number, s: EndpointSnapshot | undefined) {
  const ep = chain.rpc[index]!;
  const gateView = s
    ? {
        breaker: {
          state: s.state, since: new Date(s.since).toISOString(), reason: s.reason, retryInMs: s.retryInMs,
          errorRate: Math.round(s.recentErrorRate * 1000) / 1000, recentCalls: s.recentCalls, opens: s.opens,
          lastFailure: s.lastFailure ? { kind: s.lastFailure.kind, at: new Date(s.lastFailure.at).toISOString() } : null,
        },
        latency: { p50Ms: s.latencyP50Ms, avgMs: s.latencyAvgMs },
        bucket: { provider: s.provider, fill: s.bucketFill },
        calls: s.calls,
        failures: s.failures,
      }
    : {};
  const base = { provider: ep.provider, endpoint: redactRpcUrl(ep.url), ...gateView };
  if (gate) {
    const grant = await gate.reserve(chain.id, index, 1).catch(() => null);
    if (!grant?.endpoint) {
      // No budget for a live read: the provider is busy with real traffic; the breaker says how that goes.
      return { ...base, reachable: s ? s.state !== "open" : false, probe: "skipped: provider budget spent" };
    }
  }
  const r = await timed(() => rpcHead(chain, ep.url));
  return { ...base, reachable: r.ok, latencyMs: r.latencyMs, ...(r.ok ? { latest: r.value } : { error: r.error }) };
}

/** Whether the deployer account can pay for launches: below the floor, launches wait. Read from the first endpoint the breakers admit. */
async function deployerFunds(gate: Gate | null, chain: ChainConfig, snap: GateSnapshot | null, address: string) {
  const index = snap ? snap.endpoints.findIndex((e) => e.state !== "open") : 0;
  if (index < 0) return null;
  if (gate) {
    const grant = await gate.reserve(chain.id, index, chain.family === "solana" ? 1 : 2);
    if (!grant.endpoint) return null;
  }
  const url = chain.rpc[index]!.url;
  if (chain.family === "solana") {
    // The fee payer pays each launch's rent (mint + owner's token account) and fees.
    const { value } = await rpcCall<{ value: number }>(url, "getBalance", [address, { commitment: "confirmed" }]);
    const minimum = BigInt(SOLANA_LAUNCH_LAMPORTS_ESTIMATE) * MIN_BALANCE_LAUNCHES;
    return { address, balanceLamports: String(value), minimumLamports: minimum.toString(), sufficient: BigInt(value) >= minimum };
  }
  const [balance, gasPrice] = await Promise.all([rpcCall<string>(url, "eth_getBalance", [address, "latest"]), rpcCall<string>(url, "eth_gasPrice", [])]);
  const minimum = BigInt(gasPrice) * BigInt(EVM_LAUNCH_GAS) * MIN_BALANCE_LAUNCHES;
  return { address, balanceWei: BigInt(balance).toString(), minimumWei: minimum.toString(), sufficient: BigInt(balance) >= minimum };
}

async function rpcCall<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error || body.result === undefined) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body.result;
}

async function rpcHead(chain: ChainConfig, url: string) {
  if (chain.family === "evm") return { block: Number(BigInt(await rpcCall<string>(url, "eth_blockNumber", []))) };
  return { slot: Number(await rpcCall<number>(url, "getSlot", [])) };
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
  return message.replace(/https?:\/\/[^\s"')]+/g, (u) => redactRpcUrl(u)).slice(0, 300);
}
