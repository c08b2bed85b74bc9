// GET /api/v1/chains — the registry as the launch contract shows it (no private RPC URLs).
import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { chainRegistry, ChainFees, feesKey } from "@tokenforge/core";
import { chainSettings } from "@tokenforge/core/db/schema";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { ChainList } from "../schemas";
import type { Env } from "../env";

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

/** The registry as the launch contract shows it, with fees (KV) and the factory settings and pause (D1). Also the MCP tool list_chains. */
export async function listChains(env: Env) {
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
