// Request and launch limits per API key (or signed-in user) and per IP, counted
// in the RateLimiter Durable Object. Every response reports the policies that
// applied in the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers:
// `RateLimit-Policy: "key-minute";q=600;w=60` and `RateLimit: "key-minute";r=12;t=41`);
// past a limit the answer is 429 problem+json with Retry-After.
//
// Limits are vars (see /wrangler.toml; defaults below when unset):
//   RATE_LIMIT_KEY_PER_MINUTE       requests per minute per API key / signed-in user
//   RATE_LIMIT_IP_PER_MINUTE        requests per minute per client IP (every request)
//   RATE_LIMIT_LAUNCHES_PER_DAY     accepted launches per UTC day per API key / user
//   RATE_LIMIT_IP_LAUNCHES_PER_DAY  accepted launches per UTC day per client IP
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "./env";
import { ProblemError } from "./http";
import { leaseSize } from "./rate-window";

export const DEFAULT_LIMITS = {
  RATE_LIMIT_KEY_PER_MINUTE: 600,
  RATE_LIMIT_IP_PER_MINUTE: 1200,
  RATE_LIMIT_LAUNCHES_PER_DAY: 1000,
  RATE_LIMIT_IP_LAUNCHES_PER_DAY: 2000,
};
type LimitVar = keyof typeof DEFAULT_LIMITS;

type Rule = { id: string; limitVar: LimitVar; windowSeconds: number };
const RULES = {
  keyMinute: { id: "key-minute", limitVar: "RATE_LIMIT_KEY_PER_MINUTE", windowSeconds: 60 },
  ipMinute: { id: "ip-minute", limitVar: "RATE_LIMIT_IP_PER_MINUTE", windowSeconds: 60 },
  keyLaunchesDay: { id: "key-launches-day", limitVar: "RATE_LIMIT_LAUNCHES_PER_DAY", windowSeconds: 86_400 },
  ipLaunchesDay: { id: "ip-launches-day", limitVar: "RATE_LIMIT_IP_LAUNCHES_PER_DAY", windowSeconds: 86_400 },
} satisfies Record<string, Rule>;

export type LimitOutcome = { policy: string; limit: number; windowSeconds: number; ok: boolean; remaining: number; resetAt: number };

export function limitOf(env: Env, v: LimitVar): number {
  const n = Number(env[v]);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : DEFAULT_LIMITS[v];
}

// Units reserved from the Durable Object by this isolate (rate-window.ts leaseSize).
type Lease = { key: string; resetAt: number; left: number; remainingAtDo: number };
const leases = new Map<string, Lease>();
const MAX_LEASES = 10_000;

async function consume(env: Env, subject: string, rule: Rule, now = Date.now()): Promise<LimitOutcome> {
  const limit = limitOf(env, rule.limitVar);
  const base = { policy: rule.id, limit, windowSeconds: rule.windowSeconds };
  const key = `${subject}|${rule.id}|${limit}`;
  const fromLease = () => {
    const l = leases.get(key);
    if (!l || l.resetAt <= now || l.left <= 0) return null;
    l.left--;
    return { ...base, ok: true, remaining: l.remainingAtDo + l.left, resetAt: l.resetAt };
  };
  const hit = fromLease();
  if (hit) return hit;
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(subject));
  const r = await stub.take(rule.id, limit, rule.windowSeconds, leaseSize(limit));
  // Concurrent requests of this isolate may have reserved units meanwhile: merge, never overwrite.
  const cur = leases.get(key);
  if (cur && cur.resetAt === r.resetAt) {
    cur.left += r.granted;
    cur.remainingAtDo = Math.min(cur.remainingAtDo, r.remaining);
  } else if (r.granted > 0) {
    if (leases.size >= MAX_LEASES) {
      for (const [k, l] of leases) if (l.resetAt <= now || l.left === 0) leases.delete(k);
      if (leases.size >= MAX_LEASES) leases.clear();
    }
    leases.set(key, { key, resetAt: r.resetAt, left: r.granted, remainingAtDo: r.remaining });
  }
  return fromLease() ?? { ...base, ok: false, remaining: 0, resetAt: r.resetAt };
}

const clientIp = (c: Context) => c.req.header("cf-connecting-ip") ?? "unknown";
const callerSubject = (c: Context<AppEnv>) => {
  const caller = c.get("caller");
  if (!caller) return null;
  return caller.keyId ? `key:${caller.keyId}` : `user:${caller.userId}`;
};

function record(c: Context<AppEnv>, outcomes: LimitOutcome[]) {
  c.set("limits", [...(c.get("limits") ?? []), ...outcomes]);
  const denied = outcomes.find((o) => !o.ok);
  if (!denied) return;
  const all = c.get("limits")!;
  const retryAfter = Math.max(1, Math.ceil((denied.resetAt - Date.now()) / 1000));
  throw new ProblemError(
    "rate-limited",
    `limit "${denied.policy}" reached: ${denied.limit} per ${denied.windowSeconds} s; retry in ${retryAfter} s`,
    { policy: denied.policy },
    { ...rateLimitHeaders(all), "retry-after": String(retryAfter) },
  );
}

/** The IETF fields for the policies that applied to this request. */
export function rateLimitHeaders(outcomes: LimitOutcome[], now = Date.now()): Record<string, string> {
  if (outcomes.length === 0) return {};
  return {
    "ratelimit-policy": outcomes.map((o) => `"${o.policy}";q=${o.limit};w=${o.windowSeconds}`).join(", "),
    ratelimit: outcomes.map((o) => `"${o.policy}";r=${o.remaining};t=${Math.max(0, Math.ceil((o.resetAt - now) / 1000))}`).join(", "),
  };
}

/** Outermost: counts the request against the client IP, and writes the headers on the way out. */
export const limitByIp: MiddlewareHandler<AppEnv> = async (c, next) => {
  record(c, [await consume(c.env, `ip:${clientIp(c)}`, RULES.ipMinute)]);
  await next();
  const headers = rateLimitHeaders(c.get("limits") ?? []);
  try {
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  } catch {
    // immutable headers (a streamed passthrough): the limits still applied
  }
};

/** After identify: counts the request against the API key or the signed-in user. */
export const limitByCaller: MiddlewareHandler<AppEnv> = async (c, next) => {
  const subject = callerSubject(c);
  if (subject) record(c, [await consume(c.env, subject, RULES.keyMinute)]);
  await next();
};

/** Called by POST /launches once the request is valid, before anything is stored. */
export async function takeLaunch(c: Context<AppEnv>) {
  const subject = callerSubject(c);
  const outcomes = await Promise.all([
    consume(c.env, `ip:${clientIp(c)}`, RULES.ipLaunchesDay),
    ...(subject ? [consume(c.env, subject, RULES.keyLaunchesDay)] : []),
  ]);
  record(c, outcomes);
}
