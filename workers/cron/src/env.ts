// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";
import type { VerifyMessage } from "@tokenforge/core/verify/targets";

/** Secrets (`wrangler secret put`; locally .dev.vars), and per-deployment addresses set beside them, as in the api. */
export type Secrets = {
  /** The X access token (OAuth 2.0 user context, tweet.write) sealed under the master key (aad "x:digest"); unset: no digest. */
  X_ACCESS_TOKEN_ENVELOPE?: string;
  /** Master keys that open it (core crypto/envelope.ts). */
  MASTER_KEY_1?: string;
  MASTER_KEY_VERSION?: string;
  /** PagerDuty Events API v2 integration key; unset: alerts are recorded and shown, not paged. */
  PAGERDUTY_ROUTING_KEY?: string;
  /** Alerts to Discord: a webhook URL (https://discord.com/api/webhooks/{id}/{token}); unset: none. */
  ALERT_DISCORD_WEBHOOK_URL?: string;
  /** Alerts to Telegram: the platform bot's token, sealed (aad "telegram:bot", as the api's), and the operators' chat id. */
  TELEGRAM_BOT_TOKEN_ENVELOPE?: string;
  ALERT_TELEGRAM_CHAT_ID?: string;
  /** Whose balance the funds alert reads: the EVM deployer and the Solana fee payer. */
  EVM_DEPLOYER_ADDRESS?: string;
  SOLANA_FEE_PAYER?: string;
  /** The pinning service's JWT (Pinata); without it nothing is pinned. */
  PINATA_JWT?: string;
  /** A CoinGecko API key (optional: without it the free endpoints are used). */
  COINGECKO_API_KEY?: string;
};

export type Env = Secrets & {
  DB: D1Database;
  LAUNCHES: Queue<LaunchMessage>;
  /** Submitted launches whose transaction the reconciliation found on chain go to the normal confirmation path. */
  CONFIRMATIONS: Queue<ConfirmMessage>;
  /** Wallet-paid launches the deployer watches for on chain. */
  WATCH: Queue<WatchMessage>;
  /** Source verification jobs (the deployer consumes them). */
  VERIFY: Queue<VerifyMessage>;
  CACHE: KVNamespace;
  /** Long-term copies of D1 (jobs/backup.ts; restored by `npm run restore`). */
  BACKUPS: R2Bucket;
  /** The deployer's ChainGate (script_name binding): every RPC call of this Worker asks it first. */
  CHAIN_GATE: DurableObjectNamespace<ChainGateRpc>;
  /** The deployer's Signer Durable Objects (script_name binding): only their in-flight counts are read (tf_signer_inflight). */
  SIGNER: DurableObjectNamespace<import("@tokenforge/core/signer-rpc").SignerReadRpc>;
  /** The api's Ledger Durable Object (script_name binding): captures and refunds of platform-paid launches (issue 17). */
  LEDGER: DurableObjectNamespace<import("@tokenforge/core/credits/store").LedgerRpc>;
  /** The api's PlatformSpend Durable Object (script_name binding, one per chain): today's spending against the platform cap, for the spend alert. */
  PLATFORM_SPEND: DurableObjectNamespace<import("@tokenforge/core/credits/store").PlatformSpendRpc>;
  // Vars: strings as wrangler.toml declares them; parsed in config.ts (the probe's RPC_TIMEOUT_MS in @tokenforge/gate's config.ts).
  TF_ENV: string;
  COST_METER?: string;
  SWEEP_STALE_SECONDS?: string;
  DEPOSIT_DROP_SECONDS?: string;
  CREDITS_ORPHAN_MINUTES?: string;
  CREDITS_RECONCILE_MINUTES?: string;
  RECONCILE_SCAN_BLOCKS?: string;
  TOKEN_STATE_BATCH?: string;
  RPC_TIMEOUT_MS?: string;
  BACKUP_INTERVAL_MINUTES?: string;
  BACKUP_PAGE_ROWS?: string;
  X_API_BASE?: string;
  X_DIGEST_HOUR_UTC?: string;
  X_DIGEST_SIZE?: string;
  ALERT_FIRE_AFTER_SECONDS?: string;
  ALERT_RESOLVE_AFTER_SECONDS?: string;
  ALERT_FUNDS_MIN_LAUNCHES?: string;
  ALERT_BACKLOG_MAX_AGE_SECONDS?: string;
  ALERT_BREAKER_OPEN_SECONDS?: string;
  ALERT_ERROR_RATE?: string;
  ALERT_ERROR_MIN_CALLS?: string;
  ALERT_BUDGET_MIN_FILL?: string;
  ALERT_SPEND_CAP_FRACTION?: string;
  CREDITS_PLATFORM_CAP_PER_DAY?: string;
  CREDITS_USER_CAP_PER_DAY?: string;
  PAGERDUTY_URL?: string;
  ALERT_DISCORD_API_BASE?: string;
  ALERT_TELEGRAM_API_BASE?: string;
  /** Logos to pin (issue 18). */
  ASSET_BUCKET: R2Bucket;
  PINATA_UPLOADS_URL?: string;
  PINATA_API_URL?: string;
  PIN_REQUESTS?: string;
  PIN_PER_SECONDS?: string;
  PUBLIC_API_ORIGIN?: string;
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
  ANALYTICS_SOLANA_ACCOUNTS_PER_RUN?: string;
  ANALYTICS_SOLANA_TX_PER_RUN?: string;
  ANALYTICS_SOLANA_SIGNATURE_PAGE?: string;
};
