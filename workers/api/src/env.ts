// Bindings and variables of the api Worker (see ../wrangler.toml, where every var
// is listed with its local default and meaning).
import type { LaunchMessage } from "@tokenforge/core";
import type { WebhookEventMessage } from "@tokenforge/core/webhooks";
import type { Scope } from "./scopes";
import type { WebhookDeliveryMessage } from "./webhooks/deliver";

export type Env = {
  DB: D1Database;
  CACHE: KVNamespace;
  LAUNCHES: Queue<LaunchMessage>;
  /** Per-delivery retries of webhooks (queue "tf-webhook-deliveries", consumed by this Worker). */
  WEBHOOK_DELIVERIES: Queue<WebhookDeliveryMessage>;
  /** Request and launch counters per API key, user and IP (rate-limiter.do.ts). */
  RATE_LIMITER: DurableObjectNamespace<import("./rate-limiter.do").RateLimiter>;
  CRON: Fetcher;
  /** The deployer's ChainGate Durable Object (script_name binding): breaker and budget state for GET /health. */
  CHAIN_GATE?: DurableObjectNamespace<import("../../deployer/src/gate/chain-gate.do").ChainGate>;
  ASSETS?: Fetcher;
  TF_ENV: string;
  /** Public address of the EVM deployer account (part of each token's CREATE2 salt). */
  EVM_DEPLOYER_ADDRESS: string;
  /** Operator token for /api/v1/admin outside production (a Worker secret; the admin role replaces it). */
  ADMIN_TOKEN?: string;
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
  [secretOrVar: string]: unknown;
};

export type { WebhookEventMessage };

/** Who is calling. Sessions carry every scope; API keys carry theirs. */
export type Caller = {
  userId: string;
  role: "user" | "admin";
  via: "session" | "api-key";
  keyId: string | null;
  scopes: Scope[];
};
export type AppEnv = {
  Bindings: Env;
  Variables: { caller: Caller | null; adminToken?: boolean; limits?: import("./rate-limit").LimitOutcome[] };
};
