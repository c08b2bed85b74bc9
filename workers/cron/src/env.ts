// Bindings and variables of the cron Worker (see ../wrangler.toml).
import type { LaunchMessage } from "@tokenforge/core";

export type Env = {
  DB: D1Database;
  LAUNCHES: Queue<LaunchMessage>;
  CACHE: KVNamespace;
  TF_ENV: string;
  SWEEP_STALE_SECONDS?: string;
};
