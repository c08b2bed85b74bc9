// Logos (issue 18): POST /assets stores an image after core assets/image.ts has
// sniffed, bounded and stripped it; GET /assets/{sha256} serves it from R2 as an
// immutable, sandboxed file; DELETE /assets/{sha256} is the operators' takedown
// (R2 object deleted, hash blocked, the cron unpins it; audited).
import { createRoute, z } from "@hono/zod-openapi";
import { and, count, eq, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { log } from "@tokenforge/core";
import { inspectImage, LOGO_LIMITS } from "@tokenforge/core/assets/image";
import { cidFromSha256, hexOf, sha256 } from "@tokenforge/core/assets/cid";
import { assetUrl } from "@tokenforge/core/assets/metadata";
import { assets, assetUploads } from "@tokenforge/core/db/schema";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requireAdmin, requireScope } from "../auth";
import { ProblemError, readBytesUpTo } from "../http";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { apiConfig } from "../config";
import { audit } from "../audit";

export const assetsRoute = router();

const SHA256_RE = /^[0-9a-f]{64}$/;
const DAY_MS = 24 * 3600 * 1000;
/**
 * Served images never run as documents: no script, no plugin, sandboxed, and
 * nosniff so a browser keeps the sniffed type. Embeddable from other origins
 * (wallets, explorers): cross-origin resource policy "cross-origin".
 */
const ASSET_HEADERS = {
  "cache-control": "public, max-age=31536000, immutable",
  "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  "x-content-type-options": "nosniff",
  "cross-origin-resource-policy": "cross-origin",
};

export const AssetView = z
  .object({
    id: z.string().meta({ description: "The asset id: the sha256 (hex) of the stored bytes; pass it as a launch's `logo`" }),
    sha256: z.string(),
    cid: z.string().meta({ description: "IPFS CIDv1 (raw leaves, sha2-256, one block): what pinning will record" }),
    type: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    size: z.number().int(),
    url: z.string(),
    stripped: z.array(z.string()).meta({ description: "Metadata removed before storing (EXIF, XMP, text chunks, comments)" }),
  })
  .meta({ id: "Asset" });

const upload = createRoute({
  method: "post",
  path: "/",
  operationId: "uploadAsset",
  tags: ["launches"],
  summary: "Upload a logo",
  description:
    `The body is the image itself: PNG, JPEG, WebP or GIF (judged by its bytes; SVG is refused), at most ${LOGO_LIMITS.maxBytes} bytes, ` +
    `${LOGO_LIMITS.maxWidth}×${LOGO_LIMITS.maxHeight} and ${LOGO_LIMITS.maxPixels} pixels. EXIF (GPS), XMP and text chunks are removed before it is stored. ` +
    "Needs a session or an API key with `launches:write`; uploads per user per day are limited.",
  security: security.user,
  middleware: [requireScope("launches:write")] as const,
  responses: {
    201: { description: "Stored (or already stored: the same bytes are one asset)", content: jsonContent(AssetView) },
    ...problems("unauthorized", "forbidden", "payload-too-large", "unsupported-image", "invalid-image", "asset-blocked", ...LIMITED),
  },
});

assetsRoute.openapi(upload, async (c) => {
  const caller = c.get("caller")!;
  const body = await readBody(c.req.raw, LOGO_LIMITS.maxBytes);
  const inspected = inspectImage(body);
  if (!inspected.ok) {
    if (inspected.reason === "unsupported") throw new ProblemError("unsupported-image", inspected.detail);
    if (inspected.reason === "too-large") throw new ProblemError("payload-too-large", inspected.detail);
    throw new ProblemError("invalid-image", inspected.detail);
  }
  const db = drizzle(c.env.DB);
  const now = Date.now();
  const [used] = await db.select({ n: count() }).from(assetUploads).where(and(eq(assetUploads.userId, caller.userId), gt(assetUploads.at, now - DAY_MS)));
  const limit = apiConfig(c.env).assetUploadsPerDay;
  if ((used?.n ?? 0) >= limit) throw new ProblemError("rate-limited", `at most ${limit} uploads per 24 hours`, {}, { "retry-after": "3600" });

  const digest = await sha256(inspected.bytes);
  const id = hexOf(digest);
  const [existing] = await db.select({ blockedAt: assets.blockedAt }).from(assets).where(eq(assets.sha256, id));
  if (existing?.blockedAt) throw new ProblemError("asset-blocked", "these bytes were taken down and cannot be uploaded again");
  const row = { sha256: id, mime: inspected.type, width: inspected.width, height: inspected.height, size: inspected.bytes.length, uploaderId: caller.userId, cid: cidFromSha256(digest), createdAt: now };
  // R2 first: a D1 row never names bytes that are not stored. The key is the content's hash, so a repeat writes the same object.
  await c.env.ASSET_BUCKET.put(id, inspected.bytes, { httpMetadata: { contentType: inspected.type }, sha256: id });
  await db.batch([
    db.insert(assets).values(row).onConflictDoNothing(),
    db.insert(assetUploads).values({ userId: caller.userId, sha256: id, at: now }),
  ]);
  log("info", "asset.uploaded", { sha256: id, type: inspected.type, size: row.size, stripped: inspected.stripped.join(",") || null });
  const view = { id, sha256: id, cid: row.cid, type: row.mime, width: row.width, height: row.height, size: row.size, url: assetUrl(publicOrigin(c), id), stripped: inspected.stripped };
  return c.json(view, 201, { location: `/api/v1/assets/${id}` });
});

