// A token's metadata document, served at /api/v1/tokens/{chain}/{address}/metadata.json
// and pinned to IPFS byte for byte. Per family, the fields its readers look for:
// Solana wallets read the Token-2022 metadata `uri` as the Metaplex-style JSON
// (name, symbol, description, image, external_url, plus our links); EVM readers
// of ERC-7572 contractURI() read name, symbol, description, image, external_link.
import { z } from "zod";
import type { ChainFamily } from "../chains";

const httpsUrl = z
  .string()
  .max(200)
  .refine((u) => {
    try {
      return new URL(u).protocol === "https:" && !/\s/.test(u);
    } catch {
      return false;
    }
  }, "must be an https:// URL");

export const TokenLinks = z.strictObject({ x: httpsUrl.optional(), telegram: httpsUrl.optional(), discord: httpsUrl.optional() });
export type TokenLinks = z.infer<typeof TokenLinks>;

/** The fields a launch (or its owner later) may set; `logo` is an asset id (the sha256 of POST /api/v1/assets). */
export const TokenPresence = {
  logo: z.string().regex(/^[0-9a-f]{64}$/, "must be an asset id from POST /api/v1/assets").optional(),
  description: z.string().max(1000).refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), "must not contain control characters").optional(),
  website: httpsUrl.optional(),
  links: TokenLinks.optional(),
};

export type MetadataFields = { name: string; symbol: string; description?: string | null; imageUrl?: string | null; website?: string | null; links?: TokenLinks | null };

/** The JSON text (fixed key order, so the same fields always give the same bytes and the same CID). */
export function metadataDocument(family: ChainFamily, f: MetadataFields): string {
  const doc: Record<string, unknown> = { name: f.name, symbol: f.symbol };
  if (f.description) doc.description = f.description;
  if (f.imageUrl) doc.image = f.imageUrl;
  if (family === "solana") {
    if (f.website) doc.external_url = f.website;
    const links = Object.fromEntries(Object.entries(f.links ?? {}).filter(([, v]) => v));
    if (Object.keys(links).length) doc.links = links;
  } else if (f.website) doc.external_link = f.website;
  return JSON.stringify(doc);
}

/** The metadata URL of a token: what the Solana mint's `uri` holds and what contractURI() answers through the factory's prefix and suffix. */
export const metadataUrl = (origin: string, chain: string, address: string) => `${origin}/api/v1/tokens/${chain}/${address}/metadata.json`;
/** Where an asset is served. */
export const assetUrl = (origin: string, sha256Hex: string) => `${origin}/api/v1/assets/${sha256Hex}`;
/** The v2 factory's contractURI prefix and suffix for a chain: the token puts its checksum address between them. */
export const contractUriParts = (origin: string, chain: string) => ({ prefix: `${origin}/api/v1/tokens/${chain}/`, suffix: "/metadata.json" });
