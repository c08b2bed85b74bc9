// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";

/** Secrets (and per-deployment addresses set beside them, as in the api). */
export type Secrets = {
  /** PagerDuty Events API v2 integration key; unset: alerts are recorded and shown, not paged. */
  PAGERDUTY_ROUTING_KEY?: string;
  /** Whose balance the funds alert reads: the EVM deployer and the Solana fee payer. */
  EVM_DEPLOYER_ADDRESS?: string;
  SOLANA_FEE_PAYER?: string;
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
  ALERT_FIRE_AFTER_SECONDS?: string;
  ALERT_RESOLVE_AFTER_SECONDS?: string;
  ALERT_FUNDS_MIN_LAUNCHES?: string;
  ALERT_BACKLOG_MAX_AGE_SECONDS?: string;
  ALERT_BREAKER_OPEN_SECONDS?: string;
  ALERT_ERROR_RATE?: string;
  ALERT_ERROR_MIN_CALLS?: string;
  ALERT_BUDGET_MIN_FILL?: string;
  PAGERDUTY_URL?: string;
};
