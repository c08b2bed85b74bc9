// Bindings and variables of the api Worker (see /wrangler.toml).
import type { LaunchMessage } from "@tokenforge/core";

export type Env = {
  DB: D1Database;
  CACHE: KVNamespace;
  LAUNCHES: Queue<LaunchMessage>;
  CRON: Fetcher;
  ASSETS?: Fetcher;
  TF_ENV: string;
  /** Public address of the EVM deployer account (part of each token's CREATE2 salt). */
  EVM_DEPLOYER_ADDRESS: string;
  /** Operator token for /api/v1/admin (a Worker secret). */
  ADMIN_TOKEN?: string;
  [secret: string]: unknown;
};

export type Caller = { userId: string; keyId: string | null; scopes: string[] };
export type AppEnv = { Bindings: Env; Variables: { caller: Caller | null } };
