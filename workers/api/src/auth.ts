// Who is calling and what they may do. Two ways in: an API key
// (`Authorization: Bearer tf_…`, looked up by its SHA-256) or the session cookie
// of a wallet sign-in. Roles: user, admin. Admin routes also take the static
// ADMIN_TOKEN outside production (local dev and tests; tools/platform.ts uses it).
import type { Context, MiddlewareHandler } from "hono";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, users } from "@tokenforge/core/db/schema";
import type { AppEnv, Caller } from "./env";
import { audit } from "./audit";
import { BEARER_CHALLENGE, bearerToken, ProblemError, sha256Hex } from "./http";
import { SCOPES, type Scope } from "./scopes";
import { readSession } from "./session";
import { allowedOrigins } from "./security";

export const API_KEY_PREFIX = "tf_";
/** lastUsedAt is a hint, not a log: written at most once a minute per key. */
const LAST_USED_RESOLUTION_MS = 60_000;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const lastUsedWrites = new Map<string, number>();
// Resolved keys, per isolate, for a few seconds: bots send many requests a
// second and the key lookup would otherwise be a D1 round trip on each. A
// revocation clears this isolate's entry at once; other isolates within the TTL.
const KEY_CACHE_TTL_MS = 10_000;
const keyCache = new Map<string, { caller: Caller; until: number }>();

/** Drops a revoked key from this isolate's cache. */
export function forgetApiKey(keyId: string) {
  for (const [hash, e] of keyCache) if (e.caller.keyId === keyId) keyCache.delete(hash);
}

export const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("caller", null);
  const token = bearerToken(c.req.header("authorization"));
  if (token?.startsWith(API_KEY_PREFIX)) {
    c.set("caller", await callerFromKey(c, token));
  } else {
    const session = await readSession(c);
    if (session) {
      checkSameOrigin(c);
      c.set("caller", { userId: session.userId, role: session.role, via: "session", keyId: null, scopes: [...SCOPES] });
    }
  }
  await next();
};

async function callerFromKey(c: Context<AppEnv>, key: string): Promise<Caller> {
  if (key.length > 200) throw invalidKey();
  const hash = await sha256Hex(key);
  const now = Date.now();
  const cached = keyCache.get(hash);
  if (cached && cached.until > now) return cached.caller;
  const db = drizzle(c.env.DB);
  const row = await db
    .select({ id: apiKeys.id, userId: apiKeys.userId, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt, role: users.role, spendCaps: apiKeys.spendCapPerDay })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) throw invalidKey();
  // The row read may predate a write this isolate just made: remember ours too.
  const seen = Math.max(row.lastUsedAt ?? 0, lastUsedWrites.get(row.id) ?? 0);
  if (now - seen >= LAST_USED_RESOLUTION_MS) {
    if (lastUsedWrites.size > 10_000) lastUsedWrites.clear();
    lastUsedWrites.set(row.id, now);
    const cutoff = now - LAST_USED_RESOLUTION_MS;
    c.executionCtx.waitUntil(
      db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, cutoff))))
        .run()
        .catch(() => undefined),
    );
  }
  const caller: Caller = { userId: row.userId, role: row.role, via: "api-key", keyId: row.id, scopes: row.scopes.filter(isScope), spendCaps: row.spendCaps ?? null };
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { caller, until: now + KEY_CACHE_TTL_MS });
  return caller;
}

const invalidKey = () =>
  new ProblemError("unauthorized", "the API key is not valid or was revoked", {}, { "www-authenticate": `${BEARER_CHALLENGE}, error="invalid_token"` });

const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/**
 * Cookies ride along on cross-site requests; SameSite=Lax stops most, and for
 * unsafe methods a browser's Origin must be ours or in CORS_ORIGINS (CSRF).
 */
function checkSameOrigin(c: Context<AppEnv>) {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("origin");
  if (origin) {
    if (origin === new URL(c.req.url).origin || allowedOrigins(c.env).includes(origin)) return;
    throw new ProblemError("forbidden", "cross-origin request with a session cookie refused");
  }
  if (c.req.header("sec-fetch-site") === "cross-site") throw new ProblemError("forbidden", "cross-site request with a session cookie refused");
}

function unauthorized(detail: string) {
  return new ProblemError("unauthorized", detail);
}

/** Needs a caller (session or API key); an API key must carry `scope`. */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = c.get("caller");
    if (!caller) throw withAuthenticate(unauthorized("sign in, or send Authorization: Bearer tf_… (an API key)"));
    if (caller.via === "api-key" && !caller.scopes.includes(scope)) throw new ProblemError("forbidden", `the API key lacks the ${scope} scope`);
    await next();
  };
}

/** Needs a signed-in session: API keys cannot manage API keys. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const caller = c.get("caller");
  if (!caller) throw withAuthenticate(unauthorized("sign in with a wallet first (POST /api/v1/auth/siwe or /auth/siws)"));
  if (caller.via !== "session") throw new ProblemError("forbidden", "API keys are managed from a signed-in session, not with an API key");
  await next();
};

/**
 * Operator routes: the admin role (a session or any API key of an admin), or the
 * static ADMIN_TOKEN outside production. Every admin request gets an audit row.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const caller = c.get("caller");
  if (!caller) {
    const expected = c.env.ADMIN_TOKEN;
    const token = bearerToken(c.req.header("authorization")) ?? "";
    if (!expected || c.env.TF_ENV === "production" || !(await timingSafeEqual(token, expected))) {
      throw withAuthenticate(unauthorized("admin role required: sign in as an admin or use an admin's API key"));
    }
    c.set("adminToken", true);
  } else if (caller.role !== "admin") {
    throw new ProblemError("forbidden", "admin role required");
  }
  await next();
  await audit(c, "admin.request", `${c.req.method} ${c.req.path}`, { status: c.res.status });
};

function withAuthenticate(e: ProblemError) {
  e.headers["www-authenticate"] = BEARER_CHALLENGE;
  return e;
}

async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha.charCodeAt(i) ^ hb.charCodeAt(i);
  return diff === 0;
}
