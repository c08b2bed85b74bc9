// A wallet-paid Solana launch's mint address, createWithSeed(payer, launch id,
// Token-2022), without @solana/kit: the api keeps kit out of its bundle (see
// workers/api/src/payments-solana.ts) but needs the address to write the mint's
// metadata uri before the deployer builds the transaction. The derivation is the
// System Program's: sha256(base ‖ seed ‖ owner program), no curve check.
// test/unit/seed-address.test.ts holds it equal to kit's createAddressWithSeed.
import { base58Decode, base58Encode } from "../auth/base58";

const TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

export async function seedAddress(base: string, seed: string, program: string = TOKEN_2022): Promise<string> {
  const b = base58Decode(base);
  const p = base58Decode(program);
  const s = new TextEncoder().encode(seed);
  if (b?.length !== 32 || p?.length !== 32) throw new RangeError("base and program must be 32-byte base58 keys");
  if (s.length > 32) throw new RangeError("a seed is at most 32 bytes");
  const input = new Uint8Array(64 + s.length);
  input.set(b, 0);
  input.set(s, 32);
  input.set(p, 32 + s.length);
  return base58Encode(new Uint8Array(await crypto.subtle.digest("SHA-256", input)));
}
