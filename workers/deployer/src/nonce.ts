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

/** In-flight transactions whose nonce the chain has used (latest count): each is settled or taken, by receipt (settleByReceipt). */
export function nonceUsed(latestCount: number, inflight: InFlight[]): InFlight[] {
  return inflight.filter((t) => t.nonce < latestCount && !signing(t));
}

/**
 * What the chain says about an in-flight transaction whose nonce it has used:
 * is there a receipt for the stored hash, and is the launch's token at its
 * address. `null`: the chain did not answer (decide nothing, ask again).
 */
export type UsedNonceAnswer = { receipt: boolean; tokenExists: boolean } | null;

/**
 * The chain's count passing a nonce says only that SOME transaction used it.
 * Ours is settled when there is a receipt for the hash we stored, or when the
 * launch's token exists (an earlier signing of the same nonce — before a fee
 * bump — won the race). Otherwise another transaction took the nonce (the key
 * used elsewhere, an outside replacement, a stale count from a lagging
 * endpoint…): ours can never land and the launch must be sent again under a
 * fresh nonce. A gap-fill (to ourselves) has no token: only its receipt settles it.
 */
export function settleByReceipt(
  latestCount: number,
  inflight: InFlight[],
  answer: (t: InFlight) => UsedNonceAnswer,
  self: string,
): { settle: InFlight[]; taken: InFlight[] } {
  const out = { settle: [] as InFlight[], taken: [] as InFlight[] };
  for (const t of nonceUsed(latestCount, inflight)) {
    const a = answer(t);
    if (!a) continue;
    const fill = t.to.toLowerCase() === self.toLowerCase();
    if (a.receipt || (!fill && a.tokenExists)) out.settle.push(t);
    else out.taken.push(t);
  }
  return out;
}

/**
 * Nonces below our highest in-flight one that neither the chain (its pending
 * count) nor our in-flight set accounts for: everything of ours above waits
 * behind such a hole. A reorg makes one (a mined transaction of a settled launch
 * vanishes), so does a signing that failed after its nonce was reserved. Holes
 * are filled with zero-value self-transfers; a nonce counts as a hole only once
 * the transaction waiting behind it has waited `rebroadcastAfterMs`, so a node
 * that merely lags behind our broadcasts does not cost a fill. At most `max`.
 */
export function findHoles(inflight: InFlight[], chainPending: number, now: number, cfg: Pick<SignerConfig, "rebroadcastAfterMs">, max = 20): number[] {
  const live = inflight.filter((t) => !signing(t)).sort((a, b) => a.nonce - b.nonce);
  const mine = new Set(inflight.map((t) => t.nonce));
  const holes: number[] = [];
  let above = 0; // index of the first live transaction above the candidate nonce
  for (let n = chainPending; live.length && n < live.at(-1)!.nonce && holes.length < max; n++) {
    while (live[above]!.nonce < n) above++;
    if (mine.has(n)) continue;
    // The transaction waiting behind this nonce has waited long enough: it is a hole, not a lag.
    if (now - live[above]!.firstSentAt >= cfg.rebroadcastAfterMs) holes.push(n);
  }
  return holes;
}

/** A row whose nonce is reserved while its transaction is being signed (no bytes yet): nothing to send or settle. */
export const signing = (t: Pick<InFlight, "raw">) => t.raw === "";

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

/** `used`: their nonce is used on chain; settleByReceipt decides settled or taken. */
export type Plan = { used: InFlight[]; rebroadcast: InFlight[]; replace: { tx: InFlight; fees: Fees }[]; capped: InFlight[] };

/**
 * What the Signer's alarm should do now, given the chain's view. `pendingCount`: the node's count of this
 * account's transactions with its pool; a nonce below it is held there (ours, or a rival the settling finds
 * once mined), so sending ours again could change nothing: with a backlog in the pool, every transaction
 * waits past the window, and checking each one cost two RPC calls per launch.
 */
export function planMaintenance(
  inflight: InFlight[],
  chain: { latestCount: number; pendingCount: number; baseFee: bigint },
  now: number,
  cfg: SignerConfig,
): Plan {
  const plan: Plan = { used: nonceUsed(chain.latestCount, inflight), rebroadcast: [], replace: [], capped: [] };
  for (const t of inflight) {
    if (t.nonce < chain.latestCount || signing(t)) continue;
    const underpriced = BigInt(t.maxFee) < chain.baseFee;
    if (underpriced && now - t.sentAt >= cfg.stuckAfterMs) {
      const fees = bumpFees({ maxFeePerGas: BigInt(t.maxFee), maxPriorityFeePerGas: BigInt(t.tip) }, chain.baseFee, cfg.maxFeeCap);
      if (fees) plan.replace.push({ tx: t, fees });
      else plan.capped.push(t);
    } else if (!underpriced && t.nonce >= chain.pendingCount && now - t.sentAt >= cfg.rebroadcastAfterMs) {
      plan.rebroadcast.push(t);
    }
  }
  return plan;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
