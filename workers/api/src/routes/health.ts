// GET /api/v1/health — deep health for operators: D1, KV, each chain's RPC
// endpoints (reachable, latest block, latency) and the backlog from D1.
import { Hono } from "hono";
import { chainRegistry, EVM_LAUNCH_GAS, redactRpcUrl, SOLANA_LAUNCH_LAMPORTS_ESTIMATE, type ChainConfig } from "@tokenforge/core";
import type { AppEnv } from "../env";

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
    Promise.all(chains.map((ch) => chainHealth(ch, ch.family === "evm" ? env.EVM_DEPLOYER_ADDRESS : ((env.SOLANA_FEE_PAYER as string | undefined) || null)))),
  ]);
  const chainsOk = chainReports.every((r) => r.status === "ok");
  const ok = d1.ok && kv.ok;
  const status = !ok ? "down" : chainsOk ? "ok" : "degraded";
  return c.json(
    {
      status,
      environment: env.TF_ENV,
      time: new Date().toISOString(),
      d1: { ok: d1.ok, latencyMs: d1.latencyMs, ...(d1.ok ? {} : { error: d1.error }) },
      kv: { ok: kv.ok, latencyMs: kv.latencyMs, ...(kv.ok ? {} : { error: kv.error }) },
      backlog: d1.ok ? d1.value.backlog : null,
      chains: chainReports,
    },
    ok ? 200 : 503,
    { "cache-control": "no-store" },
  );
});

async function chainHealth(chain: ChainConfig, deployer: string | null) {
  const [endpoints, funds] = await Promise.all([
    Promise.all(
      chain.rpc.map(async (ep) => {
        const r = await timed(() => rpcHead(chain, ep.url));
        return {
          provider: ep.provider,
          endpoint: redactRpcUrl(ep.url),
          reachable: r.ok,
          latencyMs: r.latencyMs,
          ...(r.ok ? { latest: r.value } : { error: r.error }),
        };
      }),
    ),
    deployer ? deployerFunds(chain, deployer).catch(() => null) : Promise.resolve(null),
  ]);
  const reachable = endpoints.filter((e) => e.reachable).length;
  const status = reachable === 0 ? "down" : reachable < endpoints.length || funds?.sufficient === false ? "degraded" : "ok";
  return { id: chain.id, family: chain.family, status, endpoints, ...(funds ? { deployer: funds } : {}) };
}

/** Whether the deployer account can pay for launches: below the floor, launches wait. */
async function deployerFunds(chain: ChainConfig, address: string) {
  const url = chain.rpc[0]!.url;
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
    return { ok: false, error: e instanceof Error ? e.message : String(e), latencyMs: Date.now() - start };
  }
}
