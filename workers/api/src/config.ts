// The api's vars, parsed once at its entry (the first middleware of index.ts and
// its queue handler) into one typed object; modules read fields of it. Every var
// is declared with its local value in ../wrangler.toml [vars]; the defaults below
// are production's (its [env.production] vars list only the addresses).
import { amountsPerChainVar, booleanVar, listVar, numberVar, parsedOncePer, parseVars } from "@tokenforge/core/config-vars";
import { Environment } from "@tokenforge/core";
import { z } from "zod";

const perWindow = z.number().int().positive();
/** A web origin, scheme://host[:port] (a trailing slash is tolerated): anything else is a typo, not an origin. */
const origin = z.string().transform((s, ctx) => {
  try {
    const u = new URL(s);
    if (u.origin !== "null") return u.origin;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: "expected comma-separated origins like https://app.example" });
  return z.NEVER;
});
const seconds = z.number().positive();
/** Amounts per chain (core config-vars; the cron reads the same caps for its spend alert). */
const capsVar = amountsPerChainVar;
/** A base URL (scheme://host[:port][/path]); unset or "": the fallback. */
const baseUrlVar = (fallback: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().url().optional()).transform((v) => (v ?? fallback).replace(/\/$/, ""));

export const ApiVars = z.object({
  TF_ENV: Environment,
  // Read by core meter.ts at the entry (bench:cost); declared here so a typo fails at start.
  COST_METER: z.enum(["on", "off"]).default("off"),
  // Requests per minute per API key (or session user) and per client IP; launches per UTC day per user and per IP.
  RATE_LIMIT_KEY_PER_MINUTE: numberVar(600, perWindow),
  RATE_LIMIT_IP_PER_MINUTE: numberVar(1200, perWindow),
  RATE_LIMIT_LAUNCHES_PER_DAY: numberVar(1000, perWindow),
  RATE_LIMIT_IP_LAUNCHES_PER_DAY: numberVar(2000, perWindow),
  // Owner-requested chain-state reads per minute per token (POST /tokens/{chain}/{address}/refresh): each costs RPC budget.
  RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE: numberVar(6, perWindow),
  // Sign-in: a nonce lives 5 minutes, a session 7 days.
  AUTH_NONCE_TTL_SECONDS: numberVar(300, seconds),
  SESSION_TTL_SECONDS: numberVar(7 * 24 * 3600, seconds),
  // Webhook retries: base·2^(attempt−1) s with jitter (capped at 1 h); dropped after N attempts.
  WEBHOOK_RETRY_BASE_SECONDS: numberVar(10, seconds),
  WEBHOOK_MAX_ATTEMPTS: numberVar(8, z.number().int().positive()),
  // Local dev only: webhooks may target http:// and private hosts.
  ALLOW_PRIVATE_WEBHOOKS: booleanVar(false),
  // Where users reach this API (SIWE/SIWS messages must name one; none: sign-in answers 503), and CORS's allowlist.
  PUBLIC_ORIGINS: listVar().pipe(z.array(origin)),
  CORS_ORIGINS: listVar().pipe(z.array(origin)),
  // Wallets (0x… or base58) that become admins when they sign in.
  ADMIN_WALLETS: listVar(),
  // A quote (POST /quotes) binds its figures this long.
  QUOTE_TTL_SECONDS: numberVar(120, seconds),
  // Solana priority fee a launch pays (the deployer's vars of the same names; quotes include it): micro-lamports per unit, at most this many units.
  SOLANA_PRIORITY_FEE_MICROLAMPORTS: numberVar(10_000, z.number().int().min(0)),
  SOLANA_COMPUTE_UNIT_LIMIT: numberVar(60_000, z.number().int().positive()),
  // A wallet-paid launch's payment window (EVM: its transaction's deadline; Solana: no fresh transaction is issued after it); unpaid after it, it expires.
  PAYMENT_WINDOW_SECONDS: numberVar(900, seconds),
  // Spend caps on credits (issue 17), chain=amount pairs per UTC day in the chain's smallest unit; "": none.
  CREDITS_USER_CAP_PER_DAY: capsVar(),
  CREDITS_PLATFORM_CAP_PER_DAY: capsVar(),
  // What a platform launch reserves on a chain that cannot be priced right now (same form); a chain not named answers 503.
  CREDITS_UNPRICED_RESERVE: capsVar(),
  // Announcements (issue 20): where the Discord and Telegram APIs are (stand-ins locally), the bot's
  // @username for t.me links, and how long a Telegram link code lives.
  DISCORD_API_BASE: baseUrlVar("https://discord.com"),
  TELEGRAM_API_BASE: baseUrlVar("https://api.telegram.org"),
  TELEGRAM_BOT_USERNAME: z.string().regex(/^$|^[A-Za-z][A-Za-z0-9_]{3,31}$/, "a Telegram bot username (letters, digits, _)").default(""),
  TELEGRAM_LINK_TTL_SECONDS: numberVar(600, seconds),
  // Where metadata and logo URLs point (empty: the request's own origin, fine locally; production sets it).
  PUBLIC_API_ORIGIN: z.string().default("").pipe(z.union([z.literal(""), origin])),
  // Uploads (POST /assets) per user per rolling 24 h.
  ASSET_UPLOADS_PER_DAY: numberVar(50, perWindow),
  // Market figures older than this read as stale (beside those whose last refresh failed).
  MARKET_STALE_SECONDS: numberVar(900, seconds),
  // GET /chains is answered from the isolate's memory within buckets of this many seconds ("0": read D1 and KV every time).
  CHAINS_CACHE_SECONDS: numberVar(10, z.number().min(0)),
});

