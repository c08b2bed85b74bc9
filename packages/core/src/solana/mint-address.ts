// The mint of a Solana launch is an ordinary keypair derived from a deployer
// secret and the launch id: HMAC-SHA256(secret, domain ‖ launchId) is the
// Ed25519 seed. So the address is known before anything is sent (the 202
// carries it), only the holder of the secret can create that account, and a
// redelivery derives the same key and finds the mint instead of making another.
// The secret never leaves the deployer: the api asks it for the address
// (workers/deployer/src/solana/mint-address.entrypoint.ts).
import { createKeyPairSignerFromPrivateKeyBytes, type Address, type KeyPairSigner } from "@solana/kit";

const DOMAIN = "tokenforge/solana-mint/v1:";
/** Shorter secrets are refused: the mint keys are only as unguessable as the secret. */
export const MIN_MINT_SECRET_LENGTH = 32;

// Resolved keys only (never a pending promise shared between Worker requests).
const hmacKeys = new Map<string, CryptoKey>();

async function hmacKey(secret: string): Promise<CryptoKey> {
  if (secret.length < MIN_MINT_SECRET_LENGTH) throw new Error(`the mint seed secret must be at least ${MIN_MINT_SECRET_LENGTH} characters`);
  let key = hmacKeys.get(secret);
  if (!key) {
    key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

/** The 32-byte Ed25519 seed of a launch's mint. */
export async function mintSeed(secret: string, launchId: string): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(DOMAIN + launchId));
  return new Uint8Array(mac);
}

export async function deriveMintSigner(secret: string, launchId: string): Promise<KeyPairSigner> {
  return createKeyPairSignerFromPrivateKeyBytes(await mintSeed(secret, launchId));
}

export async function deriveMintAddress(secret: string, launchId: string): Promise<Address> {
  return (await deriveMintSigner(secret, launchId)).address;
}

/**
 * The deployer's MintAddress entrypoint as the api calls it over a service binding (Workers RPC):
 * the api types its binding with this, so it never imports the deployer's source.
 */
export interface MintAddressRpc extends Rpc.WorkerEntrypointBranded {
  /** The mint address of a launch (public; the key behind it never leaves the deployer). */
  address(launchId: string): Promise<string>;
  /** The fee payer's public address. */
  feePayer(): Promise<string>;
  /**
   * A wallet-paid launch's transaction for its payer to sign and send, on a fresh
   * blockhash (wallet-launch.ts); the mint is bound to the payer, so no key of ours signs.
   */
  walletTransaction(input: WalletTransactionInput): Promise<WalletTransactionIssued>;
}

export type WalletTransactionInput = { chain: string; launchId: string; payer: string; request: import("../launch").LaunchRequest };
/** Strings only (decimal lamports / block heights): what the 202 and launches.payment carry. */
export type WalletTransactionIssued = { mint: string; transaction: string; lastValidBlockHeight: string; payer: string; treasury: string; platformFee: string };
