// Token metadata documents in D1 (issue 18): written when a launch asks for one
// (logo, description, website, links) and when its owner changes them; the exact
// bytes served are the ones the cron pins, so their CID is known before pinning.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { ChainFamily, LaunchRequest } from "@tokenforge/core";
import { cidOf } from "@tokenforge/core/assets/cid";
import { assetUrl, metadataDocument, type TokenLinks } from "@tokenforge/core/assets/metadata";
import { assets, tokenMetadata, type TokenMetadataRow } from "@tokenforge/core/db/schema";
import type { Env } from "./env";
import { ProblemError } from "./http";

export type Presence = { logo?: string | null; description?: string | null; website?: string | null; links?: TokenLinks | null };

/** 422 unless the logo is an uploaded asset that is not taken down. */
export async function assertLogo(env: Env, logo: string | undefined | null): Promise<void> {
  if (!logo) return;
  const [row] = await drizzle(env.DB).select({ blockedAt: assets.blockedAt }).from(assets).where(eq(assets.sha256, logo));
  if (!row || row.blockedAt) {
    const message = row ? "was taken down" : "is not an uploaded asset (POST /api/v1/assets first)";
    throw new ProblemError("validation-error", `logo: ${message}`, { errors: [{ path: "logo", message }] });
  }
}

/** The row for a document built from the fields (its bytes and CID). */
export async function documentRow(family: ChainFamily, origin: string, base: { name: string; symbol: string }, p: Presence) {
  const links = p.links ? Object.fromEntries(Object.entries(p.links).filter(([, v]) => v)) : null;
  const document = metadataDocument(family, { name: base.name, symbol: base.symbol, description: p.description, website: p.website, links, imageUrl: p.logo ? assetUrl(origin, p.logo) : null });
  return { logo: p.logo ?? null, description: p.description ?? null, website: p.website ?? null, links: links && Object.keys(links).length ? links : null, document, documentCid: await cidOf(new TextEncoder().encode(document)) };
}

/** At acceptance: the launch's document, and its logo marked for pinning (only used logos go to public IPFS). */
export async function writeLaunchMetadata(env: Env, family: ChainFamily, origin: string, launch: { id: string; address: string; request: LaunchRequest }, now: number) {
  const r = launch.request;
  const doc = await documentRow(family, origin, r, r);
  const db = drizzle(env.DB);
  await db.batch([
    db.insert(tokenMetadata).values({ chain: r.chain, address: launch.address, launchId: launch.id, name: r.name, symbol: r.symbol, decimals: r.decimals, ...doc, createdAt: now, updatedAt: now }).onConflictDoNothing(),
    ...(r.logo ? [db.update(assets).set({ pinRequestedAt: now }).where(and(eq(assets.sha256, r.logo), isNull(assets.pinRequestedAt)))] : []),
  ]);
}

export async function findMetadata(env: Env, chain: string, address: string): Promise<TokenMetadataRow | null> {
  const [row] = await drizzle(env.DB).select().from(tokenMetadata).where(and(eq(tokenMetadata.chain, chain), eq(tokenMetadata.address, address)));
  return row ?? null;
}

/** Logos of many tokens in one query (lists never read per row). */
export async function logosOf(env: Env, keys: { chain: string; address: string }[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const rows = await drizzle(env.DB)
    .select({ chain: tokenMetadata.chain, address: tokenMetadata.address, logo: tokenMetadata.logo })
    .from(tokenMetadata)
    .where(inArray(tokenMetadata.address, [...new Set(keys.map((k) => k.address))]));
  return new Map(rows.filter((r) => r.logo).map((r) => [`${r.chain}:${r.address}`, r.logo!]));
}