export type ApiConfig = {
  env: Environment;
  limits: {
    RATE_LIMIT_KEY_PER_MINUTE: number;
    RATE_LIMIT_IP_PER_MINUTE: number;
    RATE_LIMIT_LAUNCHES_PER_DAY: number;
    RATE_LIMIT_IP_LAUNCHES_PER_DAY: number;
    RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE: number;
  };
  nonceTtlMs: number;
  sessionTtlMs: number;
  webhooks: { retryBaseSeconds: number; maxAttempts: number; allowPrivate: boolean };
  /** Origins (scheme://host[:port]) sign-in messages are checked against. */
  publicOrigins: string[];
  corsOrigins: string[];
  adminWallets: string[];
  quoteTtlMs: number;
  /** null: no priority fee. */
  solanaPriorityFee: { microLamportsPerUnit: bigint; computeUnitLimit: number } | null;
  paymentWindowSeconds: number;
  /** Daily caps per chain on credits spent by one user and by the whole platform (absent chain: no cap). */
  creditCaps: { perUserPerDay: Map<string, bigint>; platformPerDay: Map<string, bigint>; unpricedReserve: Map<string, bigint> };
  announce: { discordApiBase: string; telegramApiBase: string; telegramBotUsername: string; telegramLinkTtlMs: number };
  /** null: the request's origin. */
  publicApiOrigin: string | null;
  assetUploadsPerDay: number;
  marketStaleMs: number;
  /** 0: no isolate copy of GET /chains. */
  chainsCacheMs: number;
};

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseApiConfig(env: object): ApiConfig {
  const v = parseVars("api", ApiVars, env);
  return {
    env: v.TF_ENV,
    limits: {
      RATE_LIMIT_KEY_PER_MINUTE: v.RATE_LIMIT_KEY_PER_MINUTE,
      RATE_LIMIT_IP_PER_MINUTE: v.RATE_LIMIT_IP_PER_MINUTE,
      RATE_LIMIT_LAUNCHES_PER_DAY: v.RATE_LIMIT_LAUNCHES_PER_DAY,
      RATE_LIMIT_IP_LAUNCHES_PER_DAY: v.RATE_LIMIT_IP_LAUNCHES_PER_DAY,
      RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE: v.RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE,
    },
    nonceTtlMs: v.AUTH_NONCE_TTL_SECONDS * 1000,
    sessionTtlMs: v.SESSION_TTL_SECONDS * 1000,
    webhooks: { retryBaseSeconds: v.WEBHOOK_RETRY_BASE_SECONDS, maxAttempts: v.WEBHOOK_MAX_ATTEMPTS, allowPrivate: v.ALLOW_PRIVATE_WEBHOOKS },
    publicOrigins: v.PUBLIC_ORIGINS,
    corsOrigins: v.CORS_ORIGINS,
    adminWallets: v.ADMIN_WALLETS,
    quoteTtlMs: v.QUOTE_TTL_SECONDS * 1000,
    solanaPriorityFee: v.SOLANA_PRIORITY_FEE_MICROLAMPORTS > 0
      ? { microLamportsPerUnit: BigInt(v.SOLANA_PRIORITY_FEE_MICROLAMPORTS), computeUnitLimit: v.SOLANA_COMPUTE_UNIT_LIMIT }
      : null,
    paymentWindowSeconds: v.PAYMENT_WINDOW_SECONDS,
    creditCaps: { perUserPerDay: v.CREDITS_USER_CAP_PER_DAY, platformPerDay: v.CREDITS_PLATFORM_CAP_PER_DAY, unpricedReserve: v.CREDITS_UNPRICED_RESERVE },
    announce: {
      discordApiBase: v.DISCORD_API_BASE,
      telegramApiBase: v.TELEGRAM_API_BASE,
      telegramBotUsername: v.TELEGRAM_BOT_USERNAME,
      telegramLinkTtlMs: v.TELEGRAM_LINK_TTL_SECONDS * 1000,
    },
    publicApiOrigin: v.PUBLIC_API_ORIGIN || null,
    assetUploadsPerDay: v.ASSET_UPLOADS_PER_DAY,
    marketStaleMs: v.MARKET_STALE_SECONDS * 1000,
    chainsCacheMs: v.CHAINS_CACHE_SECONDS * 1000,
  };
}

/** The api's config for this env object, parsed on first use (the entry) and reused. */
export const apiConfig = parsedOncePer(parseApiConfig);
