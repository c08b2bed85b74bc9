// Market data (issue 20): native coin prices (CoinGecko simple/price, for quotes
// in USD) and our tokens' price, FDV, market cap, 24 h volume, liquidity, top
// pool and DEX (GeckoTerminal tokens/multi with top_pools included, 30 tokens a
// call). Latest values go to D1 (token_market, read by the lists in their one
// query) and KV; a 5-minute series to market_points, rolled up to hourly points
// after a day. A provider outage leaves the last values in place with failed_at
// set, so reads show them as stale with their age; nothing here is on a read path.
import { chainRegistry, log, type ChainConfig } from "@tokenforge/core";
import { marketKey, NATIVE_PRICES_KEY, NativePrices, parseSimplePrice, parseTokensMulti, type MarketFigures } from "@tokenforge/core/market/figures";
import { DAY_MS, DEFAULT_POLICY, refreshInterval, type RefreshPolicy } from "@tokenforge/core/market/policy";
import { pointTime, rollUpPoints } from "@tokenforge/core/market/points";
import { cronConfig } from "../config";
import type { Env } from "../env";
import { providerClient, type ProviderClient } from "../market/providers";

/** GeckoTerminal's limit of addresses per tokens/multi call. */
export const ADDRESSES_PER_CALL = 30;

export type MarketRun = { native: "fresh" | "refreshed" | "stale"; calls: number; refreshed: number; failed: number; due: number };

export async function refreshMarket(env: Env, now = Date.now()): Promise<MarketRun> {
  const cfg = cronConfig(env).market;
  const client = providerClient(env.DB, cfg, env.COINGECKO_API_KEY || undefined);
  const chains = chainRegistry(env).filter((c) => c.market);
  const native = await refreshNativePrices(env, client, chains, cfg.nativeRefreshMs, now);
  const policy: RefreshPolicy = { ...DEFAULT_POLICY, activeMs: cfg.activeRefreshMs };
  const tokens = await refreshTokens(env, client, chains, cfg.maxCallsPerRun, policy, now);
  await rollUpPoints(env.DB, now);
  return { native, ...tokens };
}

async function refreshNativePrices(env: Env, client: ProviderClient, chains: ChainConfig[], everyMs: number, now: number): Promise<MarketRun["native"]> {
  const cached = NativePrices.safeParse(await env.CACHE.get(NATIVE_PRICES_KEY, "json")).data;
  if (cached && now - Date.parse(cached.asOf) < everyMs) return "fresh";
  const ids = [...new Set(chains.map((c) => c.market!.coingeckoId))];
  if (!ids.length) return "fresh";
  const r = await client.get("coingecko", `/simple/price?ids=${ids.map(encodeURIComponent).join(",")}&vs_currencies=usd`);
  if (!r.ok) return "stale";
  let usd: Record<string, number>;
  try {
    usd = parseSimplePrice(r.body, ids);
  } catch (e) {
    log("warn", "market.bad_body", { provider: "coingecko", error: e, outcome: "stale" });
    return "stale";
  }
  // No expiry: in an outage the last prices stay, and their asOf says how old they are.
  const value: NativePrices = { usd: { ...cached?.usd, ...usd }, asOf: new Date(now).toISOString() };
  await env.CACHE.put(NATIVE_PRICES_KEY, JSON.stringify(value));
  return "refreshed";
}

type Due = { chain: string; address: string; createdAt: number; pool: string | null; volume24hUsd: number | null };

