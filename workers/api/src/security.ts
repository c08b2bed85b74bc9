// Browser-facing hardening on every response: a CORS allowlist (CORS_ORIGINS)
// and security headers. The CSP fits the Preact app and the docs page, both
// served from this origin with no inline script and nothing from a CDN.
import type { MiddlewareHandler } from "hono";
import { cors as honoCors } from "hono/cors";
import { apiConfig } from "./config";
import type { AppEnv, Env } from "./env";

/** CORS_ORIGINS: exact origins (scheme://host[:port], parsed in config.ts); empty means same-origin only. */
export function allowedOrigins(env: Env): string[] {
  return apiConfig(env).corsOrigins;
}

export const cors: MiddlewareHandler<AppEnv> = honoCors({
  origin: (origin, c) => (allowedOrigins(c.env as Env).includes(origin) ? origin : null),
  credentials: true,
  allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
  allowHeaders: ["authorization", "content-type", "idempotency-key"],
  // A browser client reads the 401 challenge and the 405 Allow list only if they are exposed.
  exposeHeaders: ["location", "retry-after", "ratelimit", "ratelimit-policy", "idempotent-replayed", "www-authenticate", "allow"],
  maxAge: 600,
});

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // Responses passed through from fetch() (static assets) have immutable headers.
  try {
    c.res.headers.set("x-content-type-options", "nosniff");
  } catch {
    c.res = new Response(c.res.body, c.res);
  }
  const h = c.res.headers;
  h.set("x-content-type-options", "nosniff");
  h.set("referrer-policy", "strict-origin-when-cross-origin");
  // A route with a stricter policy of its own (served images: sandboxed) keeps it.
  if (!h.has("content-security-policy")) h.set("content-security-policy", CSP);
  h.set("x-frame-options", "DENY");
  h.set("cross-origin-opener-policy", "same-origin");
  h.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (c.env.TF_ENV !== "local") h.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  // Account data must not sit in shared caches.
  if (!h.has("cache-control") && c.get("caller")) h.set("cache-control", "private, no-store");
};
