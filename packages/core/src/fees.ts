// Launch cost estimates, written to KV by the cron Worker and read by the API
// (no external call on a read path). Gas per clone launch measured on anvil
// (contracts test: ~238k for a short name; longer names cost ~22k per extra slot).
import { z } from "zod";

export const EVM_LAUNCH_GAS = 260_000;
/** Solana: rent for a Token-2022 mint with metadata + an associated token account, plus fees (lamports). */
export const SOLANA_LAUNCH_LAMPORTS_ESTIMATE = 6_000_000;

export const ChainFees = z.object({
  chain: z.string(),
  gasPrice: z.string().meta({ description: "EVM: base fee + priority tip, in wei per gas; Solana: lamports per signature (a decimal string)" }),
  launchUnits: z.number().meta({ description: "EVM: gas one launch uses (an estimate); Solana: 1 (estimatedCost is the whole estimate)" }),
  estimatedCost: z.string().meta({ description: "One launch, in the chain's smallest native unit: wei (EVM) or lamports (Solana), a decimal string" }),
  updatedAt: z.string(),
});
export type ChainFees = z.infer<typeof ChainFees>;

export const feesKey = (chainId: string) => `fees:v1:${chainId}`;
