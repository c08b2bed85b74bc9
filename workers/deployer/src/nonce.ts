// Pure nonce and fee bookkeeping for the Signer Durable Object: what the next
// nonce is after a resync, which in-flight transactions the chain has settled,
// which the node seems to have lost (re-broadcast the same signed bytes), and
// which are stuck under the base fee (re-sign the same nonce with higher fees).
// Time and chain readings are parameters, so tests move them freely.

export type InFlight = {
  nonce: number;
  launchId: string;
  /** Where the launch's token will be: lets a lost transaction be told apart from a done launch. */
  tokenAddress: string;
  to: string;
  data: string;
  gas: string;
  hash: string;
  raw: string;
  maxFee: string;
  tip: string;
  firstSentAt: number;
  sentAt: number;
  replacements: number;
};

export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

export type SignerConfig = {
  /** A transaction the node has not mined after this long is sent again (same bytes). */
  rebroadcastAfterMs: number;
  /** A transaction under the base fee for this long is replaced with higher fees. */
  stuckAfterMs: number;
  /** Never offer more than this per gas (wei): a fee spike must not drain the hot wallet. */
  maxFeeCap: bigint;
  tip: bigint;
};

/**
 * The next nonce to hand out. The chain's pending count wins when it is ahead
 * (someone else used the account); our own in-flight set wins when the node has
 * not seen all of it yet (those are re-broadcast, not re-signed).
 */
export function nextNonceAfterResync(chainPending: number, inflight: Pick<InFlight, "nonce">[]): number {
  const ours = inflight.reduce((m, t) => Math.max(m, t.nonce + 1), 0);
  return Math.max(chainPending, ours);
}

/** In-flight transactions whose nonce the chain has mined (latest count): they are settled. */
export function settledByChain(latestCount: number, inflight: InFlight[]): InFlight[] {
  return inflight.filter((t) => t.nonce < latestCount);
}

/** Fees for a new transaction: 2× base fee survives six full blocks of +12.5% (EIP-1559). */
export function initialFees(baseFee: bigint, cfg: Pick<SignerConfig, "tip" | "maxFeeCap">): Fees {
  const maxFeePerGas = min(baseFee * 2n + cfg.tip, cfg.maxFeeCap);
  return { maxFeePerGas, maxPriorityFeePerGas: min(cfg.tip, maxFeePerGas) };
}

/**
 * Fees for a replacement: nodes (geth, anvil) accept a same-nonce replacement only
 * when both the fee cap and the tip rise by at least 10%; we also clear the current
 * base fee with room. Null when the cap forbids a real bump.
 */
export function bumpFees(prev: Fees, baseFee: bigint, cap: bigint): Fees | null {
  const tip = (prev.maxPriorityFeePerGas * 1125n) / 1000n + 1n;
  const wanted = max((prev.maxFeePerGas * 1125n) / 1000n + 1n, baseFee * 2n + tip);
  const maxFeePerGas = min(wanted, cap);
  if (maxFeePerGas < (prev.maxFeePerGas * 110n) / 100n || tip > maxFeePerGas) return null;
  return { maxFeePerGas, maxPriorityFeePerGas: tip };
}

export type Plan = { settle: InFlight[]; rebroadcast: InFlight[]; replace: { tx: InFlight; fees: Fees }[]; capped: InFlight[] };

/** What the Signer's alarm should do now, given the chain's view. */
export function planMaintenance(
  inflight: InFlight[],
  chain: { latestCount: number; baseFee: bigint },
  now: number,
  cfg: SignerConfig,
): Plan {
  const plan: Plan = { settle: settledByChain(chain.latestCount, inflight), rebroadcast: [], replace: [], capped: [] };
  for (const t of inflight) {
    if (t.nonce < chain.latestCount) continue;
    const underpriced = BigInt(t.maxFee) < chain.baseFee;
    if (underpriced && now - t.sentAt >= cfg.stuckAfterMs) {
      const fees = bumpFees({ maxFeePerGas: BigInt(t.maxFee), maxPriorityFeePerGas: BigInt(t.tip) }, chain.baseFee, cfg.maxFeeCap);
      if (fees) plan.replace.push({ tx: t, fees });
      else plan.capped.push(t);
    } else if (!underpriced && now - t.sentAt >= cfg.rebroadcastAfterMs) {
      plan.rebroadcast.push(t);
    }
  }
  return plan;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
