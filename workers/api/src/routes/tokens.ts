// GET /api/v1/tokens — confirmed tokens, newest first (or by market cap, volume,
// holders, trending), cursor-paginated, one D1 query per page that also carries
// each token's market figures, analytics (insights.ts) and logo, with KV in front of
// the first pages (a 10 s bucket in the key bounds staleness; one key per chain
// and sort, so the key space is bounded).
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalEvmAddress, chainRegistry, findChain, toWholeAmount, type ChainFamily } from "@tokenforge/core";
import { tokenMarket, tokenMetadata, tokens, tokenStats, type TokenMarketRow, type TokenRow, type TokenStatsRow } from "@tokenforge/core/db/schema";
import { apiConfig } from "../config";
import { insightColumns, marketJoin, marketView, statsJoin, statsView } from "../insights";
import { ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { TokenList, TokensQuery } from "../schemas";
import { publicOrigin } from "./assets";
import { assetUrl } from "@tokenforge/core/assets/metadata";
import type { z } from "zod";
import type { Env } from "../env";

const CACHE_BUCKET_MS = 10_000;

/** newest: keyset (created_at, chain, address); other sorts: an offset into the ranking (a rank may move between pages). */
type Cursor = { t: number; c: string; a: string } | { s: string; o: number };
type Sort = "newest" | "market_cap" | "volume" | "holders" | "trending";

export const tokensRoute = router();

const list = createRoute({
  method: "get",
  path: "/",
  operationId: "listTokens",
  tags: ["tokens"],
  summary: "Confirmed tokens with market figures and analytics, newest first or sorted",
  security: security.none,
  request: { query: TokensQuery },
  responses: {
    200: { description: "A page of tokens", content: jsonContent(TokenList) },
    ...problems("invalid-cursor", "validation-error", ...LIMITED),
  },
});

tokensRoute.openapi(list, async (c) => {
  const { page, cache } = await tokenPage(c.env, (p) => c.executionCtx.waitUntil(p), c.req.valid("query"), publicOrigin(c));
  return c.json(page, 200, { "x-cache": cache });
});

/** One page of confirmed tokens (GET /tokens; also the MCP tool list_tokens); logo URLs on `origin`. */
export async function tokenPage(env: Env, waitUntil: (p: Promise<unknown>) => void, query: z.infer<typeof TokensQuery>, origin: string) {
  const q = { data: query };
  const { chain, limit, sort } = q.data;
  // Owners are stored in one form (EVM: EIP-55); any accepted casing finds them.
  let owner = q.data.owner;
  if (owner?.startsWith("0x")) {
    const canonical = canonicalEvmAddress(owner);
    if (!canonical) {
      const message = "must be an EVM address: all lower-case, all upper-case or EIP-55 checksummed";
      throw new ProblemError("validation-error", `owner: ${message}`, { errors: [{ path: "owner", message }] });
    }
    owner = canonical;
  }
  let cursor: Cursor | null = null;
  if (q.data.cursor) {
    cursor = decodeCursor(q.data.cursor);
    if (!cursor || ("s" in cursor) !== (sort !== "newest") || ("s" in cursor && cursor.s !== sort)) throw new ProblemError("invalid-cursor", "use the nextCursor of a previous page of the same sort");
  }

  // KV fronts only the first page of each known chain (and of all chains): a
  // bounded set of keys, however the query varies. Owners, cursors, limits and
  // unknown chains go to D1 and are not cached, so user input cannot grow the key
  // space (every distinct query used to write its own KV entry).
  const cacheable = !owner && !cursor && (chain === undefined || !!findChain(chainRegistry(env), chain));
  const cacheKey = cacheable ? `tokens:v4:${chain ?? "*"}:${sort}:${Math.floor(Date.now() / CACHE_BUCKET_MS)}` : null;
  if (cacheKey) {
    // This isolate's copy of the bucket first (the same key, so no staler than KV's), then KV.
    const near = nearPages.get(cacheKey);
    if (near) return { page: slicePage(near, limit), cache: "hit" };
    const cached = await env.CACHE.get<FirstPage>(cacheKey, "json");
    if (cached) {
      keepNear(cacheKey, cached);
      return { page: slicePage(cached, limit), cache: "hit" };
    }
  }
  const pageSize = cacheKey ? MAX_LIMIT : limit;

  const where: SQL[] = [];
  if (chain) where.push(eq(tokens.chain, chain));
  if (owner) where.push(eq(tokens.owner, owner));
  if (cursor && "t" in cursor) {
    where.push(
      or(
        lt(tokens.createdAt, cursor.t),
        and(eq(tokens.createdAt, cursor.t), lt(tokens.chain, cursor.c)),
        and(eq(tokens.createdAt, cursor.t), eq(tokens.chain, cursor.c), lt(tokens.address, cursor.a)),
      )!,
    );
  }
  if (sort === "trending") where.push(isNotNull(tokenMarket.pool));
  const offset = cursor && "o" in cursor ? cursor.o : 0;
  // One query: the page with each token's market row and stats row joined.
  const rows = await drizzle(env.DB)
    .select({ ...insightColumns, logo: tokenMetadata.logo })
    .from(tokens)
    .leftJoin(tokenMarket, marketJoin)
    .leftJoin(tokenStats, statsJoin)
    .leftJoin(tokenMetadata, and(eq(tokenMetadata.chain, tokens.chain), eq(tokenMetadata.address, tokens.address)))
    .where(where.length ? and(...where) : undefined)
    .orderBy(...ORDER[sort], desc(tokens.createdAt), desc(tokens.chain), desc(tokens.address))
    .limit(pageSize + 1)
    .offset(offset);
  const page = rows.slice(0, pageSize);
  const chains = chainRegistry(env);
  const now = Date.now();
  const staleMs = apiConfig(env).marketStaleMs;
  const full: FirstPage = {
    tokens: page.map((r) => tokenView(r.token, findChain(chains, r.token.chain)?.family, { logo: r.logo ? assetUrl(origin, r.logo) : null, insights: r, now, staleMs })),
    cursors: page.map((r, i) => encodeCursor(sort === "newest" ? { t: r.token.createdAt, c: r.token.chain, a: r.token.address } : { s: sort, o: offset + i + 1 })),
    more: rows.length > pageSize,
  };
  // KV's shortest expiry is 60 s; the bucket in the key is what bounds staleness.
  if (cacheKey) {
    keepNear(cacheKey, full);
    waitUntil(env.CACHE.put(cacheKey, JSON.stringify(full), { expirationTtl: 60 }));
  }
  return { page: slicePage(full, limit), cache: cacheKey ? "miss" : "bypass" };
}

const MAX_LIMIT = 100;

/**
 * The cached first pages this isolate has read or written, by KV key: a busy isolate
 * answers a bucket's repeats with no KV read and no JSON parse. The key's 10 s bucket
 * bounds staleness as for KV; keys of past buckets are dropped when the map fills.
 */
const nearPages = new Map<string, FirstPage>();
function keepNear(key: string, page: FirstPage) {
  if (nearPages.size >= 64) nearPages.clear();
  nearPages.set(key, page);
}
/** A page of up to MAX_LIMIT tokens with each row's cursor, so any smaller first page is a slice of it. */
type FirstPage = { tokens: ReturnType<typeof tokenView>[]; cursors: string[]; more: boolean };

function slicePage(p: FirstPage, limit: number) {
  const tokens = p.tokens.slice(0, limit);
  const more = p.tokens.length > limit || p.more;
  return { tokens, nextCursor: more && tokens.length ? p.cursors[tokens.length - 1]! : null };
}

/**
 * A confirmed token as the API shows it. The row keeps the minted amount in base
 * units (what the chain reported); the view speaks whole tokens, like the launch
 * request. SPL holders can always burn, whatever an older launch record says.
 */
export function tokenView(
  t: TokenRow,
  family: ChainFamily | undefined,
  extra: { logo?: string | null; insights?: { market: TokenMarketRow | null; stats: TokenStatsRow | null } | null; now?: number; staleMs?: number } = {},
) {
  const insights = extra.insights ?? { market: null, stats: null };
  return {
    chain: t.chain,
    address: t.address,
    name: t.name,
    symbol: t.symbol,
    decimals: t.decimals,
    initialSupply: toWholeAmount(t.totalSupply, t.decimals),
    owner: t.owner,
    features: family === "solana" ? { ...t.features, burnable: true } : t.features,
    metadataUri: t.metadataUri,
    logo: extra.logo ?? null,
    launchId: t.launchId,
    txHash: t.txHash,
    createdAt: new Date(t.createdAt).toISOString(),
    market: marketView(insights.market, extra.now ?? Date.now(), extra.staleMs ?? 0),
    stats: statsView(insights.stats, t.decimals),
  };
}

/** Largest first, unknown last; then newest (the tail of every ORDER BY). */
const ORDER: Record<Sort, SQL[]> = {
  newest: [],
  market_cap: [sql`COALESCE(${tokenMarket.marketCapUsd}, ${tokenMarket.fdvUsd}) DESC NULLS LAST`],
  volume: [sql`${tokenMarket.volume24hUsd} DESC NULLS LAST`],
  holders: [sql`${tokenStats.holders} DESC NULLS LAST`],
  // Trending: most 24 h volume growth (volume now − the 24 h volume a day ago) among tokens with a pool, ties by holders.
  trending: [sql`(COALESCE(${tokenMarket.volume24hUsd}, 0) - COALESCE(${tokenMarket.volumePrev24hUsd}, 0)) DESC`, sql`${tokenStats.holders} DESC NULLS LAST`],
};

function encodeCursor(c: Cursor) {
  return btoa(JSON.stringify(c)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function decodeCursor(s: string): Cursor | null {
  try {
    const json = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    const v = JSON.parse(json) as Record<string, unknown>;
    if (typeof v.s === "string" && Number.isInteger(v.o) && (v.o as number) >= 0) return { s: v.s, o: v.o as number };
    if (typeof v.t !== "number" || typeof v.c !== "string" || typeof v.a !== "string") return null;
    return { t: v.t, c: v.c, a: v.a };
  } catch {
    return null;
  }
}
