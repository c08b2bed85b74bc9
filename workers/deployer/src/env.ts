// Bindings and variables of the deployer Worker (see ../wrangler.toml). ../env.check.ts
// holds this type against wrangler's generated ../worker-configuration.d.ts: the same
// names, vars as strings; only the secrets below are not in wrangler.toml.
import type { ConfirmMessage, LaunchMessage, WatchMessage } from "@tokenforge/core";
import type { WebhookEventMessage } from "@tokenforge/core/webhooks";
import type { Signer } from "./signer.do";
import type { ChainGate } from "./gate/chain-gate.do";
import type { ExplorerGate } from "./verify/explorer-gate.do";
import type { VerifyMessage } from "@tokenforge/core/verify/targets";

/** Secrets (`wrangler secret put`; locally .dev.vars): never in wrangler.toml, never logged or returned. */
export type Secrets = {
  /** Secret: the EVM deployer key as an AES-256-GCM envelope under MASTER_KEY_<n> (see deployer-key.ts). */
  DEPLOYER_KEY_ENVELOPE?: string;
  /** Tests only: the deployer key in plain text. Never logged or returned. */
  DEPLOYER_PRIVATE_KEY?: string;
  /** Secret: the Solana fee payer's keypair (base58 of 64 bytes, or a solana-keygen JSON array). Never logged or returned. */
  SOLANA_FEE_PAYER_KEY?: string;
  /** Secret (≥ 32 chars): Solana mint keypairs are derived from it and the launch id. Never logged or returned. */
  MINT_SEED_SECRET?: string;
  /** Secret: the Etherscan API v2 key (one for every chain). Never logged or returned. */
  ETHERSCAN_API_KEY?: string;
};

export type Env = Secrets & {
  DB: D1Database;
  SIGNER: DurableObjectNamespace<Signer>;
  /** One per chain: provider budgets, endpoint breakers, failover (gate/chain-gate.do.ts). */
  CHAIN_GATE: DurableObjectNamespace<ChainGate>;
  /** The api's Ledger Durable Object (script_name binding): captures and refunds of platform-paid launches (issue 17). */
  LEDGER: DurableObjectNamespace<import("@tokenforge/core/credits/store").LedgerRpc>;
  LAUNCHES: Queue<LaunchMessage>;
  CONFIRMATIONS: Queue<ConfirmMessage>;
  /** Wallet-paid launches to look for on chain (consumed by this Worker, consumers/watch.ts). */
  WATCH: Queue<WatchMessage>;
  /** Final launches for the api Worker's webhook deliveries. */
  WEBHOOK_EVENTS?: Queue<WebhookEventMessage>;
  /** Confirmed launches for the api Worker's Discord/Telegram announcements (issue 20). */
  ANNOUNCEMENTS?: Queue<import("@tokenforge/core/announce/messages").AnnounceMessage>;
  /** Source verification jobs (consumed by this Worker, consumers/verify.ts; seeded by the cron). */
  VERIFY: Queue<VerifyMessage>;
  /** The explorer's plan as a budget (verify/explorer-gate.do.ts). */
  EXPLORER_GATE: DurableObjectNamespace<ExplorerGate>;
  // Vars: strings as wrangler.toml declares them; the numeric ones parsed once in config.ts (the ChainGate's in gate/config.ts).
  TF_ENV: string;
  COST_METER?: string;
  CONFIRM_DELAY_SECONDS?: string;
  RETRY_BASE_SECONDS?: string;
  RETRY_CAP_SECONDS?: string;
  SIGNER_REBROADCAST_AFTER_MS?: string;
  SIGNER_STUCK_AFTER_MS?: string;
  SIGNER_MAX_FEE_GWEI?: string;
  SIGNER_TIP_GWEI?: string;
  SOLANA_PRIORITY_FEE_MICROLAMPORTS?: string;
  SOLANA_COMPUTE_UNIT_LIMIT?: string;
  MASTER_KEY_VERSION?: string;
  // ChainGate tuning, read by gate/config.ts.
  BREAKER_WINDOW_MS?: string;
  BREAKER_ERROR_THRESHOLD?: string;
  BREAKER_MIN_CALLS?: string;
  BREAKER_CONSECUTIVE_TIMEOUTS?: string;
  BREAKER_COOLDOWN_MS?: string;
  BREAKER_PROBE_LEASE_MS?: string;
  RPC_TIMEOUT_MS?: string;
  RPC_MAX_WAIT_MS?: string;
  // Source verification, read by verify/config.ts.
  ETHERSCAN_API_URL?: string;
  ETHERSCAN_CALLS_PER_SECOND?: string;
  ETHERSCAN_CALLS_PER_DAY?: string;
  ETHERSCAN_CHAIN_IDS?: string;
  SOURCIFY_API_URL?: string;
  VERIFY_POLL_SECONDS?: string;
  VERIFY_MAX_ATTEMPTS?: string;
};
