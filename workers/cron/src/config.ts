// The cron Worker's vars, parsed once at its entry (index.ts runJobs) into one
// typed object. Every var is declared with its local value in ../wrangler.toml
// [vars]. The ChainGate tuning vars its probes share with the deployer are read
// by the deployer's gate/config.ts.
import { amountsPerChainVar, numberVar, parsedOncePer, parseVars } from "@tokenforge/core/config-vars";
import { Environment } from "@tokenforge/core";
import { z } from "zod";

export const CronVars = z.object({
  TF_ENV: Environment,
  // Read by core meter.ts at the entry (bench:cost); declared here so a typo fails at start.
  COST_METER: z.enum(["on", "off"]).default("off"),
  // A non-final launch that has not moved for this long is put back on the queue.
  SWEEP_STALE_SECONDS: numberVar(30, z.number().positive()),
  // How often the long-term copy of D1 goes to R2 (jobs/backup.ts), and rows per copied page.
  BACKUP_INTERVAL_MINUTES: numberVar(60, z.number().positive()),
  BACKUP_PAGE_ROWS: numberVar(1000, z.number().int().min(1).max(10_000)),
  // A credit reservation whose launch row was never written (the request died between the two) is released after this long.
  CREDITS_ORPHAN_MINUTES: numberVar(10, z.number().positive()),
  // The ledger reconciliation (jobs/reconcile-credits.ts): its interval, and blocks per chain one run scans for deposits (one call each).
  CREDITS_RECONCILE_MINUTES: numberVar(10, z.number().positive()),
  RECONCILE_SCAN_BLOCKS: numberVar(200, z.number().int().positive().max(10_000)),
  // A pending deposit the chain no longer knows (a reorg took it, or it was dropped) for this long is dropped, never credited.
  DEPOSIT_DROP_SECONDS: numberVar(1800, z.number().positive()),
  // The X digest (issue 20): the API's base URL (a stand-in locally), the UTC hour it goes out and how many launches it names.
  X_API_BASE: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().url().optional()).transform((v) => (v ?? "https://api.x.com").replace(/\/$/, "")),
  X_DIGEST_HOUR_UTC: numberVar(18, z.number().int().min(0).max(23)),
  X_DIGEST_SIZE: numberVar(5, z.number().int().min(1).max(20)),
  // Alerts (jobs/alerts.ts): a condition must hold this long before it pages, and be gone this long before it resolves.
  ALERT_FIRE_AFTER_SECONDS: numberVar(120, z.number().nonnegative()),
  ALERT_RESOLVE_AFTER_SECONDS: numberVar(300, z.number().nonnegative()),
  // Thresholds: the deployer's balance pays for fewer launches than this; the oldest queued launch waits longer;
  // a breaker stays open (or half-open) longer; an endpoint's recent error rate (0..1) over at least ALERT_ERROR_MIN_CALLS
  // calls; a provider's budget bucket below this fill (0..1).
  ALERT_FUNDS_MIN_LAUNCHES: numberVar(50, z.number().nonnegative()),
  ALERT_BACKLOG_MAX_AGE_SECONDS: numberVar(300, z.number().positive()),
  ALERT_BREAKER_OPEN_SECONDS: numberVar(300, z.number().nonnegative()),
  ALERT_ERROR_RATE: numberVar(0.5, z.number().min(0).max(1)),
  ALERT_ERROR_MIN_CALLS: numberVar(10, z.number().int().positive()),
  ALERT_BUDGET_MIN_FILL: numberVar(0.02, z.number().min(0).max(1)),
  // "A spend cap near": today's spending reached this fraction (0..1] of a daily cap.
  ALERT_SPEND_CAP_FRACTION: numberVar(0.8, z.number().positive().max(1)),
  // The api's daily credit caps (the same vars, the same values: the api enforces them, the cron watches them).
  CREDITS_PLATFORM_CAP_PER_DAY: amountsPerChainVar(),
  CREDITS_USER_CAP_PER_DAY: amountsPerChainVar(),
  // PagerDuty Events API v2 base URL (the routing key is the secret PAGERDUTY_ROUTING_KEY; none: no pages sent).
  PAGERDUTY_URL: z.url().default("https://events.pagerduty.com"),
  // Where the Discord and Telegram APIs are for alert messages (stand-ins locally; "" = the real ones).
  ALERT_DISCORD_API_BASE: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().url().optional()).transform((v) => (v ?? "https://discord.com").replace(/\/$/, "")),
  ALERT_TELEGRAM_API_BASE: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().url().optional()).transform((v) => (v ?? "https://api.telegram.org").replace(/\/$/, "")),
  // Pinning (issue 18): the service's two base URLs and its request quota (a token bucket, as for an RPC provider).
  PINATA_UPLOADS_URL: z.string().default("https://uploads.pinata.cloud").pipe(z.url({ protocol: /^https?$/ })),
  PINATA_API_URL: z.string().default("https://api.pinata.cloud").pipe(z.url({ protocol: /^https?$/ })),
  PIN_REQUESTS: numberVar(60, z.number().int().positive()),
  PIN_PER_SECONDS: numberVar(60, z.number().positive()),
  // Origin of the public API, for token lists' logoURIs (empty: no lists are written).
  PUBLIC_API_ORIGIN: z.string().default(""),
  // Tokens per chain whose chain state (supply, owner, pause, authorities) one run re-reads, stalest first.
  TOKEN_STATE_BATCH: numberVar(200, z.number().int().positive().max(2_000)),
  // Market data providers (issue 20): base URLs, the GeckoTerminal path prefix ("" on
  // the free API, "/onchain" under a paid CoinGecko key) and each one's quota.
  COINGECKO_URL: z.string().url().default("https://api.coingecko.com/api/v3"),
  GECKOTERMINAL_URL: z.string().url().default("https://api.geckoterminal.com/api/v2"),
  GECKOTERMINAL_PATH_PREFIX: z.string().regex(/^(\/[a-z0-9_-]+)*$/).default(""),
  // The bucket GeckoTerminal's calls draw from: "coingecko" when a paid key serves both.
  GECKOTERMINAL_QUOTA_PROVIDER: z.enum(["geckoterminal", "coingecko"]).default("geckoterminal"),
  COINGECKO_API_KEY_HEADER: z.enum(["x-cg-pro-api-key", "x-cg-demo-api-key"]).default("x-cg-demo-api-key"),
  COINGECKO_CALLS_PER_MINUTE: numberVar(30, z.number().positive()),
  GECKOTERMINAL_CALLS_PER_MINUTE: numberVar(30, z.number().positive()),
  MARKET_TIMEOUT_MS: numberVar(5000, z.number().int().positive()),
  // At most this many provider calls in one cron run (Workers' subrequest limit).
  MARKET_MAX_CALLS_PER_RUN: numberVar(30, z.number().int().positive()),
  NATIVE_PRICE_REFRESH_SECONDS: numberVar(300, z.number().positive()),
  // The refresh policy's shortest interval (active and new tokens; market/policy.ts), default 5 min.
  MARKET_ACTIVE_REFRESH_SECONDS: numberVar(300, z.number().positive()),
  // Analytics: blocks per eth_getLogs range, and how far back a reorg is looked for.
  ANALYTICS_MAX_BLOCKS: numberVar(2000, z.number().int().positive()),
  ANALYTICS_REORG_DEPTH: numberVar(64, z.number().int().positive()),
  ANALYTICS_SOLANA_MINTS_PER_RUN: numberVar(20, z.number().int().positive()),
  // Solana transfers: token accounts whose signatures are listed, and transactions read, per run
  // (each one RPC call through the gate; the least recently read accounts go first).
  ANALYTICS_SOLANA_ACCOUNTS_PER_RUN: numberVar(100, z.number().int().positive()),
  ANALYTICS_SOLANA_TX_PER_RUN: numberVar(200, z.number().int().positive()),
  // getSignaturesForAddress page size (the RPC's maximum is 1000; tests page with less).
  ANALYTICS_SOLANA_SIGNATURE_PAGE: numberVar(1000, z.number().int().positive().max(1000)),
});

