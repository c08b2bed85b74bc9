// Discord incoming webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook).
// Users give us `https://discord.com/api/webhooks/{id}/{token}`; we keep id and
// token (sealed: the token is the credential) and post to the configured API
// base (discord.com, or the local stand-in), with `?wait=true` so the answer
// carries the message id, and `allowed_mentions: { parse: [] }` so no text can
// ping @everyone, a role or a user. Shared with the Ops alerts.
import { discordOutcome, type SendOutcome } from "./outcome";
import { postJson, type Fetch } from "./http";

export const DISCORD_API = "https://discord.com";
export type DiscordWebhook = { id: string; token: string };

const WEBHOOK_URL = /^https:\/\/discord\.com\/api(?:\/v\d{1,2})?\/webhooks\/(\d{15,22})\/([A-Za-z0-9_-]{20,128})$/;

/** Only https://discord.com/api/webhooks/{id}/{token} (optionally /api/v10/…), no query, fragment or credentials. */
export function parseDiscordWebhookUrl(raw: string): DiscordWebhook | null {
  const m = WEBHOOK_URL.exec(raw.trim());
  return m ? { id: m[1]!, token: m[2]! } : null;
}

export type DiscordEmbed = {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
};
export type DiscordMessage = { content?: string; username?: string; embeds?: DiscordEmbed[] };

export function executeDiscordWebhook(
  hook: DiscordWebhook,
  message: DiscordMessage,
  opts: { apiBase?: string; fetch?: Fetch; now?: () => number } = {},
): Promise<SendOutcome> {
  const base = (opts.apiBase ?? DISCORD_API).replace(/\/$/, "");
  const url = `${base}/api/v10/webhooks/${hook.id}/${hook.token}?wait=true`;
  return postJson(url, { ...message, allowed_mentions: { parse: [] } }, discordOutcome, opts);
}
