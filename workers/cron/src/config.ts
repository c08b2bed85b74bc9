// The cron Worker's vars, parsed once at its entry (index.ts runJobs) into one
// typed object. Every var is declared with its local value in ../wrangler.toml
// [vars]. The ChainGate tuning vars its probes share with the deployer are read
// by the deployer's gate/config.ts.
import { numberVar, parsedOncePer, parseVars } from "@tokenforge/core/config-vars";
import { Environment } from "@tokenforge/core";
import { z } from "zod";

export const CronVars = z.object({
  TF_ENV: Environment,
  // A non-final launch that has not moved for this long is put back on the queue.
  SWEEP_STALE_SECONDS: numberVar(30, z.number().positive()),
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
});

export type MarketConfig = {
  coingeckoUrl: string; geckoterminalUrl: string; pathPrefix: string; geckoterminalQuota: "geckoterminal" | "coingecko";
  keyHeader: string; coingeckoPerMinute: number; geckoterminalPerMinute: number; timeoutMs: number; maxCallsPerRun: number;
  nativeRefreshMs: number;
  activeRefreshMs: number;
};
export type AnalyticsConfig = { maxBlocks: number; reorgDepth: number; solanaMintsPerRun: number };
export type CronConfig = { env: Environment; sweepStaleMs: number; market: MarketConfig; analytics: AnalyticsConfig };

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseCronConfig(env: object): CronConfig {
  const v = parseVars("cron", CronVars, env);
  return {
    env: v.TF_ENV, sweepStaleMs: v.SWEEP_STALE_SECONDS * 1000,
    market: {
      coingeckoUrl: v.COINGECKO_URL.replace(/\/$/, ""), geckoterminalUrl: v.GECKOTERMINAL_URL.replace(/\/$/, ""), pathPrefix: v.GECKOTERMINAL_PATH_PREFIX,
      geckoterminalQuota: v.GECKOTERMINAL_QUOTA_PROVIDER, keyHeader: v.COINGECKO_API_KEY_HEADER,
      coingeckoPerMinute: v.COINGECKO_CALLS_PER_MINUTE, geckoterminalPerMinute: v.GECKOTERMINAL_CALLS_PER_MINUTE,
      timeoutMs: v.MARKET_TIMEOUT_MS, maxCallsPerRun: v.MARKET_MAX_CALLS_PER_RUN, nativeRefreshMs: v.NATIVE_PRICE_REFRESH_SECONDS * 1000,
      activeRefreshMs: v.MARKET_ACTIVE_REFRESH_SECONDS * 1000,
    },
    analytics: { maxBlocks: v.ANALYTICS_MAX_BLOCKS, reorgDepth: v.ANALYTICS_REORG_DEPTH, solanaMintsPerRun: v.ANALYTICS_SOLANA_MINTS_PER_RUN },
  };
}

/** The cron Worker's config for this env object, parsed on first use (the entry) and reused. */
export const cronConfig = parsedOncePer(parseCronConfig);
