// Bindings and variables of the cron Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";
import type { VerifyMessage } from "@tokenforge/core/verify/targets";

/** Secrets: the cron Worker has none. */
export type Secrets = Record<never, never>;

export type Env = {
  DB: D1Database;
  LAUNCHES: Queue<LaunchMessage>;
  /** Submitted launches whose transaction the reconciliation found on chain go to the normal confirmation path. */
  CONFIRMATIONS: Queue<ConfirmMessage>;
  /** Wallet-paid launches the deployer watches for on chain. */
  WATCH: Queue<WatchMessage>;
  /** Source verification jobs (the deployer consumes them). */
  VERIFY: Queue<VerifyMessage>;
  CACHE: KVNamespace;
  /** The deployer's ChainGate (script_name binding): every RPC call of this Worker asks it first. */
  CHAIN_GATE: DurableObjectNamespace<ChainGateRpc>;
  // Vars: strings as wrangler.toml declares them; parsed in config.ts (the probe's RPC_TIMEOUT_MS in @tokenforge/gate's config.ts).
  TF_ENV: string;
  SWEEP_STALE_SECONDS?: string;
  TOKEN_STATE_BATCH?: string;
  RPC_TIMEOUT_MS?: string;
};
