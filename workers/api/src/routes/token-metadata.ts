// GET /api/v1/tokens/{chain}/{address}/metadata.json (issue 18): a token's metadata
// document — what a Solana mint's `uri` names and what an EVM v2 token's ERC-7572
// contractURI() answers (the factory's prefix + the checksum address + suffix).
// Public, cacheable; one D1 read.
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalEvmAddress, chainRegistry, findChain } from "@tokenforge/core";
import { metadataDocument } from "@tokenforge/core/assets/metadata";
import { tokens } from "@tokenforge/core/db/schema";
import { ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { findMetadata } from "../token-metadata";
import type { Env } from "../env";

export const tokenMetadataRoute = router();

const MetadataDocument = z
  .object({
    name: z.string(),
    symbol: z.string(),
    description: z.string().optional(),
    image: z.string().optional(),
    external_url: z.string().optional().meta({ description: "Solana" }),
    external_link: z.string().optional().meta({ description: "EVM (ERC-7572)" }),
    links: z.record(z.string(), z.string()).optional().meta({ description: "Solana: x, telegram, discord" }),
  })
  .meta({ id: "TokenMetadataDocument" });

const get = createRoute({
  method: "get",
  path: "/{chain}/{address}/metadata.json",
  operationId: "getTokenMetadata",
  tags: ["tokens"],
  summary: "A token's metadata document",
  description:
    "Solana: the JSON the mint's metadata `uri` names (name, symbol, description, image, external_url, links). " +
    "EVM: the ERC-7572 contract-level metadata contractURI() answers (name, symbol, description, image, external_link). " +
    "The same bytes are pinned to IPFS (see `cid` on GET …/metadata).",
  security: security.none,
  request: { params: z.object({ chain: z.string(), address: z.string() }) },
  responses: {
    200: { description: "The document", content: jsonContent(MetadataDocument) },
    ...problems("not-found", ...LIMITED),
  },
});

tokenMetadataRoute.openapi(get, async (c) => {
  const { chain, address } = c.req.valid("param");
  const found = await metadataFor(c.env, chain, address);
  if (!found) throw new ProblemError("not-found", "no token with metadata at this address");
  return new Response(found.document, {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=60", etag: `"${found.cid ?? ""}"`, "access-control-allow-origin": "*" },
  }) as never;
});

/** The canonical spelling of an address on a chain (EVM: EIP-55, which is what contractURI() puts in the URL), or null. */
export function tokenKey(env: Env, chain: string, address: string): { chain: string; address: string; family: "evm" | "solana" } | null {
  const ch = findChain(chainRegistry(env), chain);
  if (!ch) return null;
  if (ch.family === "evm") {
    const a = canonicalEvmAddress(address);
    return a ? { chain: ch.id, address: a, family: "evm" } : null;
  }
  return /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address) ? { chain: ch.id, address, family: "solana" } : null;
}

async function metadataFor(env: Env, chain: string, address: string): Promise<{ document: string; cid: string | null } | null> {
  const key = tokenKey(env, chain, address);
  if (!key) return null;
  const row = await findMetadata(env, key.chain, key.address);
  if (row) return { document: row.document, cid: row.documentCid };
  // A confirmed token launched without presence fields still answers contractURI() with its name and symbol.
  const [t] = await drizzle(env.DB).select({ name: tokens.name, symbol: tokens.symbol }).from(tokens).where(and(eq(tokens.chain, key.chain), eq(tokens.address, key.address)));
  return t ? { document: metadataDocument(key.family, t), cid: null } : null;
}
