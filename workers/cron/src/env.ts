// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";

/** Secrets: a CoinGecko API key (optional: without it the free endpoints are used). */
export type Secrets = { COINGECKO_API_KEY?: string };

export type Env = {
  DB: D1Database;
  LAUNCHES: Queue<LaunchMessage>;
  /** Submitted launches whose transaction the reconciliation found on chain go to the normal confirmation path. */
  CONFIRMATIONS: Queue<ConfirmMessage>;
  /** Wallet-paid launches the deployer watches for on chain. */
  WATCH: Queue<WatchMessage>;
  CACHE: KVNamespace;
  /** The deployer's ChainGate (script_name binding): every RPC call of this Worker asks it first. */
  CHAIN_GATE: DurableObjectNamespace<ChainGateRpc>;
  // Vars: strings as wrangler.toml declares them; parsed in config.ts (the probe's RPC_TIMEOUT_MS in @tokenforge/gate's config.ts).
  TF_ENV: string;
  SWEEP_STALE_SECONDS?: string;
  RPC_TIMEOUT_MS?: string;
  COINGECKO_URL?: string;
  GECKOTERMINAL_URL?: string;
  GECKOTERMINAL_PATH_PREFIX?: string;
  GECKOTERMINAL_QUOTA_PROVIDER?: string;
  COINGECKO_API_KEY_HEADER?: string;
  COINGECKO_CALLS_PER_MINUTE?: string;
  GECKOTERMINAL_CALLS_PER_MINUTE?: string;
  MARKET_TIMEOUT_MS?: string;
  MARKET_MAX_CALLS_PER_RUN?: string;
  NATIVE_PRICE_REFRESH_SECONDS?: string;
  MARKET_ACTIVE_REFRESH_SECONDS?: string;
  ANALYTICS_MAX_BLOCKS?: string;
  ANALYTICS_REORG_DEPTH?: string;
  ANALYTICS_SOLANA_MINTS_PER_RUN?: string;
} & Secrets;
