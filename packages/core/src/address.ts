// EVM addresses in one canonical form, EIP-55 checksum (what EIP-4361 and the
// launch contract show). Input may be all lower-case or all upper-case hex (no
// checksum to check); mixed case is a checksum someone typed, so it must be right
// (a typo is refused, not silently "fixed"). Solana addresses are base58, where
// case is part of the key: they are kept as they are.
import { getAddress, isAddress } from "viem";

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The EIP-55 form of `s`, or null when it is not an address or its mixed case fails the checksum. */
export function canonicalEvmAddress(s: string): `0x${string}` | null {
  if (!HEX_ADDRESS.test(s)) return null;
  const hex = s.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return getAddress(`0x${hex.toLowerCase()}`);
  return isAddress(s, { strict: true }) ? (s as `0x${string}`) : null;
}

/** A wallet address as stored and answered: EVM in EIP-55 form (any casing of it in), anything else unchanged. */
export function canonicalWallet(s: string): string {
  return HEX_ADDRESS.test(s) ? getAddress(s.toLowerCase()) : s;
}
