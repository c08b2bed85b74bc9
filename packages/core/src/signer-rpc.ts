// The Signer Durable Object as other Workers see it (the class lives in the
// deployer, workers/deployer/src/signer.do.ts): its name per (chain, account)
// and the read-only method the cron's metrics call through a script_name binding.

/** One Signer per chain and deployer account. */
export const signerName = (chainId: string, account: string) => `${chainId}:${account.toLowerCase()}`;

export type SignerInflight = { inflight: number; oldestInflightMs: number };

export interface SignerReadRpc extends Rpc.DurableObjectBranded {
  /** Transactions signed and not yet settled, from the object's storage alone (no chain read, no resync). */
  inflight(): Promise<SignerInflight>;
}
