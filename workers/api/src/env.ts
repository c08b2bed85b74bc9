// Bindings and variables of the api Worker (see ../wrangler.toml, where every var
// is listed with its local default and meaning). ../env.check.ts holds this type
// against wrangler's generated ../worker-configuration.d.ts: the same names, vars
// as strings; only the secrets below are not in wrangler.toml.
import type { LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { WebhookEventMessage } from "@tokenforge/core/webhooks";
import type { AnnounceMessage } from "@tokenforge/core/announce/messages";
import type { Scope } from "./scopes";
import type { WebhookDeliveryMessage } from "./webhooks/deliver";
import type { MintAddressRpc } from "@tokenforge/core/solana/mint-address";

/** Secrets (`wrangler secret put`; locally .dev.vars): never in wrangler.toml. */
export type Secrets = {
  /** Operator token for /api/v1/admin outside production (the admin role replaces it). */
  ADMIN_TOKEN?: string;
  /** The platform's Telegram bot token, sealed under the master key (aad "telegram:bot"), as announce/secrets.ts reads it. */
  TELEGRAM_BOT_TOKEN_ENVELOPE?: string;
  /** The `secret_token` given to Telegram's setWebhook: updates must echo it in X-Telegram-Bot-Api-Secret-Token. */
  TELEGRAM_WEBHOOK_SECRET?: string;
};

export type Env = Secrets & {
  DB: D1Database;
  CACHE: KVNamespace;
  /** Uploaded logos (issue 18), keyed by the sha256 of the stored bytes. */
  ASSET_BUCKET: R2Bucket;
  LAUNCHES: Queue<LaunchMessage>;
  /** Wallet-paid launches for the deployer to look for on chain. */
  WATCH: Queue<WatchMessage>;
  /** Per-delivery retries of webhooks (queue "tf-webhook-deliveries", consumed by this Worker). */
  WEBHOOK_DELIVERIES: Queue<WebhookDeliveryMessage>;
  /** Launch announcements (queue "tf-announcements", produced by the deployer and this Worker, consumed here). */
  ANNOUNCEMENTS: Queue<AnnounceMessage>;
  /** Request and launch counters per API key, user and IP (rate-limiter.do.ts). */
  RATE_LIMITER: DurableObjectNamespace<import("./rate-limiter.do").RateLimiter>;
  CRON: Fetcher;
  /** One Ledger per user: the source of truth of its credits (ledger.do.ts; core credits/store.ts calls it). */
  LEDGER: DurableObjectNamespace<import("@tokenforge/core/credits/store").LedgerRpc>;
  /** One PlatformSpend per chain: the platform-wide daily spend cap. */
  PLATFORM_SPEND: DurableObjectNamespace<import("@tokenforge/core/credits/store").PlatformSpendRpc>;
  /** The deployer's ChainGate Durable Object (script_name binding): breaker and budget state for GET /health. */
  CHAIN_GATE?: DurableObjectNamespace<import("@tokenforge/gate").ChainGateRpc>;
  ASSETS?: Fetcher;
  TF_ENV: string;
  COST_METER?: string;
  /** Public address of the EVM deployer account (part of each token's CREATE2 salt). */
  EVM_DEPLOYER_ADDRESS: string;
  /** Comma-separated wallet addresses that get the admin role when they sign in. */
  ADMIN_WALLETS?: string;
  /** Comma-separated origins (scheme://host[:port]) users reach the API from: SIWE/SIWS messages must name one. */
  PUBLIC_ORIGINS?: string;
  /** Comma-separated origins allowed by CORS (credentials included). */
  CORS_ORIGINS?: string;
  /** "true" lets webhooks target http:// and private/loopback hosts (local dev only). */
  ALLOW_PRIVATE_WEBHOOKS?: string;
  /** Master keys for secrets at rest: MASTER_KEY_<n> (+ MASTER_KEY_VERSION); see core crypto/envelope.ts. */
  MASTER_KEY_VERSION?: string;
  MASTER_KEY_1?: string;
  /** Public key of the deployer's Solana fee payer ("" when Solana is not set up). */
  SOLANA_FEE_PAYER?: string;
  /** The deployer's MintAddress entrypoint (Workers RPC): a Solana launch's mint address for the 202. */
  DEPLOYER: Service<MintAddressRpc>;
  // Numeric and boolean vars: strings as wrangler.toml declares them, read only through config.ts.
  RATE_LIMIT_KEY_PER_MINUTE?: string;
  RATE_LIMIT_IP_PER_MINUTE?: string;
  RATE_LIMIT_LAUNCHES_PER_DAY?: string;
  RATE_LIMIT_TOKEN_REFRESH_PER_MINUTE?: string;
  RATE_LIMIT_IP_LAUNCHES_PER_DAY?: string;
  AUTH_NONCE_TTL_SECONDS?: string;
  SESSION_TTL_SECONDS?: string;
  WEBHOOK_RETRY_BASE_SECONDS?: string;
  WEBHOOK_MAX_ATTEMPTS?: string;
  QUOTE_TTL_SECONDS?: string;
  SOLANA_PRIORITY_FEE_MICROLAMPORTS?: string;
  SOLANA_COMPUTE_UNIT_LIMIT?: string;
  CREDITS_USER_CAP_PER_DAY?: string;
  CREDITS_PLATFORM_CAP_PER_DAY?: string;
  CREDITS_UNPRICED_RESERVE?: string;
  PAYMENT_WINDOW_SECONDS?: string;
  DISCORD_API_BASE?: string;
  TELEGRAM_API_BASE?: string;
  TELEGRAM_BOT_USERNAME?: string;
  TELEGRAM_LINK_TTL_SECONDS?: string;
  /** Origin metadata and logo URLs are written with (empty: the request's origin). */
  PUBLIC_API_ORIGIN?: string;
  ASSET_UPLOADS_PER_DAY?: string;
  MARKET_STALE_SECONDS?: string;
  CHAINS_CACHE_SECONDS?: string;
};

export type { WebhookEventMessage };

/** Who is calling. Sessions carry every scope; API keys carry theirs. */
export type Caller = {
  userId: string;
  role: "user" | "admin";
  via: "session" | "api-key";
  keyId: string | null;
  scopes: Scope[];
  /** An API key's daily spend caps per chain (set when the key is made, never changed), read with the key. */
  spendCaps?: Record<string, string> | null;
};
export type AppEnv = {
  Bindings: Env;
  Variables: { caller: Caller | null; adminToken?: boolean; limits?: import("./rate-limit").LimitOutcome[] };
};
