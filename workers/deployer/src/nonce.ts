// Pure nonce bookkeeping for the Signer: what the next nonce is after a resync
// from the chain, and which in-flight transactions the chain has settled.
export type InFlight = { nonce: number; launchId: string; hash: string; raw: string; maxFee: string; sentAt: number };

/**
 * The next nonce to hand out. The chain's pending count wins when it is ahead
 * (someone else used the account); our own in-flight set wins when the node has
 * not seen all of it yet (they are re-broadcast, not re-signed).
 */
export function nextNonceAfterResync(chainPending: number, inflight: Pick<InFlight, "nonce">[]): number {
  const ours = inflight.reduce((m, t) => Math.max(m, t.nonce + 1), 0);
  return Math.max(chainPending, ours);
}

/** In-flight transactions whose nonce the chain has mined (latest count): they are settled. */
export function settledByChain(latestCount: number, inflight: InFlight[]): InFlight[] {
  return inflight.filter((t) => t.nonce < latestCount);
}

/** Transactions the node should still know about but may not (dropped, or never reached it). */
export function needsRebroadcast(latestCount: number, inflight: InFlight[], now: number, olderThanMs: number): InFlight[] {
  return inflight.filter((t) => t.nonce >= latestCount && now - t.sentAt >= olderThanMs);
}