async function refreshTokens(env: Env, client: ProviderClient, chains: ChainConfig[], maxCalls: number, policy: RefreshPolicy, now: number) {
  // New tokens join the schedule due at once.
  await env.DB.prepare(`INSERT INTO token_market (chain, address, next_refresh_at)
    SELECT t.chain, t.address, 0 FROM tokens t WHERE NOT EXISTS (SELECT 1 FROM token_market m WHERE m.chain = t.chain AND m.address = t.address)`).run();
  const networks = new Map(chains.filter((c) => c.market?.network).map((c) => [c.id, c.market!.network!]));
  if (!networks.size) return { calls: 0, refreshed: 0, failed: 0, due: 0 };
  const ids = [...networks.keys()];
  const { results: due } = await env.DB.prepare(`SELECT m.chain AS chain, m.address AS address, t.created_at AS createdAt, m.pool AS pool, m.volume_24h_usd AS volume24hUsd
    FROM token_market m JOIN tokens t ON t.chain = m.chain AND t.address = m.address
    WHERE m.next_refresh_at <= ? AND m.chain IN (${ids.map(() => "?").join(", ")})
    ORDER BY m.next_refresh_at LIMIT ?`).bind(now, ...ids, maxCalls * ADDRESSES_PER_CALL).all<Due>();
  // Calls of up to 30 tokens of one network, most overdue first.
  const batches: Due[][] = [];
  const open = new Map<string, Due[]>();
  for (const d of due) {
    let b = open.get(d.chain);
    if (!b || b.length === ADDRESSES_PER_CALL) open.set(d.chain, (b = [])), batches.push(b);
    b.push(d);
  }
  let calls = 0, refreshed = 0, failed = 0;
  for (const batch of batches) {
    const chain = batch[0]!.chain;
    const r = await client.get("geckoterminal", `/networks/${networks.get(chain)}/tokens/multi/${batch.map((d) => d.address).join(",")}?include=top_pools`);
    if (!r.ok && r.reason === "budget") break;
    calls++;
    let figures: MarketFigures[] | null = null;
    if (r.ok) {
      try {
        figures = parseTokensMulti(r.body);
      } catch (e) {
        log("warn", "market.bad_body", { provider: "geckoterminal", error: e, outcome: "stale" });
      }
    }
    if (!figures) {
      failed += batch.length;
      await markFailed(env.DB, batch, now, now + policy.activeMs);
      if (!r.ok && r.reason === "throttled") break;
      continue;
    }
    refreshed += batch.length;
    await store(env, chain, batch, figures, policy, now);
  }
  return { calls, refreshed, failed, due: due.length };
}

/** A failed refresh is tried again at the shortest interval (the bucket and a 429's Retry-After still bound the calls). */
async function markFailed(db: D1Database, batch: Due[], now: number, retryAt: number) {
  await db.batch(batch.map((d) => db.prepare("UPDATE token_market SET failed_at = ?, next_refresh_at = ? WHERE chain = ? AND address = ?")
    .bind(now, retryAt, d.chain, d.address)));
}

/** Writes a batch's figures: the latest row, the 5-minute point, the day-old volume for trending, and KV. */
async function store(env: Env, chain: string, batch: Due[], figures: MarketFigures[], policy: RefreshPolicy, now: number) {
  // EVM addresses come back lower-case; Solana's base58 is case-sensitive.
  const byAddress = new Map(figures.map((f) => [f.address.toLowerCase(), f]));
  const t = pointTime(now);
  const db = env.DB;
  const stmts: D1PreparedStatement[] = [];
  const latest: { key: string; value: string }[] = [];
  for (const d of batch) {
    const f = byAddress.get(d.address.toLowerCase()) ?? null;
    const next = now + refreshInterval({ createdAt: d.createdAt, hasPool: !!f?.pool, volume24hUsd: f?.volume24hUsd ?? null }, now, policy);
    stmts.push(db.prepare(`UPDATE token_market SET price_usd = ?1, fdv_usd = ?2, market_cap_usd = ?3, volume_24h_usd = ?4, liquidity_usd = ?5,
        pool = ?6, dex = ?7, as_of = ?8, failed_at = NULL, next_refresh_at = ?9,
        volume_prev_24h_usd = (SELECT p.volume_24h_usd FROM market_points p WHERE p.chain = ?10 AND p.address = ?11 AND p.t <= ?12 ORDER BY p.t DESC LIMIT 1)
      WHERE chain = ?10 AND address = ?11`)
      .bind(f?.priceUsd ?? null, f?.fdvUsd ?? null, f?.marketCapUsd ?? null, f?.volume24hUsd ?? null, f?.liquidityUsd ?? null,
        f?.pool ?? null, f?.dex ?? null, now, next, chain, d.address, now - DAY_MS));
    if (f?.pool) {
      stmts.push(db.prepare(`INSERT OR REPLACE INTO market_points (chain, address, resolution, t, price_usd, market_cap_usd, volume_24h_usd, liquidity_usd)
        VALUES (?, ?, 300, ?, ?, ?, ?, ?)`).bind(chain, d.address, t, f.priceUsd, f.marketCapUsd ?? f.fdvUsd, f.volume24hUsd, f.liquidityUsd));
    }
    latest.push({ key: marketKey(chain, d.address), value: JSON.stringify({ ...f, asOf: new Date(now).toISOString() }) });
  }
  await db.batch(stmts);
  await Promise.all(latest.map((l) => env.CACHE.put(l.key, l.value)));
}
