// Bindings and variables of the deployer Worker (see ../wrangler.toml).
import type { ConfirmMessage, LaunchMessage } from "@tokenforge/core";
import type { WebhookEventMessage } from "@tokenforge/core/webhooks";
import type { Signer } from "./signer.do";
import type { ChainGate } from "./gate/chain-gate.do";

export type Env = {
  DB: D1Database;
  SIGNER: DurableObjectNamespace<Signer>;
  /** One per chain: provider budgets, endpoint breakers, failover (gate/chain-gate.do.ts). */
  CHAIN_GATE: DurableObjectNamespace<ChainGate>;
  LAUNCHES: Queue<LaunchMessage>;
  CONFIRMATIONS: Queue<ConfirmMessage>;
  /** Final launches for the api Worker's webhook deliveries. */
  WEBHOOK_EVENTS?: Queue<WebhookEventMessage>;
  TF_ENV: string;
  CONFIRM_DELAY_SECONDS?: string;
  /** Queue retry backoff of a launch: base · 2^(attempt−1) seconds with jitter, capped (defaults 2 and 300). */
  RETRY_BASE_SECONDS?: string;
  RETRY_CAP_SECONDS?: string;
  /** Secret: the EVM deployer key as an AES-256-GCM envelope under MASTER_KEY_<n> (see deployer-key.ts). */
  DEPLOYER_KEY_ENVELOPE?: string;
  /** Tests only: the deployer key in plain text. Never logged or returned. */
  DEPLOYER_PRIVATE_KEY?: string;
  /** Secret: the Solana fee payer's keypair (base58 of 64 bytes, or a solana-keygen JSON array). Never logged or returned. */
  SOLANA_FEE_PAYER_KEY?: string;
  /** Secret (≥ 32 chars): Solana mint keypairs are derived from it and the launch id. Never logged or returned. */
  MINT_SEED_SECRET?: string;
  /** Optional Solana priority fee in micro-lamports per compute unit (default 0: none), capped at SOLANA_COMPUTE_UNIT_LIMIT units. */
  SOLANA_PRIORITY_FEE_MICROLAMPORTS?: string;
  SOLANA_COMPUTE_UNIT_LIMIT?: string;
  [secret: string]: unknown;
};
