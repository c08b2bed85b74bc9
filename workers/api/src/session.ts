// Browser sessions after wallet sign-in: an opaque random id in an HttpOnly
// cookie (Secure outside local dev, SameSite=Lax); D1 keeps only its SHA-256
// and an expiry, so a leaked table row cannot be replayed as a cookie.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { and, eq, gt, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessions, users } from "@tokenforge/core/db/schema";
import type { AppEnv, Env } from "./env";
import { apiConfig } from "./config";
import { sha256Hex } from "./http";
import { toBase64Url } from "./random";

export const SESSION_COOKIE = "tf_session";

export const sessionTtlMs = (env: Env) => apiConfig(env).sessionTtlMs;
const secureCookies = (env: Env) => env.TF_ENV !== "local";

export async function startSession(c: Context<AppEnv>, userId: string, now = Date.now()) {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = now + sessionTtlMs(c.env);
  const db = drizzle(c.env.DB);
  await db.batch([
    db.insert(sessions).values({ idHash: await sha256Hex(token), userId, createdAt: now, expiresAt }),
    // Housekeeping on the way: expired sessions of anyone are useless rows.
    db.delete(sessions).where(lt(sessions.expiresAt, now)),
  ]);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secureCookies(c.env),
    sameSite: "Lax",
    path: "/",
    maxAge: Math.floor((expiresAt - now) / 1000),
  });
  return { expiresAt };
}

/** The session's user, or null when there is no cookie or it is unknown or expired. */
export async function readSession(c: Context<AppEnv>, now = Date.now()) {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 100) return null;
  const row = await drizzle(c.env.DB)
    .select({ userId: users.id, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, await sha256Hex(token)), gt(sessions.expiresAt, now)))
    .get();
  return row ?? null;
}

export async function endSession(c: Context<AppEnv>) {
  const token = getCookie(c, SESSION_COOKIE);
  if (token && token.length <= 100) {
    await drizzle(c.env.DB).delete(sessions).where(eq(sessions.idHash, await sha256Hex(token)));
  }
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureCookies(c.env), httpOnly: true, sameSite: "Lax" });
}
