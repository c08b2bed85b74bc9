// The deployer's Solana secrets: the fee payer's keypair (SOLANA_FEE_PAYER_KEY)
// and the secret the mint keys are derived from (MINT_SEED_SECRET). Parsed once
// per isolate; neither is ever logged or returned (only the derived addresses).
import type { KeyPairSigner } from "@solana/kit";
import { deriveMintSigner, keypairSigner, type PriorityFee } from "@tokenforge/core/solana/index";
import { deployerConfig } from "../config";
import type { Env } from "../env";

// The resolved signer is cached, not its promise: a pending promise shared by two
// requests would be settled in the wrong I/O context (workerd).
let feePayerCache: { secret: string; signer: KeyPairSigner } | null = null;

export async function feePayer(env: Env): Promise<KeyPairSigner> {
  const secret = env.SOLANA_FEE_PAYER_KEY;
  if (!secret) throw new Error("SOLANA_FEE_PAYER_KEY is not set: the deployer cannot pay for Solana launches");
  if (feePayerCache?.secret !== secret) feePayerCache = { secret, signer: await keypairSigner(secret) };
  return feePayerCache.signer;
}

export function mintSigner(env: Env, launchId: string): Promise<KeyPairSigner> {
  if (!env.MINT_SEED_SECRET) throw new Error("MINT_SEED_SECRET is not set: Solana mint addresses cannot be derived");
  return deriveMintSigner(env.MINT_SEED_SECRET, launchId);
}

/** Optional priority fee (SOLANA_PRIORITY_FEE_MICROLAMPORTS per compute unit) for at most SOLANA_COMPUTE_UNIT_LIMIT units (config.ts). */
export function priorityFee(env: Env): PriorityFee | null {
  return deployerConfig(env).solanaPriorityFee;
}

/**
 * Index of the instruction that claims the mint's address in the launch transaction
 * (Allocate, after the compute-budget instructions and the rent Transfer just before it).
 */
export const createAccountIndex = (fee: PriorityFee | null) => (fee ? 3 : 1);
