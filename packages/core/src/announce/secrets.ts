// Platform credentials for announcements (the Telegram bot token, the X access
// token) are Worker secrets holding an envelope sealed under the master key, like
// the deployer key: JSON `{ v, iv, ct }` or base64 of it. Opened in memory only.
import { masterKeysFromEnv, open, type Envelope } from "../crypto/envelope";

export const TELEGRAM_BOT_AAD = "telegram:bot";
export const X_TOKEN_AAD = "x:digest";
/** A Discord webhook's sealed `{id}/{token}` is bound to its destination row. */
export const discordAad = (destinationId: string) => `announce:discord:${destinationId}`;

export function encodeSecretEnvelope(envelope: Envelope): string {
  return btoa(JSON.stringify(envelope));
}

export async function openSecretEnvelope(env: Record<string, unknown>, secret: string, aad: string): Promise<string> {
  const text = secret.trim().startsWith("{") ? secret : atob(secret.trim());
  return open(await masterKeysFromEnv(env), JSON.parse(text) as Envelope, aad);
}
