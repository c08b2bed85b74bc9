// The Solana side of the deployer talks to the chain through @solana/kit, not
// @solana/web3.js 1.x: kit is already a dependency, tree-shakes to ~20 KB gz
// under nodejs_compat (web3.js 1.x is ~100 KB and drags Buffer/bn.js polyfills),
// works on WebCrypto Ed25519 (what workerd has), and its RPC answers u64s as
// bigint, so supplies and lamports never lose precision. Confirmation is ours
// (polling from the confirmations queue), so kit's WebSocket helpers are unused.
// Every request goes through the chain's ChainGate (@tokenforge/gate's
// gatedSolanaTransport): provider budgets, breakers, failover across endpoints.
import { createSolanaRpcFromTransport, type Rpc, type SolanaRpcApi } from "@solana/kit";
import type { ChainConfig } from "@tokenforge/core";
import { gatedSolanaTransport, type GateEnv, type RpcLogContext } from "@tokenforge/gate";
import type { Env } from "../env";

export type SolanaRpc = Rpc<SolanaRpcApi>;

/**
 * A kit client whose transport asks the chain's ChainGate before every request,
 * like evmClient. Made per use, never cached at module level: a promise shared
 * between two queue batches would be settled from another request's I/O
 * context, which workerd forbids. Creating one is cheap.
 */
export function solanaRpc(env: Env, chain: ChainConfig, context?: RpcLogContext): SolanaRpc {
  // The deployer binds the ChainGate class itself; the transport needs only its RPC interface.
  return createSolanaRpcFromTransport(gatedSolanaTransport(env as unknown as GateEnv, chain, { context })) as SolanaRpc;
}

/** Commitments in order: a status at `have` satisfies a need for `want` when it is at least as deep. */
export const COMMITMENTS = ["processed", "confirmed", "finalized"] as const;
export type Commitment = (typeof COMMITMENTS)[number];
export const reached = (have: Commitment | null | undefined, want: Commitment) => !!have && COMMITMENTS.indexOf(have) >= COMMITMENTS.indexOf(want);
export const chainCommitment = (chain: ChainConfig): Commitment => chain.commitment ?? "confirmed";

const rentCache = new Map<string, { at: number; lamports: bigint }>();
/** getMinimumBalanceForRentExemption(0), cached for 10 minutes per chain: rent changes only with a feature gate. */
export async function rentForZeroBytes(env: Env, chain: ChainConfig): Promise<bigint> {
  const hit = rentCache.get(chain.id);
  if (hit && Date.now() - hit.at < 600_000) return hit.lamports;
  const lamports = await solanaRpc(env, chain, { hop: "rent" }).getMinimumBalanceForRentExemption(0n).send();
  rentCache.set(chain.id, { at: Date.now(), lamports });
  return lamports;
}
