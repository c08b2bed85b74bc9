// Bindings and variables of the cron Worker (see ../wrangler.toml).
import type { ConfirmMessage, LaunchMessage } from "@tokenforge/core";
import type { ChainGateRpc } from "@tokenforge/gate";

export type Env = {
  DB: D1Database;
  LAUNCHES: Queue<LaunchMessage>;
  /** Submitted launches whose transaction the reconciliation found on chain go to the normal confirmation path. */
  CONFIRMATIONS: Queue<ConfirmMessage>;
  CACHE: KVNamespace;
  /** The deployer's ChainGate (script_name binding): every RPC call of this Worker asks it first. */
  CHAIN_GATE: DurableObjectNamespace<ChainGateRpc>;
  TF_ENV: string;
  SWEEP_STALE_SECONDS?: string;
  /** Gate tuning vars (RPC_TIMEOUT_MS, RPC_MAX_WAIT_MS, …) are read by name; see @tokenforge/gate's config.ts. */
  [name: string]: unknown;
};
