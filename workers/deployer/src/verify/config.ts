// Source verification's vars (issue 19): the explorer plan is configuration.
// Etherscan's calls per second and per day and the chain ids the plan covers
// (the free tier is 3/s and 100,000/day and does not cover every chain), the
// API URLs (the local stand-in in tests), and how long to wait between checks.
import { numberVar, parsedOncePer, parseVars } from "@tokenforge/core/config-vars";
import { z } from "zod";

const url = z.preprocess((v) => (v === undefined ? "" : v), z.union([z.literal(""), z.string().url()]));

export const VerifyVars = z.object({
  // Empty: Etherscan verification is off (every row "unsupported").
  ETHERSCAN_API_URL: url,
  ETHERSCAN_CALLS_PER_SECOND: numberVar(3, z.number().positive()),
  ETHERSCAN_CALLS_PER_DAY: numberVar(100_000, z.number().positive()),
  // Comma-separated EIP-155 chain ids the plan covers.
  ETHERSCAN_CHAIN_IDS: z.preprocess((v) => (v === undefined ? "" : v), z.string().regex(/^(\d+(,\d+)*)?$/, "expected chain ids like 1,8453")),
  // Empty: Sourcify submission is off.
  SOURCIFY_API_URL: url,
  // Seconds between status checks of a submitted verification; failed calls back off from it.
  VERIFY_POLL_SECONDS: numberVar(5, z.number().positive()),
  // Calls to an explorer (not checks of a pending job) before a row is marked failed.
  VERIFY_MAX_ATTEMPTS: numberVar(8, z.number().int().positive()),
});

export type VerifyConfig = {
  etherscan: { apiUrl: string; perSecond: number; perDay: number; chainIds: Set<number> } | null;
  sourcifyUrl: string | null;
  pollSeconds: number;
  maxAttempts: number;
};

/** Pure: vars in, config out; a ConfigError names each bad var. */
export function parseVerifyConfig(env: object): VerifyConfig {
  const v = parseVars("deployer", VerifyVars, env);
  return {
    etherscan: v.ETHERSCAN_API_URL
      ? { apiUrl: v.ETHERSCAN_API_URL, perSecond: v.ETHERSCAN_CALLS_PER_SECOND, perDay: v.ETHERSCAN_CALLS_PER_DAY, chainIds: new Set(v.ETHERSCAN_CHAIN_IDS.split(",").filter(Boolean).map(Number)) }
      : null,
    sourcifyUrl: v.SOURCIFY_API_URL ? v.SOURCIFY_API_URL.replace(/\/$/, "") : null,
    pollSeconds: v.VERIFY_POLL_SECONDS,
    maxAttempts: v.VERIFY_MAX_ATTEMPTS,
  };
}

export const verifyConfig = parsedOncePer(parseVerifyConfig);
