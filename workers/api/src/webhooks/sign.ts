// Standard Webhooks signing (standardwebhooks.com): the secret is `whsec_` +
// base64 of random bytes; the signature is HMAC-SHA256 with those bytes over
// `${webhook-id}.${webhook-timestamp}.${body}`, sent as `v1,<base64>`.
import { fromBase64, toBase64 } from "@tokenforge/core/crypto/envelope";

export const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}