export type AlertConfig = {
  fireAfterMs: number; resolveAfterMs: number; fundsMinLaunches: number; backlogMaxAgeMs: number; breakerOpenMs: number;
  errorRate: number; errorMinCalls: number; budgetMinFill: number; spendCapFraction: number; pagerDutyUrl: string;
  discordApiBase: string; telegramApiBase: string;
};
export type MarketConfig = {
  coingeckoUrl: string; geckoterminalUrl: string; pathPrefix: string; geckoterminalQuota: "geckoterminal" | "coingecko";
  keyHeader: string; coingeckoPerMinute: number; geckoterminalPerMinute: number; timeoutMs: number; maxCallsPerRun: number;
  nativeRefreshMs: number;
  activeRefreshMs: number;
};
export type AnalyticsConfig = { maxBlocks: number; reorgDepth: number; solanaMintsPerRun: number; solanaAccountsPerRun: number; solanaTxPerRun: number; solanaSignaturePage: number };
export type CronConfig = {
  env: Environment;
  sweepStaleMs: number;
  creditsOrphanMs: number;
  depositDropMs: number;
  reconcile: { intervalMs: number; scanBlocks: number };
  backup: { intervalMs: number; pageRows: number };
  xDigest: { apiBase: string; hourUtc: number; size: number };
  alerts: AlertConfig;
  /** Daily credit caps per chain (smallest unit): the whole platform's and each user's; absent chain: no cap. */
  creditCaps: { platformPerDay: Map<string, bigint>; perUserPerDay: Map<string, bigint> };
  pinning: { uploadsUrl: string; apiUrl: string; quota: { requests: number; perSeconds: number } };
  publicApiOrigin: string | null;
  tokenStateBatch: number;
  market: MarketConfig;
  analytics: AnalyticsConfig;
};

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseCronConfig(env: object): CronConfig {
  const v = parseVars("cron", CronVars, env);
  return {
    env: v.TF_ENV,
    sweepStaleMs: v.SWEEP_STALE_SECONDS * 1000,
    creditsOrphanMs: v.CREDITS_ORPHAN_MINUTES * 60_000,
    depositDropMs: v.DEPOSIT_DROP_SECONDS * 1000,
    reconcile: { intervalMs: v.CREDITS_RECONCILE_MINUTES * 60_000, scanBlocks: v.RECONCILE_SCAN_BLOCKS },
    backup: { intervalMs: v.BACKUP_INTERVAL_MINUTES * 60_000, pageRows: v.BACKUP_PAGE_ROWS },
    xDigest: { apiBase: v.X_API_BASE, hourUtc: v.X_DIGEST_HOUR_UTC, size: v.X_DIGEST_SIZE },
    alerts: {
      fireAfterMs: v.ALERT_FIRE_AFTER_SECONDS * 1000, resolveAfterMs: v.ALERT_RESOLVE_AFTER_SECONDS * 1000,
      fundsMinLaunches: v.ALERT_FUNDS_MIN_LAUNCHES, backlogMaxAgeMs: v.ALERT_BACKLOG_MAX_AGE_SECONDS * 1000,
      breakerOpenMs: v.ALERT_BREAKER_OPEN_SECONDS * 1000, errorRate: v.ALERT_ERROR_RATE, errorMinCalls: v.ALERT_ERROR_MIN_CALLS,
      budgetMinFill: v.ALERT_BUDGET_MIN_FILL, spendCapFraction: v.ALERT_SPEND_CAP_FRACTION, pagerDutyUrl: v.PAGERDUTY_URL,
      discordApiBase: v.ALERT_DISCORD_API_BASE, telegramApiBase: v.ALERT_TELEGRAM_API_BASE,
    },
    creditCaps: { platformPerDay: v.CREDITS_PLATFORM_CAP_PER_DAY, perUserPerDay: v.CREDITS_USER_CAP_PER_DAY },
    pinning: { uploadsUrl: v.PINATA_UPLOADS_URL.replace(/\/+$/, ""), apiUrl: v.PINATA_API_URL.replace(/\/+$/, ""), quota: { requests: v.PIN_REQUESTS, perSeconds: v.PIN_PER_SECONDS } },
    publicApiOrigin: v.PUBLIC_API_ORIGIN.replace(/\/+$/, "") || null,
    tokenStateBatch: v.TOKEN_STATE_BATCH,
    market: {
      coingeckoUrl: v.COINGECKO_URL.replace(/\/$/, ""), geckoterminalUrl: v.GECKOTERMINAL_URL.replace(/\/$/, ""), pathPrefix: v.GECKOTERMINAL_PATH_PREFIX,
      geckoterminalQuota: v.GECKOTERMINAL_QUOTA_PROVIDER, keyHeader: v.COINGECKO_API_KEY_HEADER,
      coingeckoPerMinute: v.COINGECKO_CALLS_PER_MINUTE, geckoterminalPerMinute: v.GECKOTERMINAL_CALLS_PER_MINUTE,
      timeoutMs: v.MARKET_TIMEOUT_MS, maxCallsPerRun: v.MARKET_MAX_CALLS_PER_RUN, nativeRefreshMs: v.NATIVE_PRICE_REFRESH_SECONDS * 1000,
      activeRefreshMs: v.MARKET_ACTIVE_REFRESH_SECONDS * 1000,
    },
    analytics: { maxBlocks: v.ANALYTICS_MAX_BLOCKS, reorgDepth: v.ANALYTICS_REORG_DEPTH, solanaMintsPerRun: v.ANALYTICS_SOLANA_MINTS_PER_RUN,
      solanaAccountsPerRun: v.ANALYTICS_SOLANA_ACCOUNTS_PER_RUN, solanaTxPerRun: v.ANALYTICS_SOLANA_TX_PER_RUN, solanaSignaturePage: v.ANALYTICS_SOLANA_SIGNATURE_PAGE },
  };
}

/** The cron Worker's config for this env object, parsed on first use (the entry) and reused. */
export const cronConfig = parsedOncePer(parseCronConfig);
