// API keys of the signed-in user: create (the key is shown once), list, revoke.
// Stored as SHA-256 only (api_keys.hash); managed from a session, never with a key.
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { chainRegistry, findChain, newId } from "@tokenforge/core";
import { apiKeys, type ApiKeyRow } from "@tokenforge/core/db/schema";
import { API_KEY_PREFIX, forgetApiKey, requireSession } from "../auth";
import { audit } from "../audit";
import { jsonBody, ProblemError, sha256Hex } from "../http";
import { IdParam, ApiKeyView, CreatedKey, CreateKeyRequest, KeyList } from "../schemas";
import { jsonContent, LIMITED, problems, router, security } from "../openapi";
import { toBase64Url } from "../random";
import { insertUnderCap } from "../capped-insert";

/** Enough of the key to recognise it in a list, far too little to guess the rest (the key has 192 random bits). */
const PREFIX_LENGTH = 10;
const MAX_KEYS_PER_USER = 50;

export const keysRoute = router();
keysRoute.use("*", requireSession);

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
export const keyView = (k: ApiKeyRow): z.infer<typeof ApiKeyView> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: new Date(k.createdAt).toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
  spendCapPerDay: k.spendCapPerDay ?? null,
});

keysRoute.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "createApiKey",
    tags: ["keys"],
    summary: "Create an API key (shown once)",
    security: security.session,
    middleware: [jsonBody] as const,
    request: { body: { required: true, content: jsonContent(CreateKeyRequest) } },
    responses: {
      201: { description: "The new key; `key` is not shown again", content: jsonContent(CreatedKey) },
      ...problems("malformed-json", "unauthorized", "forbidden", "payload-too-large", "unsupported-media-type", "validation-error", ...LIMITED),
    },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const { name, scopes, spendCapPerDay } = c.req.valid("json");
    const unknown = Object.keys(spendCapPerDay ?? {}).filter((id) => !findChain(chainRegistry(c.env), id));
    if (unknown.length) {
      throw new ProblemError("validation-error", `spendCapPerDay: unknown chain ${unknown.join(", ")}`, { errors: unknown.map((id) => ({ path: `spendCapPerDay.${id}`, message: "is not a supported chain" })) });
    }
    const key = API_KEY_PREFIX + toBase64Url(crypto.getRandomValues(new Uint8Array(24)));
    const row: ApiKeyRow = {
      id: newId("key"), userId: caller.userId, name, prefix: key.slice(0, PREFIX_LENGTH), hash: await sha256Hex(key),
      scopes, createdAt: Date.now(), lastUsedAt: null, revokedAt: null, spendCapPerDay: spendCapPerDay ?? null,
    };
    const inserted = await insertUnderCap(c.env.DB, {
      table: "api_keys",
      row: { id: row.id, user_id: row.userId, name: row.name, prefix: row.prefix, hash: row.hash, scopes: JSON.stringify(row.scopes), created_at: row.createdAt,
        spend_cap_per_day: row.spendCapPerDay ? JSON.stringify(row.spendCapPerDay) : null },
      live: { where: "user_id = ? AND revoked_at IS NULL", params: [caller.userId] },
      cap: MAX_KEYS_PER_USER,
    });
    if (!inserted) throw new ProblemError("validation-error", `at most ${MAX_KEYS_PER_USER} active keys; revoke one first`);
    await audit(c, "key.created", row.id, { name, scopes, spendCapPerDay: row.spendCapPerDay });
    return c.json({ ...keyView(row), key }, 201, { "cache-control": "no-store" });
  },
);

keysRoute.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listApiKeys",
    tags: ["keys"],
    summary: "Your API keys (never the keys themselves)",
    security: security.session,
    responses: { 200: { description: "Keys, newest first", content: jsonContent(KeyList) }, ...problems("unauthorized", "forbidden", ...LIMITED) },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const rows = await drizzle(c.env.DB).select().from(apiKeys).where(eq(apiKeys.userId, caller.userId)).orderBy(desc(apiKeys.createdAt)).limit(200);
    return c.json({ keys: rows.map(keyView) }, 200);
  },
);

keysRoute.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    operationId: "revokeApiKey",
    tags: ["keys"],
    summary: "Revoke an API key",
    security: security.session,
    request: { params: IdParam },
    responses: {
      200: { description: "Revoked (again: a no-op)", content: jsonContent(ApiKeyView) },
      ...problems("unauthorized", "forbidden", "not-found", "validation-error", ...LIMITED),
    },
  }),
  async (c) => {
    const caller = c.get("caller")!;
    const { id } = c.req.valid("param");
    const db = drizzle(c.env.DB);
    // Someone else's key answers exactly like a missing one.
    const row = await db.select().from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, caller.userId))).get();
    if (!row) throw new ProblemError("not-found", "no API key with this id");
    if (row.revokedAt === null) {
      row.revokedAt = Date.now();
      await db.update(apiKeys).set({ revokedAt: row.revokedAt }).where(eq(apiKeys.id, id));
      forgetApiKey(id);
      await audit(c, "key.revoked", id, { name: row.name });
    }
    return c.json(keyView(row), 200);
  },
);
