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
  // Pinning (issue 18): the service's two base URLs and its request quota (a token bucket, as for an RPC provider).
  PINATA_UPLOADS_URL: z.string().default("https://uploads.pinata.cloud").pipe(z.url({ protocol: /^https?$/ })),
  PINATA_API_URL: z.string().default("https://api.pinata.cloud").pipe(z.url({ protocol: /^https?$/ })),
  PIN_REQUESTS: numberVar(60, z.number().int().positive()),
  PIN_PER_SECONDS: numberVar(60, z.number().positive()),
  // Origin of the public API, for token lists' logoURIs (empty: no lists are written).
  PUBLIC_API_ORIGIN: z.string().default(""),
});

export type CronConfig = {
  env: Environment;
  sweepStaleMs: number;
  pinning: { uploadsUrl: string; apiUrl: string; quota: { requests: number; perSeconds: number } };
  publicApiOrigin: string | null;
};

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseCronConfig(env: object): CronConfig {
  const v = parseVars("cron", CronVars, env);
  return {
    env: v.TF_ENV,
    sweepStaleMs: v.SWEEP_STALE_SECONDS * 1000,
    pinning: { uploadsUrl: v.PINATA_UPLOADS_URL.replace(/\/+$/, ""), apiUrl: v.PINATA_API_URL.replace(/\/+$/, ""), quota: { requests: v.PIN_REQUESTS, perSeconds: v.PIN_PER_SECONDS } },
    publicApiOrigin: v.PUBLIC_API_ORIGIN.replace(/\/+$/, "") || null,
  };
}

/** The cron Worker's config for this env object, parsed on first use (the entry) and reused. */
export const cronConfig = parsedOncePer(parseCronConfig);
