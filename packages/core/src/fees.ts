// Launch cost estimates, written to KV by the cron Worker and read by the API
// (no external call on a read path). Gas per clone launch measured on anvil
// (contracts test: ~238k for a short name; longer names cost ~22k per extra slot).
import { z } from "zod";

export const EVM_LAUNCH_GAS = 260_000;
/** Solana: rent for a Token-2022 mint with metadata + an associated token account, plus fees (lamports). */
export const SOLANA_LAUNCH_LAMPORTS_ESTIMATE = 6_000_000;

export const ChainFees = z.object({
  chain: z.string(),
  /** EVM: base fee + priority tip (wei); Solana: lamports per signature. */
  gasPrice: z.string(),
  launchUnits: z.number(),
  /** Estimated cost of one launch in the chain's smallest unit (wei / lamports). */
  estimatedCost: z.string(),
  updatedAt: z.string(),
});
export type ChainFees = z.infer<typeof ChainFees>;

export const feesKey = (chainId: string) => `fees:v1:${chainId}`;
