// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";

/** Secrets (`wrangler secret put`; locally .dev.vars). */
export type Secrets = {
  /** The pinning service's JWT (Pinata); without it nothing is pinned. */
  PINATA_JWT?: string;
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
  /** Logos to pin (issue 18). */
  ASSET_BUCKET: R2Bucket;
  PINATA_UPLOADS_URL?: string;
  PINATA_API_URL?: string;
  PIN_REQUESTS?: string;
  PIN_PER_SECONDS?: string;
  PUBLIC_API_ORIGIN?: string;
};
