// Who is calling: an API key (`Authorization: Bearer tf_…`, looked up by its
// SHA-256) or nobody. Session cookies arrive with wallet sign-in.
import type { MiddlewareHandler } from "hono";
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "@tokenforge/core/db/schema";
import type { AppEnv, Caller } from "./env";
import { problemResponse, sha256Hex } from "./http";

export const API_KEY_PREFIX = "tf_";

export const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("caller", null);
  const header = c.req.header("authorization");
  if (header?.startsWith("Bearer " + API_KEY_PREFIX)) {
    const key = header.slice("Bearer ".length).trim();
    const hash = await sha256Hex(key);
    const db = drizzle(c.env.DB);
    const row = await db
      .select({ id: apiKeys.id, userId: apiKeys.userId, scopes: apiKeys.scopes })
      .from(apiKeys)
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
      .get();
    if (!row) return problemResponse("unauthorized", "the API key is not valid or was revoked");
    c.set("caller", { userId: row.userId, keyId: row.id, scopes: row.scopes } satisfies Caller);
  }
  await next();
};

export function requireScope(scope: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = c.get("caller");
    if (!caller) return problemResponse("unauthorized", "send Authorization: Bearer tf_… (an API key)", {}, { "www-authenticate": "Bearer" });
    if (caller.keyId && !caller.scopes.includes(scope)) return problemResponse("forbidden", `the API key lacks the ${scope} scope`);
    await next();
  };
}

/** Operator routes: the static admin token (a Worker secret) until accounts have roles. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  const header = c.req.header("authorization") ?? "";
  if (!expected || !(await timingSafeEqual(header, `Bearer ${expected}`))) {
    return problemResponse("unauthorized", "admin token required", {}, { "www-authenticate": "Bearer" });
  }
  await next();
};

async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha.charCodeAt(i) ^ hb.charCodeAt(i);
  return diff === 0;
}
