// GET /api/v1/tokens — confirmed tokens, newest first, cursor-paginated, one D1
// query per page, with KV in front of the first pages (a 10 s bucket in the key
// bounds staleness; one key per chain, so the key space is bounded).
import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalEvmAddress, chainRegistry, findChain, toWholeAmount, type ChainFamily } from "@tokenforge/core";
import { tokens, type TokenRow } from "@tokenforge/core/db/schema";
import { ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { TokenList, TokensQuery } from "../schemas";
import { logosOf } from "../token-metadata";
import { publicOrigin } from "./assets";
import { assetUrl } from "@tokenforge/core/assets/metadata";
import type { z } from "zod";
import type { Env } from "../env";

const CACHE_BUCKET_MS = 10_000;

type Cursor = { t: number; c: string; a: string };

export const tokensRoute = router();

const list = createRoute({
  method: "get",
  path: "/",
  operationId: "listTokens",
  tags: ["tokens"],
  summary: "Confirmed tokens, newest first",
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
  const { chain, limit } = q.data;
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
    if (!cursor) throw new ProblemError("invalid-cursor", "use the nextCursor of a previous page");
  }

  // KV fronts only the first page of each known chain (and of all chains): a
  // bounded set of keys, however the query varies. Owners, cursors, limits and
  // unknown chains go to D1 and are not cached, so user input cannot grow the key
  // space (every distinct query used to write its own KV entry).
  const cacheable = !owner && !cursor && (chain === undefined || !!findChain(chainRegistry(env), chain));
  const cacheKey = cacheable ? `tokens:v4:${chain ?? "*"}:${Math.floor(Date.now() / CACHE_BUCKET_MS)}` : null;
  if (cacheKey) {
    const cached = await env.CACHE.get<FirstPage>(cacheKey, "json");
    if (cached) return { page: slicePage(cached, limit), cache: "hit" };
  }
  const pageSize = cacheKey ? MAX_LIMIT : limit;

  const where: SQL[] = [];
  if (chain) where.push(eq(tokens.chain, chain));
  if (owner) where.push(eq(tokens.owner, owner));
  if (cursor) {
    where.push(
      or(
        lt(tokens.createdAt, cursor.t),
        and(eq(tokens.createdAt, cursor.t), lt(tokens.chain, cursor.c)),
        and(eq(tokens.createdAt, cursor.t), eq(tokens.chain, cursor.c), lt(tokens.address, cursor.a)),
      )!,
    );
  }
  const rows = await drizzle(env.DB)
    .select()
    .from(tokens)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(tokens.createdAt), desc(tokens.chain), desc(tokens.address))
    .limit(pageSize + 1);
  const page = rows.slice(0, pageSize);
  const chains = chainRegistry(env);
  const logos = await logosOf(env, page);
  const full: FirstPage = {
    tokens: page.map((t) => {
      const logo = logos.get(`${t.chain}:${t.address}`);
      return tokenView(t, findChain(chains, t.chain)?.family, logo ? assetUrl(origin, logo) : null);
    }),
    cursors: page.map((r) => encodeCursor({ t: r.createdAt, c: r.chain, a: r.address })),
    more: rows.length > pageSize,
  };
  // KV's shortest expiry is 60 s; the bucket in the key is what bounds staleness.
  if (cacheKey) waitUntil(env.CACHE.put(cacheKey, JSON.stringify(full), { expirationTtl: 60 }));
  return { page: slicePage(full, limit), cache: cacheKey ? "miss" : "bypass" };
}

const MAX_LIMIT = 100;
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
export function tokenView(t: TokenRow, family: ChainFamily | undefined, logo: string | null = null) {
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
    logo,
    launchId: t.launchId,
    txHash: t.txHash,
    createdAt: new Date(t.createdAt).toISOString(),
  };
}

function encodeCursor(c: Cursor) {
  return btoa(JSON.stringify(c)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function decodeCursor(s: string): Cursor | null {
  try {
    const json = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    const v = JSON.parse(json) as Cursor;
    if (typeof v.t !== "number" || typeof v.c !== "string" || typeof v.a !== "string") return null;
    return v;
  } catch {
    return null;
  }
}
