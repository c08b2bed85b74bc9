// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";

/** Secrets (`wrangler secret put`; locally .dev.vars): only the X digest's. */
export type Secrets = {
  /** The X access token (OAuth 2.0 user context, tweet.write) sealed under the master key (aad "x:digest"); unset: no digest. */
  X_ACCESS_TOKEN_ENVELOPE?: string;
  /** Master keys that open it (core crypto/envelope.ts). */
  MASTER_KEY_1?: string;
  MASTER_KEY_VERSION?: string;
};

export type Env = Secrets & {
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
  X_API_BASE?: string;
  X_DIGEST_HOUR_UTC?: string;
  X_DIGEST_SIZE?: string;
};
