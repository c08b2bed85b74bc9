// Where the EVM deployer key comes from. In every real deployment it is an
// AES-256-GCM envelope (DEPLOYER_KEY_ENVELOPE, sealed under the MASTER_KEY_<n>
// Worker secret, key version inside, so the master key can rotate), opened in
// memory only; a plain DEPLOYER_PRIVATE_KEY is accepted for tests. Behind the
// TransactionSigner interface, so a KMS or remote signer can replace it.
import { masterKeysFromEnv, type Envelope } from "@tokenforge/core/crypto/envelope";
import { envelopeSigner, privateKeySigner, type TransactionSigner } from "@tokenforge/core/crypto/signer";
import type { Hex } from "viem";
import type { Env } from "./env";

export const DEPLOYER_KEY_AAD = "deployer:evm";

export async function deployerSigner(env: Env): Promise<TransactionSigner> {
  if (env.DEPLOYER_KEY_ENVELOPE) {
    return envelopeSigner(await masterKeysFromEnv(env), parseEnvelope(String(env.DEPLOYER_KEY_ENVELOPE)), DEPLOYER_KEY_AAD);
  }
  if (env.DEPLOYER_PRIVATE_KEY) return privateKeySigner(env.DEPLOYER_PRIVATE_KEY as Hex);
  throw new Error("no deployer key: set DEPLOYER_KEY_ENVELOPE (and MASTER_KEY_1) as Worker secrets");
}

/** The envelope as JSON, or as base64 of that JSON (safe in .env files and secret stores). */
export function encodeEnvelopeSecret(envelope: Envelope): string {
  return btoa(JSON.stringify(envelope));
}

function parseEnvelope(secret: string): Envelope {
  const text = secret.trim().startsWith("{") ? secret : atob(secret.trim());
  return JSON.parse(text) as Envelope;
}
