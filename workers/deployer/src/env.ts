// Bindings and variables of the deployer Worker (see ../wrangler.toml).
import type { ConfirmMessage, LaunchMessage } from "@tokenforge/core";
import type { Signer } from "./signer.do";

export type Env = {
  DB: D1Database;
  SIGNER: DurableObjectNamespace<Signer>;
  LAUNCHES: Queue<LaunchMessage>;
  CONFIRMATIONS: Queue<ConfirmMessage>;
  TF_ENV: string;
  CONFIRM_DELAY_SECONDS?: string;
  /** Secret: the EVM deployer account's private key (0x…). Never logged or returned. */
  DEPLOYER_PRIVATE_KEY: string;
  [secret: string]: unknown;
};
