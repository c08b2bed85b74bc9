// POST /api/v1/tokens/{chain}/{address}/refresh — asks for the token's chain state
// to be read now instead of at the cron's next cycle (the web app calls it after the
// owner renounced, minted, paused or revoked). The read runs in the cron Worker
// (through the service binding, after the answer: the same gated read as the
// cycle's), so this path makes no RPC call itself; 202 says it was queued. Limited
// per token (RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE): each read costs RPC budget.
import { createRoute, z } from "@hono/zod-openapi";
import { log } from "@tokenforge/core";
import { ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { limitTokenRefresh } from "../rate-limit";
import { TokenDetailParams } from "../schemas";
import { tokenOfPath } from "./token-detail";

export const tokenRefreshRoute = router();

const RefreshQueued = z.object({ status: z.literal("queued"), detail: z.string() }).meta({ id: "TokenRefreshQueued" });

const refresh = createRoute({
  method: "post",
  path: "/{chain}/{address}/refresh",
  operationId: "refreshToken",
  tags: ["tokens"],
  summary: "Read the token's chain state now (queued; the detail's chainStateAt moves when it is done)",
  security: security.none,
  request: { params: TokenDetailParams },
  responses: {
    202: { description: "The read is queued", content: jsonContent(RefreshQueued) },
    ...problems("not-found", "validation-error", ...LIMITED),
  },
});

tokenRefreshRoute.openapi(refresh, async (c) => {
  const { chain, address } = tokenOfPath(c.env, c.req.valid("param"));
  const known = await c.env.DB.prepare("SELECT 1 AS one FROM tokens WHERE chain = ? AND address = ?").bind(chain.id, address).first();
  if (!known) throw new ProblemError("not-found", `no token ${address} on ${chain.id}`);
  await limitTokenRefresh(c, chain.id, address);
  const qs = new URLSearchParams({ chain: chain.id, address });
  c.executionCtx.waitUntil(
    c.env.CRON.fetch(`https://cron.internal/token-state?${qs}`, { method: "POST" })
      .then((r) => r.text())
      .then((outcome) => log("info", "api.token_refresh", { chain: chain.id, address, outcome }))
      .catch((e: unknown) => log("warn", "api.token_refresh_failed", { chain: chain.id, address, error: e })),
  );
  return c.json({ status: "queued" as const, detail: "the chain state is being read; GET the token and watch chainStateAt" }, 202);
});
