// The fee payer's key as a secret string: base58 of the 64 bytes seed ‖ public
// key (the format wallets export), or the JSON byte array a `solana-keygen`
// keypair file holds. WebCrypto only, so it runs in Workers and in Node alike.
import { createKeyPairSignerFromBytes, getBase58Decoder, getBase58Encoder, type Address, type KeyPairSigner } from "@solana/kit";

export function parseKeypairBytes(secret: string): Uint8Array {
  const s = secret.trim();
  const bytes = s.startsWith("[") ? Uint8Array.from(JSON.parse(s) as number[]) : new Uint8Array(getBase58Encoder().encode(s));
  if (bytes.length !== 64) throw new Error(`a Solana keypair is 64 bytes (seed ‖ public key), got ${bytes.length}`);
  return bytes;
}

/** The signer for a keypair secret; kit checks that the public half matches the seed. */
export function keypairSigner(secret: string): Promise<KeyPairSigner> {
  return createKeyPairSignerFromBytes(parseKeypairBytes(secret));
}

/** A fresh keypair as the secret string (base58) and its address: for local platforms and tests. */
export async function generateKeypairSecret(): Promise<{ secret: string; address: Address }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const b64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const seed = b64url((jwk as { d: string }).d);
  const pub = b64url((jwk as { x: string }).x);
  const bytes = new Uint8Array(64);
  bytes.set(seed, 0);
  bytes.set(pub, 32);
  const b58 = getBase58Decoder();
  return { secret: b58.decode(bytes), address: b58.decode(pub) as Address };
}