const get = createRoute({
  method: "get",
  path: "/{sha256}",
  operationId: "getAsset",
  tags: ["launches"],
  summary: "An uploaded image",
  description: "Public and immutable (the id is the hash of the bytes). Served with its sniffed type, nosniff and a sandboxing CSP.",
  security: security.none,
  request: { params: z.object({ sha256: z.string() }) },
  responses: {
    200: { description: "The image", content: { "image/png": { schema: z.any() }, "image/jpeg": { schema: z.any() }, "image/webp": { schema: z.any() }, "image/gif": { schema: z.any() } } },
    ...problems("not-found", ...LIMITED),
  },
});

assetsRoute.openapi(get, async (c) => {
  const { sha256: id } = c.req.valid("param");
  if (!SHA256_RE.test(id)) throw new ProblemError("not-found", "no asset with this id");
  // R2 alone answers: a takedown deletes the object, so a blocked hash is a 404 here without a D1 read.
  const object = await c.env.ASSET_BUCKET.get(id);
  if (!object) throw new ProblemError("not-found", "no asset with this id");
  const type = object.httpMetadata?.contentType ?? "application/octet-stream";
  return new Response(object.body, { status: 200, headers: { ...ASSET_HEADERS, "content-type": type, etag: `"${id}"`, "content-length": String(object.size) } }) as never;
});

const takedown = createRoute({
  method: "delete",
  path: "/{sha256}",
  operationId: "takeDownAsset",
  tags: ["operators"],
  summary: "Take an image down (admin)",
  description: "Deletes the stored bytes, blocks the hash from being uploaded again and unpins it from IPFS at the cron's next run. Audited.",
  security: security.user,
  middleware: [requireAdmin] as const,
  request: { params: z.object({ sha256: z.string() }), body: { required: false, content: jsonContent(z.object({ reason: z.string().max(500).optional() })) } },
  responses: {
    200: { description: "Taken down", content: jsonContent(z.object({ id: z.string(), blocked: z.literal(true) })) },
    ...problems("unauthorized", "forbidden", "not-found", "validation-error", ...LIMITED),
  },
});

assetsRoute.openapi(takedown, async (c) => {
  const { sha256: id } = c.req.valid("param");
  if (!SHA256_RE.test(id)) throw new ProblemError("not-found", "no asset with this id");
  const reason = ((await c.req.json().catch(() => ({}))) as { reason?: unknown }).reason;
  const why = typeof reason === "string" ? reason.slice(0, 500) : null;
  const now = Date.now();
  const db = drizzle(c.env.DB);
  // A hash never uploaded can be blocked too (known abusive bytes): the row is the blocklist entry.
  await db
    .insert(assets)
    .values({ sha256: id, mime: "application/octet-stream", width: 0, height: 0, size: 0, uploaderId: "", cid: cidFromSha256(Uint8Array.from(id.match(/../g)!, (x) => parseInt(x, 16))), createdAt: now, blockedAt: now, blockedReason: why })
    .onConflictDoUpdate({ target: assets.sha256, set: { blockedAt: now, blockedReason: why } });
  await c.env.ASSET_BUCKET.delete(id);
  await audit(c, "asset.taken_down", id, { reason: why });
  log("warn", "asset.taken_down", { sha256: id });
  return c.json({ id, blocked: true as const }, 200);
});

/** The origin metadata and logo URLs name: PUBLIC_API_ORIGIN, or the request's own. */
export function publicOrigin(c: Context<AppEnv>): string {
  return apiConfig(c.env).publicApiOrigin ?? new URL(c.req.url).origin;
}

// At most `limit` bytes: a declared length over it is refused before reading, and a
// chunked body is cut off as soon as it passes it (a 20 MB body never sits in memory).
async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new ProblemError("payload-too-large", `at most ${limit} bytes`);
  if (!req.body) throw new ProblemError("unsupported-image", "the body is empty; send the image's bytes");
  return readBytesUpTo(req.body, limit);
}
