// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";

/** Secrets: the cron Worker has none. */
export type Secrets = Record<never, never>;

export type Env = {
  DB: D1Database;
  LAUNCHES: Queue<LaunchMessage>;
  /** Submitted launches whose transaction the reconciliation found on chain go to the normal confirmation path. */
  CONFIRMATIONS: Queue<ConfirmMessage>;
  /** Wallet-paid launches the deployer watches for on chain. */
  WATCH: Queue<WatchMessage>;
  CACHE: KVNamespace;
  /** Long-term copies of D1 (jobs/backup.ts; restored by `npm run restore`). */
  BACKUPS: R2Bucket;
  /** The deployer's ChainGate (script_name binding): every RPC call of this Worker asks it first. */
  CHAIN_GATE: DurableObjectNamespace<ChainGateRpc>;
  /** The api's Ledger Durable Object (script_name binding): captures and refunds of platform-paid launches (issue 17). */
  LEDGER: DurableObjectNamespace<import("@tokenforge/core/credits/store").LedgerRpc>;
  // Vars: strings as wrangler.toml declares them; parsed in config.ts (the probe's RPC_TIMEOUT_MS in @tokenforge/gate's config.ts).
  TF_ENV: string;
  COST_METER?: string;
  SWEEP_STALE_SECONDS?: string;
  DEPOSIT_DROP_SECONDS?: string;
  CREDITS_ORPHAN_MINUTES?: string;
  RPC_TIMEOUT_MS?: string;
  BACKUP_INTERVAL_MINUTES?: string;
  BACKUP_PAGE_ROWS?: string;
};
