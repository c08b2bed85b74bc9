// The cron Worker's vars, parsed once at its entry (index.ts runJobs) into one
// typed object. Every var is declared with its local value in ../wrangler.toml
// [vars]. The ChainGate tuning vars its probes share with the deployer are read
// by the deployer's gate/config.ts.
import { numberVar, parsedOncePer, parseVars } from "@tokenforge/core/config-vars";
import { Environment } from "@tokenforge/core";
import { z } from "zod";

export const CronVars = z.object({
  TF_ENV: Environment,
  // A non-final launch that has not moved for this long is put back on the queue.
  SWEEP_STALE_SECONDS: numberVar(30, z.number().positive()),
  // Tokens per chain whose chain state (supply, owner, pause, authorities) one run re-reads, stalest first.
  TOKEN_STATE_BATCH: numberVar(200, z.number().int().positive().max(2_000)),
});

export type CronConfig = { env: Environment; sweepStaleMs: number; tokenStateBatch: number };

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseCronConfig(env: object): CronConfig {
  const v = parseVars("cron", CronVars, env);
  return { env: v.TF_ENV, sweepStaleMs: v.SWEEP_STALE_SECONDS * 1000, tokenStateBatch: v.TOKEN_STATE_BATCH };
}

/** The cron Worker's config for this env object, parsed on first use (the entry) and reused. */
export const cronConfig = parsedOncePer(parseCronConfig);
