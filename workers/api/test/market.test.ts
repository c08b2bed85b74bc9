// Token lists with market figures and analytics (issue 20, acceptance 3's
// workerd half): one D1 query per list page whatever the sort, the sorts'
// orders, stale figures, readInsights for a detail, in workerd with real D1.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../src/index";
import { readInsights } from "../src/insights";
import { ORIGIN } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
const OWNER = "0x1111111111111111111111111111111111111111";
const addr = (i: number) => "0x" + (0xabc000 + i).toString(16).padStart(40, "0");
const N = 30;

/** The D1 binding with every statement execution counted (a batch counts once: one round trip). */
function countingDb(db: D1Database) {
  const counter = { queries: 0 };
  const wrapStmt = (s: D1PreparedStatement): D1PreparedStatement => new Proxy(s, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop === "bind") return (...args: unknown[]) => wrapStmt((v as Function).apply(target, args));
      if (["all", "first", "run", "raw"].includes(prop as string)) return (...args: unknown[]) => (counter.queries++, (v as Function).apply(target, args));
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const wrapped = new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop === "prepare") return (q: string) => wrapStmt(target.prepare(q));
      if (prop === "batch" || prop === "exec") return (...args: unknown[]) => (counter.queries++, (v as Function).apply(target, args));
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { db: wrapped, counter };
}

async function list(query: string) {
  const { db, counter } = countingDb(DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}/api/v1/tokens?${query}`), { ...(env as object), DB: db } as never, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status, await res.clone().text()).toBe(200);
  return { body: (await res.json()) as { tokens: any[]; nextCursor: string | null }, queries: counter.queries };
}

beforeAll(async () => {
  const now = Date.now();
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < N; i++) {
    stmts.push(DB.prepare(`INSERT INTO tokens (chain, address, launch_id, name, symbol, decimals, total_supply, owner, features, created_at)
      VALUES ('local-bsc', ?, ?, ?, ?, 18, '1000000000000000000000', ?, '{}', ?)`).bind(addr(i), `lch_mkt${i}_${now}`, `Mkt ${i}`, `M${i}`, OWNER, now - i * 1000));
    // Every third token has no market row; market cap only on even ones (FDV otherwise).
    if (i % 3 !== 2) {
      stmts.push(DB.prepare(`INSERT INTO token_market (chain, address, price_usd, fdv_usd, market_cap_usd, volume_24h_usd, volume_prev_24h_usd, liquidity_usd, pool, dex, as_of, failed_at, next_refresh_at)
        VALUES ('local-bsc', ?, ?, ?, ?, ?, ?, 100, ?, 'pancakeswap', ?, ?, 0)`)
        .bind(addr(i), i / 100, i * 1000, i % 2 === 0 ? i * 500 : null, i * 10, i % 4 === 0 ? 0 : i * 10, i % 5 === 0 ? null : "0xpool" + i, now - 1000, i === 1 ? now : null));
    }
    stmts.push(DB.prepare(`INSERT INTO token_stats (chain, address, holders, transfers, top_holders_share, supply, updated_at) VALUES ('local-bsc', ?, ?, ?, 0.5, '1000000000000000000000', ?)`)
      .bind(addr(i), (i * 7) % N, i * 3, now));
  }
  await DB.batch(stmts);
});

describe("GET /tokens with market and stats", () => {
  it("reads a page with each token's market and stats in one D1 query, for every sort and on the next page", async () => {
    for (const sort of ["newest", "market_cap", "volume", "holders", "trending"]) {
      const first = await list(`owner=${OWNER}&limit=10&sort=${sort}`);
      expect(first.queries, sort).toBe(1);
      expect(first.body.tokens.length, sort).toBeGreaterThan(0);
      if (first.body.nextCursor) {
        const next = await list(`owner=${OWNER}&limit=10&sort=${sort}&cursor=${first.body.nextCursor}`);
        expect(next.queries, sort).toBe(1);
        const seen = new Set(first.body.tokens.map((t) => t.address));
        expect(next.body.tokens.some((t) => seen.has(t.address)), sort).toBe(false);
      }
    }
  });

  it("shows market and stats, FDV standing in for an unknown market cap in the ordering, and stale when the last refresh failed", async () => {
    const { body } = await list(`owner=${OWNER}&limit=100&sort=market_cap`);
    const caps = body.tokens.map((t) => t.market ? (t.market.marketCapUsd ?? t.market.fdvUsd) : null);
    const known = caps.filter((c) => c !== null) as number[];
    expect(known).toEqual([...known].sort((a, b) => b - a));
    expect(caps.slice(known.length).every((c) => c === null)).toBe(true);
    const t1 = body.tokens.find((t) => t.address === addr(1));
    expect(t1.market).toMatchObject({ priceUsd: 0.01, fdvUsd: 1000, marketCapUsd: null, volume24hUsd: 10, liquidityUsd: 100, pool: "0xpool1", dex: "pancakeswap", stale: true });
    expect(body.tokens.find((t) => t.address === addr(4)).market.stale).toBe(false);
    expect(body.tokens.find((t) => t.address === addr(2)).market).toBeNull();
    expect(body.tokens.find((t) => t.address === addr(3)).stats).toEqual({ holders: 21, transfers: 9, topHoldersShare: 0.5, supply: "1000" });
  });

  it("sorts by holders and volume, largest first; trending lists only tokens with a pool, by 24 h volume growth", async () => {
    const holders = (await list(`owner=${OWNER}&limit=100&sort=holders`)).body.tokens.map((t) => t.stats.holders);
    expect(holders).toEqual([...holders].sort((a, b) => b - a));
    const volume = (await list(`owner=${OWNER}&limit=100&sort=volume`)).body.tokens.map((t) => t.market?.volume24hUsd ?? null);
    const v = volume.filter((x) => x !== null) as number[];
    expect(v).toEqual([...v].sort((a, b) => b - a));
    const trending = (await list(`owner=${OWNER}&limit=100&sort=trending`)).body.tokens;
    expect(trending.every((t) => t.market?.pool)).toBe(true);
    // Growth is volume − the volume a day ago: the i % 4 === 0 tokens (prev 0) grew most.
    expect(trending[0].address).toBe(addr(28));
  });

  it("refuses a cursor of another sort", async () => {
    const first = await list(`owner=${OWNER}&limit=5&sort=newest`);
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}/api/v1/tokens?owner=${OWNER}&sort=volume&cursor=${first.body.nextCursor}`), env as never, ctx);
    expect(res.status).toBe(400);
  });

  it("readInsights reads a detail's market and stats in one query", async () => {
    const { db, counter } = countingDb(DB);
    const m = await readInsights(db, [{ chain: "local-bsc", address: addr(0) }, { chain: "local-bsc", address: addr(2) }], Date.now(), 900_000);
    expect(counter.queries).toBe(1);
    expect(m.get(`local-bsc:${addr(0)}`)?.market).toMatchObject({ priceUsd: 0, stale: false });
    expect(m.get(`local-bsc:${addr(2)}`)).toMatchObject({ market: null, stats: { holders: 14 } });
  });
});
