// GET /api/v1/tokens/{chain}/{address}/metadata.json (issue 18): a token's metadata
// document — what a Solana mint's `uri` names and what an EVM v2 token's ERC-7572
// contractURI() answers (the factory's prefix + the checksum address + suffix).
// Public, cacheable; one D1 read.
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { canonicalEvmAddress, chainRegistry, findChain, log } from "@tokenforge/core";
import { metadataDocument, TokenPresence } from "@tokenforge/core/assets/metadata";
import { assets, tokenMetadata, tokens, users } from "@tokenforge/core/db/schema";
import { gatedRpc } from "@tokenforge/gate/gated-fetch";
import type { GateEnv } from "@tokenforge/gate";
import { isNull } from "drizzle-orm";
import { jsonBody, ProblemError } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { assertLogo, documentRow, findMetadata } from "../token-metadata";
import { requireSession } from "../auth";
import { audit } from "../audit";
import { publicOrigin } from "./assets";
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

const MetadataChange = z
  .strictObject(TokenPresence)
  .refine((b) => Object.values(b).some((v) => v !== undefined), "send at least one of logo, description, website, links")
  .meta({ id: "TokenMetadataChange" });

const update = createRoute({
  method: "patch",
  path: "/{chain}/{address}/metadata",
  operationId: "updateTokenMetadata",
  tags: ["tokens"],
  summary: "Change a token's logo, description, website or links (its owner)",
  description:
    "EVM: the signed-in wallet must be the token's owner() on chain now (read at the time of the request). The fields sent replace the " +
    "stored ones; the document is served at once and pinned again by the cron. Audited. Solana: the mint's update authority changes its metadata on chain.",
  security: security.session,
  middleware: [requireSession, jsonBody] as const,
  request: { params: z.object({ chain: z.string(), address: z.string() }), body: { required: true, content: jsonContent(MetadataChange) } },
  responses: {
    200: { description: "The new document and its CID", content: jsonContent(z.object({ document: MetadataDocument, cid: z.string() })) },
    ...problems("malformed-json", "unsupported-media-type", "validation-error", "unauthorized", "forbidden", "not-found", "conflict", "unavailable", ...LIMITED),
  },
});

tokenMetadataRoute.openapi(update, async (c) => {
  const { chain, address } = c.req.valid("param");
  const change = c.req.valid("json");
  const key = tokenKey(c.env, chain, address);
  if (!key) throw new ProblemError("not-found", "no token at this address");
  if (key.family !== "evm") throw new ProblemError("conflict", "a Solana token's metadata is changed on chain by its update authority");
  const db = drizzle(c.env.DB);
  const [token] = await db.select().from(tokens).where(and(eq(tokens.chain, key.chain), eq(tokens.address, key.address)));
  if (!token) throw new ProblemError("not-found", "no confirmed token at this address");
  const [user] = await db.select({ wallet: users.walletAddress }).from(users).where(eq(users.id, c.get("caller")!.userId));
  const owner = await ownerOnChain(c.env, key.chain, key.address);
  if (!user || canonicalEvmAddress(user.wallet) !== owner) throw new ProblemError("forbidden", "only the token's owner (owner() on chain) may change its metadata");
  await assertLogo(c.env, change.logo);

  const current = await findMetadata(c.env, key.chain, key.address);
  const merged = {
    logo: change.logo ?? current?.logo ?? null,
    description: change.description ?? current?.description ?? null,
    website: change.website ?? current?.website ?? null,
    links: change.links ?? (current?.links as Record<string, string> | null) ?? null,
  };
  const doc = await documentRow("evm", publicOrigin(c), token, merged);
  const now = Date.now();
  const row = { ...doc, pinId: null, pinnedCid: null, pinnedAt: null, pinError: null, updatedAt: now };
  await db.batch([
    db.insert(tokenMetadata).values({ chain: key.chain, address: key.address, launchId: token.launchId, name: token.name, symbol: token.symbol, decimals: token.decimals, ...row, createdAt: now })
      .onConflictDoUpdate({ target: [tokenMetadata.chain, tokenMetadata.address], set: row }),
    ...(doc.logo ? [db.update(assets).set({ pinRequestedAt: now }).where(and(eq(assets.sha256, doc.logo), isNull(assets.pinRequestedAt)))] : []),
  ]);
  await audit(c, "token.metadata_updated", `${key.chain}:${key.address}`, { fields: Object.keys(change), cid: doc.documentCid });
  log("info", "token.metadata_updated", { chain: key.chain, address: key.address, cid: doc.documentCid });
  return c.json({ document: JSON.parse(doc.document), cid: doc.documentCid }, 200);
});

/** owner() (Ownable, selector 0x8da5cb5b) read through the chain's gate now, in EIP-55; 503 when the chain cannot answer. */
async function ownerOnChain(env: Env, chainId: string, address: string): Promise<string | null> {
  const chain = findChain(chainRegistry(env), chainId)!;
  let answer;
  try {
    [answer] = await gatedRpc<string>(env as unknown as GateEnv, chain, [{ method: "eth_call", params: [{ to: address, data: "0x8da5cb5b" }, "latest"] }], "owner-check");
  } catch (e) {
    log("warn", "token.owner_read_failed", { chain: chainId, address, error: e });
    throw new ProblemError("unavailable", "the chain cannot be read right now; retry", {}, { "retry-after": "2" });
  }
  if (!answer || "error" in answer || !/^0x[0-9a-fA-F]{64}$/.test(answer.result)) return null;
  return canonicalEvmAddress(`0x${answer.result.slice(26)}`);
}
