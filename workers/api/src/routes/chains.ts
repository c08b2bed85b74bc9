// GET /api/v1/chains — the registry as the launch contract shows it (no private RPC URLs).
import { Hono } from "hono";
import { chainRegistry } from "@tokenforge/core";
import type { AppEnv } from "../env";

export const chainsRoute = new Hono<AppEnv>();

chainsRoute.get("/", (c) => {
  const chains = chainRegistry(c.env.TF_ENV).map((ch) => ({
    id: ch.id,
    name: ch.name,
    family: ch.family,
    ...(ch.family === "evm" ? { chainId: ch.chainId } : {}),
    nativeSymbol: ch.nativeSymbol,
    rpcUrl: ch.publicRpcUrl,
    explorerUrl: ch.explorer?.url ?? null,
    confirmations: ch.confirmations,
  }));
  return c.json({ chains }, 200, { "cache-control": "public, max-age=60" });
});
