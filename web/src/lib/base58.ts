// Base58 comes from the shared core (a standalone module: no zod or viem in the
// bundle); base64 helpers for RPC account data read in the browser.
export { base58Decode, base58Encode } from "@tokenforge/core/auth/base58";

export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
export function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
