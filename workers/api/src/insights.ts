// A token's market figures and analytics as the API shows them, read from the
// roll-ups the cron writes (token_market, token_stats) — never from a provider.
// Lists join both into their one page query (routes/tokens.ts); a detail reads
// them for its token(s) with readInsights, one query however many tokens.
import { and, eq, or, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { tokenMarket, tokenStats, tokens, type TokenMarketRow, type TokenStatsRow } from "@tokenforge/core/db/schema";
import { NATIVE_PRICES_KEY, NativePrices } from "@tokenforge/core/market/figures";
import { toWholeAmount, type ChainConfig } from "@tokenforge/core";

export type Insights = { market: ReturnType<typeof marketView>; stats: ReturnType<typeof statsView> };

/** Stale: the last refresh failed, or the figures are older than `staleMs`. null: never fetched. */
export function marketView(m: TokenMarketRow | null, now: number, staleMs: number) {
  if (!m || m.asOf === null) return null;
  return {
    priceUsd: m.priceUsd, fdvUsd: m.fdvUsd, marketCapUsd: m.marketCapUsd, volume24hUsd: m.volume24hUsd,
    liquidityUsd: m.liquidityUsd, pool: m.pool, dex: m.dex,
    stale: (m.failedAt !== null && m.failedAt >= m.asOf) || now - m.asOf > staleMs,
    asOf: new Date(m.asOf).toISOString(),
  };
}

export function statsView(s: TokenStatsRow | null, decimals: number) {
  if (!s) return null;
  return { holders: s.holders, transfers: s.transfers, topHoldersShare: s.topHoldersShare, supply: toWholeAmount(s.supply, decimals) };
}

/** The columns and joins a token query adds to carry its insights (the lists' one query uses them). */
export const insightColumns = { token: tokens, market: tokenMarket, stats: tokenStats };
export const marketJoin = and(eq(tokenMarket.chain, tokens.chain), eq(tokenMarket.address, tokens.address));
export const statsJoin = and(eq(tokenStats.chain, tokens.chain), eq(tokenStats.address, tokens.address));

/**
 * Market and stats of the given tokens in ONE D1 query (for a token detail, or
 * any page of tokens read some other way): a map keyed `chain:address`.
 */
export async function readInsights(db: D1Database, keys: { chain: string; address: string }[], now: number, staleMs: number): Promise<Map<string, Insights>> {
  const out = new Map<string, Insights>();
  if (!keys.length) return out;
  const match: SQL[] = keys.map((k) => and(eq(tokens.chain, k.chain), eq(tokens.address, k.address))!);
  const rows = await drizzle(db).select({ chain: tokens.chain, address: tokens.address, decimals: tokens.decimals, market: tokenMarket, stats: tokenStats })
    .from(tokens).leftJoin(tokenMarket, marketJoin).leftJoin(tokenStats, statsJoin).where(or(...match));
  for (const r of rows) out.set(`${r.chain}:${r.address}`, { market: marketView(r.market, now, staleMs), stats: statsView(r.stats, r.decimals) });
  return out;
}

/** USD at the native coin's last price from the cron (KV); null before any price was fetched or for a chain without one. */
export async function usdFigures(kv: KVNamespace, chain: ChainConfig, amounts: { networkFee: bigint; platformFee: bigint; total: bigint }, decimals: number, now: number, staleMs: number) {
  const id = chain.market?.coingeckoId;
  if (!id) return null;
  const prices = NativePrices.safeParse(await kv.get(NATIVE_PRICES_KEY, "json").catch(() => null)).data;
  const price = prices?.usd[id];
  if (price === undefined || !prices) return null;
  const usd = (v: bigint) => Math.round((Number(v) / 10 ** decimals) * price * 100) / 100;
  const asOf = Date.parse(prices.asOf);
  return { networkFee: usd(amounts.networkFee), platformFee: usd(amounts.platformFee), total: usd(amounts.total), price, asOf: prices.asOf, stale: now - asOf > staleMs };
}
