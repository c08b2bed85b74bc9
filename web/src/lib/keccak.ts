// Keccak-256 (the pre-standard SHA-3 padding Ethereum uses) and EIP-55 address
// checksums, small enough for the first page: the API wants checksummed owners
// and SIWE wants a checksummed address, and viem would cost ~30 KB for this.
// Lanes are BigInts: slow per byte, but we only ever hash a few short strings.

const MASK = (1n << 64n) - 1n;
const PI: number[] = [];
const ROT: bigint[] = [];
const IOTA: bigint[] = [];
// The round constants and the ρ/π schedule, generated as FIPS 202 §3.2 describes.
for (let round = 0, r = 1, x = 1, y = 0; round < 24; round++) {
  [x, y] = [y, (2 * x + 3 * y) % 5];
  PI.push(5 * y + x);
  ROT.push(BigInt((((round + 1) * (round + 2)) / 2) % 64));
  let c = 0n;
  for (let j = 0; j < 7; j++) {
    r = ((r << 1) ^ ((r >> 7) * 0x71)) & 0xff;
    if (r & 2) c ^= 1n << ((1n << BigInt(j)) - 1n);
  }
  IOTA.push(c);
}

const rotl = (v: bigint, n: bigint) => (n === 0n ? v : ((v << n) | (v >> (64n - n))) & MASK);

function permute(s: bigint[]) {
  const c: bigint[] = [];
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) c[x] = s[x]! ^ s[x + 5]! ^ s[x + 10]! ^ s[x + 15]! ^ s[x + 20]!;
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1n);
      for (let y = 0; y < 25; y += 5) s[y + x]! ^= d;
    }
    let cur = s[1]!;
    for (let t = 0; t < 24; t++) {
      const j = PI[t]!;
      const next = s[j]!;
      s[j] = rotl(cur, ROT[t]!);
      cur = next;
    }
    for (let y = 0; y < 25; y += 5) {
      const row = s.slice(y, y + 5);
      for (let x = 0; x < 5; x++) s[y + x] = row[x]! ^ (~row[(x + 1) % 5]! & MASK & row[(x + 2) % 5]!);
    }
    s[0]! ^= IOTA[round]!;
  }
}

/** Keccak-256 of bytes, as lowercase hex without 0x. */
export function keccak256Hex(input: Uint8Array): string {
  const rate = 136;
  const padded = new Uint8Array(Math.floor(input.length / rate + 1) * rate);
  padded.set(input);
  padded[input.length]! ^= 0x01;
  padded[padded.length - 1]! ^= 0x80;
  const s: bigint[] = new Array(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let b = 7; b >= 0; b--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + b]!);
      s[i]! ^= lane;
    }
    permute(s);
  }
  let out = "";
  for (let i = 0; i < 4; i++) {
    let lane = s[i]!;
    for (let b = 0; b < 8; b++) {
      out += Number(lane & 0xffn).toString(16).padStart(2, "0");
      lane >>= 8n;
    }
  }
  return out;
}

export const isHexAddress = (a: string) => /^0x[0-9a-fA-F]{40}$/.test(a);

/** EIP-55: the address with each hex letter uppercased where the hash of the lowercase address has a nibble ≥ 8. */
export function checksumAddress(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, "");
  const hash = keccak256Hex(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out;
}
