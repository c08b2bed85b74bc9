// The seam between "a launch needs a signature" and where the key lives. The
// deployer talks to a TransactionSigner; today one is backed by a private key
// decrypted from an envelope (crypto/envelope.ts), later a KMS or a remote
// signer can implement the same two methods without the deployer changing.
import type { Hex, TransactionSerializable } from "viem";
import { open, type Envelope, type MasterKeys } from "./envelope";

export interface TransactionSigner {
  /** The account's address (checksummed for EVM). */
  address(): Promise<string>;
  /** Signs a fully populated transaction and returns the serialized signed transaction. */
  signTransaction(tx: TransactionSerializable): Promise<Hex>;
}

/** A signer over a private key held in memory (local dev, or after opening an envelope). */
export async function privateKeySigner(privateKey: Hex): Promise<TransactionSigner> {
  const { privateKeyToAccount } = await import("viem/accounts");
  const account = privateKeyToAccount(privateKey);
  return {
    address: async () => account.address,
    signTransaction: (tx) => account.signTransaction(tx),
  };
}

/**
 * A signer over a private key stored as an envelope: opened when first needed,
 * kept in memory only, never logged. `aad` must be what it was sealed with
 * (e.g. "deployer:evm").
 */
export function envelopeSigner(keys: MasterKeys, envelope: Envelope, aad: string): TransactionSigner {
  let inner: Promise<TransactionSigner> | null = null;
  const get = () => (inner ??= open(keys, envelope, aad).then((pk) => privateKeySigner(pk as Hex)));
  return {
    address: async () => (await get()).address(),
    signTransaction: async (tx) => (await get()).signTransaction(tx),
  };
}
