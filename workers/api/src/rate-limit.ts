// Request limits per API key (or signed-in user) and per IP, counted in the
// RateLimiter Durable Object, and launch quotas per user and per IP, counted in
// D1 in the same transaction as the launch row (launch-store.ts). Every response
// reports the policies that applied in the IETF RateLimit fields
// (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "key-minute";q=600;w=60`
// and `RateLimit: "key-minute";r=12;t=41`); past a limit the answer is 429
// problem+json with Retry-After.
//
// Limits are vars (see ../wrangler.toml; parsed in config.ts, with production's defaults):
//   RATE_LIMIT_KEY_PER_MINUTE       requests per minute per API key (each key on its own) / per
//                                   signed-in session's user — "key-minute"
//   RATE_LIMIT_IP_PER_MINUTE        requests per minute per client IP (every request) — "ip-minute"
//   RATE_LIMIT_LAUNCHES_PER_DAY     accepted launches per UTC day per USER, whichever of their
//                                   keys or their session sends them (revoking and creating keys
//                                   does not reset it) — "user-launches-day"
//   RATE_LIMIT_IP_LAUNCHES_PER_DAY  accepted launches per UTC day per client IP — "ip-launches-day"
// Only an accepted new launch counts against the launch quotas: an idempotent
// replay or a refused request (validation, another limit, a busy deployer) does not.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "./env";
import { apiConfig, type ApiConfig } from "./config";
import { ProblemError, sha256Hex } from "./http";
import { leaseSize } from "./rate-window";

type LimitVar = keyof ApiConfig["limits"];

type Rule = { id: string; limitVar: LimitVar; windowSeconds: number };
const RULES = {
  keyMinute: { id: "key-minute", limitVar: "RATE_LIMIT_KEY_PER_MINUTE", windowSeconds: 60 },
  ipMinute: { id: "ip-minute", limitVar: "RATE_LIMIT_IP_PER_MINUTE", windowSeconds: 60 },
  tokenRefresh: { id: "token-refresh-minute", limitVar: "RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE", windowSeconds: 60 },
} satisfies Record<string, Rule>;

export type LimitOutcome = { policy: string; limit: number; windowSeconds: number; ok: boolean; remaining: number; resetAt: number };

export function limitOf(env: Env, v: LimitVar): number {
  return apiConfig(env).limits[v];
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
  if (denied) throw limitProblem(denied, c.get("limits")!);
}

/** The 429 for a policy that refused, with the fields of every policy that applied. */
function limitProblem(denied: LimitOutcome, all: LimitOutcome[]): ProblemError {
  const retryAfter = Math.max(1, Math.ceil((denied.resetAt - Date.now()) / 1000));
  return new ProblemError(
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

/** Per token, whoever asks: a chain-state read on demand costs the chain's RPC budget (429 past the limit). */
export async function limitTokenRefresh(c: Context<AppEnv>, chain: string, address: string) {
  record(c, [await consume(c.env, `token:${chain}:${address}`, RULES.tokenRefresh)]);
}

const DAY_MS = 86_400_000;

/** A launch quota to count in D1 with the launch row: who, which policy, how many per day. */
export type LaunchQuota = { policy: "user-launches-day" | "ip-launches-day"; subject: string; limit: number; windowStart: number };

/** The launch quotas of this request: the caller's user (whichever key or session) and the client IP. */
export async function launchQuotas(c: Context<AppEnv>, now = Date.now()): Promise<LaunchQuota[]> {
  const windowStart = Math.floor(now / DAY_MS) * DAY_MS;
  const caller = c.get("caller")!;
  return [
    { policy: "user-launches-day", subject: `user:${caller.userId}`, limit: limitOf(c.env, "RATE_LIMIT_LAUNCHES_PER_DAY"), windowStart },
    // Hashed: the table needs to tell IPs apart, not to know them.
    { policy: "ip-launches-day", subject: `ip:${await sha256Hex(clientIp(c))}`, limit: limitOf(c.env, "RATE_LIMIT_IP_LAUNCHES_PER_DAY"), windowStart },
  ];
}

/**
 * Reports the launch quotas in the response's RateLimit fields (`used` as counted in the launches' transaction).
 * Returns the 429 for launches a quota refused (`denied` names it), for the caller to answer or to put in a batch item.
 */
export function recordLaunchQuotas(c: Context<AppEnv>, quotas: LaunchQuota[], used: Map<string, number>, denied?: string): ProblemError | null {
  const outcomes = quotas.map((q) => {
    const u = used.get(q.subject) ?? 0;
    return { policy: q.policy, limit: q.limit, windowSeconds: DAY_MS / 1000, ok: q.subject !== denied, remaining: Math.max(0, q.limit - u), resetAt: q.windowStart + DAY_MS };
  });
  c.set("limits", [...(c.get("limits") ?? []), ...outcomes]);
  const refused = outcomes.find((o) => !o.ok);
  return refused ? limitProblem(refused, c.get("limits")!) : null;
}
