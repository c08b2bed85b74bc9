// GET /api/v1/tokens/{chain}/{address}/history — a token's market series for its
// chart, from D1 market_points (written by the cron: 5-minute points for a day,
// hourly after). One query; no provider call on this path.
import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";

export const marketHistoryRoute = router();

const DAY_MS = 24 * 3600_000;
const RANGES = { "1d": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS } as const;

const Point = z.object({
  t: z.string().meta({ description: "Start of the interval (ISO 8601)" }),
  resolution: z.number().int().meta({ description: "Seconds the point covers: 300 (last day) or 3600 (older)" }),
  priceUsd: z.number().nullable(), marketCapUsd: z.number().nullable().meta({ description: "Market cap, or FDV when the market cap is unknown" }),
  volume24hUsd: z.number().nullable(), liquidityUsd: z.number().nullable(),
});
const History = z.object({ points: z.array(Point) }).meta({ id: "MarketHistory" });

const history = createRoute({
  method: "get",
  path: "/{chain}/{address}/history",
  operationId: "getTokenMarketHistory",
  tags: ["tokens"],
  summary: "A token's market figures over time (for charts)",
  security: security.none,
  request: {
    params: z.object({ chain: z.string().max(64), address: z.string().max(64) }),
    query: z.strictObject({ range: z.enum(["1d", "7d", "30d"]).default("7d") }),
  },
  responses: { 200: { description: "Points, oldest first", content: jsonContent(History) }, ...problems("validation-error", ...LIMITED) },
});

marketHistoryRoute.openapi(history, async (c) => {
  const { chain, address } = c.req.valid("param");
  const { range } = c.req.valid("query");
  const since = Date.now() - RANGES[range];
  const { results } = await c.env.DB.prepare(`SELECT t, resolution, price_usd AS priceUsd, market_cap_usd AS marketCapUsd, volume_24h_usd AS volume24hUsd, liquidity_usd AS liquidityUsd
    FROM market_points WHERE chain = ? AND address = ? AND t >= ? ORDER BY t LIMIT 2000`).bind(chain, address, since)
    .all<{ t: number; resolution: number; priceUsd: number | null; marketCapUsd: number | null; volume24hUsd: number | null; liquidityUsd: number | null }>();
  const points = results.map((r) => ({ ...r, t: new Date(r.t).toISOString() }));
  // Points change at most every 5 minutes.
  return c.json({ points }, 200, { "cache-control": "public, max-age=60" });
});
