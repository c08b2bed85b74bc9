// Pure pieces of the Transfer index: balance deltas of a set of Transfer logs
// (applied, or taken back when their block was orphaned), the padded balance
// text D1 orders by, and the roll-up of one token's figures.
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
/** uint256 has at most 78 decimal digits: padded to that, text order is numeric order. */
const WIDTH = 78;

export const padAmount = (v: bigint) => v.toString().padStart(WIDTH, "0");
export const unpadAmount = (s: string) => BigInt(s);

export type Transfer = { token: string; from: string; to: string; value: bigint };

export type Deltas = {
  /** (token, holder) → change of balance. */
  balances: Map<string, bigint>;
  /** token → change of supply (mints − burns). */
  supply: Map<string, bigint>;
};

export const holderKey = (token: string, holder: string) => `${token}|${holder}`;

/** What `logs` change, times `sign` (+1 to apply, −1 to take back an orphaned block's logs). The zero address holds nothing. */
export function deltasOf(logs: Transfer[], sign: 1n | -1n = 1n): Deltas {
  const balances = new Map<string, bigint>();
  const supply = new Map<string, bigint>();
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  for (const l of logs) {
    const v = l.value * sign;
    if (l.from === ZERO_ADDRESS) add(supply, l.token, v);
    else add(balances, holderKey(l.token, l.from), -v);
    if (l.to === ZERO_ADDRESS) add(supply, l.token, -v);
    else add(balances, holderKey(l.token, l.to), v);
  }
  return { balances, supply };
}

/** Two delta sets as one (orphaned logs taken back, then the new ones applied). */
export function mergeDeltas(a: Deltas, b: Deltas): Deltas {
  const merge = (x: Map<string, bigint>, y: Map<string, bigint>) => {
    const out = new Map(x);
    for (const [k, v] of y) out.set(k, (out.get(k) ?? 0n) + v);
    return out;
  };
  return { balances: merge(a.balances, b.balances), supply: merge(a.supply, b.supply) };
}

/** The top holders' share of supply, 0..1 (null without supply). */
export function topShare(topBalances: bigint[], supply: bigint): number | null {
  if (supply <= 0n) return null;
  const top = topBalances.reduce((a, b) => a + b, 0n);
  // Six decimal places of a ratio: bigint division first, so huge supplies keep their precision.
  return Number((top * 1_000_000n) / supply) / 1_000_000;
}
