// Verifies a TokenForge webhook (Standard Webhooks, standardwebhooks.com): the
// secret is `whsec_` + base64; the `webhook-signature` header holds one or more
// space-separated `v1,<base64>` HMAC-SHA256 signatures of
// `${webhook-id}.${webhook-timestamp}.${body}`. WebCrypto only, so it runs in
// Node ≥ 20, browsers and Workers alike.

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export class WebhookVerificationError extends Error {}

/** How far a webhook's timestamp may be from now (replay protection), as Standard Webhooks suggests. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Returns the parsed body when the signature is valid and the timestamp recent;
 * throws WebhookVerificationError otherwise. Pass the body exactly as received (not re-serialised JSON).
 */
export async function verifyWebhook<T = unknown>(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): Promise<T> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature");
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError("webhook-timestamp is not a number of seconds");
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    throw new WebhookVerificationError("webhook-timestamp is too far from now");
  }
  const key = await crypto.subtle.importKey("raw", fromBase64(secret.startsWith("whsec_") ? secret.slice(6) : secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  for (const candidate of signatures.split(" ")) {
    const [version, sig] = candidate.split(",", 2);
    if (version !== "v1" || !sig) continue;
    let mac: Uint8Array<ArrayBuffer>;
    try {
      mac = fromBase64(sig);
    } catch {
      continue;
    }
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, mac, signed)) return JSON.parse(body) as T;
  }
  throw new WebhookVerificationError("no valid signature");
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}
