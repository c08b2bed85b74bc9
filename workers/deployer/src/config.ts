// The deployer's vars, parsed once at its entry (index.ts, and each Durable
// Object's constructor) into one typed object; the modules read fields of it.
// Every var is declared with its local default in ../wrangler.toml [vars]; the
// defaults below apply where a var is unset (production's [env.production] vars
// list only what differs). The ChainGate's own vars are read by gate/config.ts.
import { numberVar, parsedOncePer, parseVars } from "@tokenforge/core/config-vars";
import { Environment } from "@tokenforge/core";
import type { PriorityFee } from "@tokenforge/core/solana/index";
import { parseGwei } from "viem";
import { z } from "zod";
import type { SignerConfig } from "./nonce";

const positive = z.number().positive();
const nonNegative = z.number().min(0);
/** A gwei amount as viem parses it ("1.5"), so a fee cap is checked before it is ever used. */
const gweiVar = (fallback: string) =>
  z.preprocess((v) => (v === "" || v === undefined ? fallback : v), z.string().regex(/^\d+(\.\d{1,9})?$/, "expected a gwei amount like 500 or 1.5")).transform((g) => parseGwei(g));

export const DeployerVars = z.object({
  TF_ENV: Environment,
  // Read by core meter.ts at the entry (bench:cost); declared here so a typo fails at start.
  COST_METER: z.enum(["on", "off"]).default("off"),
  // Seconds between receipt checks (the chain's block time is the natural value).
  CONFIRM_DELAY_SECONDS: numberVar(1, nonNegative),
  // Queue retry backoff of a launch: base · 2^(attempt−1) s with full jitter, capped.
  RETRY_BASE_SECONDS: numberVar(2, positive),
  RETRY_CAP_SECONDS: numberVar(300, positive),
  SIGNER_REBROADCAST_AFTER_MS: numberVar(5_000, positive),
  SIGNER_STUCK_AFTER_MS: numberVar(3_000, positive),
  SIGNER_MAX_FEE_GWEI: gweiVar("500"),
  SIGNER_TIP_GWEI: gweiVar("1"),
  // Micro-lamports per compute unit (0: no priority fee); a launch uses ~28k units (measured on litesvm), so 60k leaves room.
  SOLANA_PRIORITY_FEE_MICROLAMPORTS: numberVar(0, z.number().int().min(0)),
  SOLANA_COMPUTE_UNIT_LIMIT: numberVar(60_000, z.number().int().positive()),
});

export type DeployerConfig = {
  env: Environment;
  confirmDelaySeconds: number;
  retry: { baseSeconds: number; capSeconds: number };
  signer: SignerConfig;
  /** null: no priority fee. */
  solanaPriorityFee: PriorityFee | null;
};

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseDeployerConfig(env: object): DeployerConfig {
  const v = parseVars("deployer", DeployerVars, env);
  return {
    env: v.TF_ENV,
    confirmDelaySeconds: v.CONFIRM_DELAY_SECONDS,
    retry: { baseSeconds: v.RETRY_BASE_SECONDS, capSeconds: v.RETRY_CAP_SECONDS },
    signer: { rebroadcastAfterMs: v.SIGNER_REBROADCAST_AFTER_MS, stuckAfterMs: v.SIGNER_STUCK_AFTER_MS, maxFeeCap: v.SIGNER_MAX_FEE_GWEI, tip: v.SIGNER_TIP_GWEI },
    solanaPriorityFee:
      v.SOLANA_PRIORITY_FEE_MICROLAMPORTS > 0
        ? { microLamportsPerUnit: BigInt(v.SOLANA_PRIORITY_FEE_MICROLAMPORTS), computeUnitLimit: v.SOLANA_COMPUTE_UNIT_LIMIT }
        : null,
  };
}

/** The deployer's config for this env object, parsed on first use (the entry) and reused. */
export const deployerConfig = parsedOncePer(parseDeployerConfig);
