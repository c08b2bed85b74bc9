// GET /api/v1/chains — the registry as the launch contract shows it (no private RPC URLs).
import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { chainRegistry, ChainFees, feesKey } from "@tokenforge/core";
import { chainSettings } from "@tokenforge/core/db/schema";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { ChainList } from "../schemas";
import type { Env } from "../env";
import { apiConfig } from "../config";

export const chainsRoute = router();

const list = createRoute({
  method: "get",
  path: "/",
  operationId: "listChains",
  tags: ["chains"],
  summary: "Supported chains, with launch cost estimates when known",
  security: security.none,
  responses: { 200: { description: "The chain registry", content: jsonContent(ChainList) }, ...problems(...LIMITED) },
});

chainsRoute.openapi(list, async (c) => {
  return c.json({ chains: await listChains(c.env) }, 200, { "cache-control": "public, max-age=15" });
});

/**
 * This isolate's answer for the current bucket (CHAINS_CACHE_SECONDS): a busy isolate answers
 * repeats with no D1 query and no KV read. The bucket bounds staleness as the tokens cache's
 * does; a pause or resume through this isolate drops it at once (forgetChains).
 */
let near: { key: string; chains: ChainView[] } | null = null;

/** Called by the admin pause and resume: this isolate's next GET /chains reads D1 and KV again. */
export function forgetChains() {
  near = null;
}

type ChainView = Awaited<ReturnType<typeof readChains>>[number];

/** The registry as the launch contract shows it, with fees (KV) and the factory settings and pause (D1). Also the MCP tool list_chains. */
export async function listChains(env: Env, now = Date.now()): Promise<ChainView[]> {
  const bucketMs = apiConfig(env).chainsCacheMs;
  // The registry's ids in the key: envs with another registry (tests) never share an answer.
  const key = bucketMs > 0 ? `${Math.floor(now / bucketMs)}:${chainRegistry(env).map((ch) => ch.id).join(",")}` : null;
  if (key !== null && near?.key === key) return near.chains;
  const chains = await readChains(env);
  if (key !== null) near = { key, chains };
  return chains;
}

async function readChains(env: Env) {
  const registry = chainRegistry(env);
  // Fees come from KV (written by the cron Worker): never an RPC call on this path.
  // The platform fee and treasury come from D1 chain_settings (written by the cron from each factory),
  // and the operators' pause (admin routes).
  const [fees, settings] = await Promise.all([
    Promise.all(registry.map((ch) => env.CACHE.get(feesKey(ch.id), "json").catch(() => null))),
    drizzle(env.DB).select({ chain: chainSettings.chain, platformFee: chainSettings.platformFee, treasury: chainSettings.treasury, paused: chainSettings.paused }).from(chainSettings),
  ]);
  const byChain = new Map(settings.map((s) => [s.chain, s]));
  return registry.map((ch, i) => ({
    id: ch.id,
    name: ch.name,
    family: ch.family,
    ...(ch.family === "evm" ? { chainId: ch.chainId } : {}),
    nativeSymbol: ch.nativeSymbol,
    rpcUrl: ch.publicRpcUrl,
    explorerUrl: ch.explorer?.url ?? null,
    confirmations: ch.confirmations,
    fees: ChainFees.safeParse(fees[i]).data ?? null,
    treasury: byChain.get(ch.id)?.treasury ?? null,
    platformFee: byChain.get(ch.id)?.platformFee ?? null,
    paused: byChain.get(ch.id)?.paused ?? false,
  }));
}
