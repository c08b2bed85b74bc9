// JSON helpers. Solana's u64 fields (lamports, rentEpoch = u64::MAX) can exceed 2^53, so
// bigints are written as bare JSON integers, as the real node does.
const BIG = "\u0000big:";

export function stringify(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? BIG + v.toString() : v));
  return text.replace(/"\\u0000big:(-?\d+)"/g, "$1");
}
