// Telegram Bot API (https://core.telegram.org/bots/api): the platform's one bot
// posts to chats that linked themselves with a one-time code, in HTML parse mode
// (text escaped by escape.ts) with link previews off. Updates reach us through a
// webhook whose `secret_token` Telegram echoes in X-Telegram-Bot-Api-Secret-Token.
// Shared with the Ops alerts.
import { telegramOutcome, type SendOutcome } from "./outcome";
import { postJson, type Fetch } from "./http";

export const TELEGRAM_API = "https://api.telegram.org";
export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

export function telegramSendMessage(
  botToken: string,
  chatId: string,
  html: string,
  opts: { apiBase?: string; fetch?: Fetch; now?: () => number } = {},
): Promise<SendOutcome> {
  const base = (opts.apiBase ?? TELEGRAM_API).replace(/\/$/, "");
  return postJson(
    `${base}/bot${botToken}/sendMessage`,
    { chat_id: chatId, text: html, parse_mode: "HTML", link_preview_options: { is_disabled: true } },
    telegramOutcome,
    opts,
  );
}

/** `/start <code>` (also `/start@OurBot <code>`), as sent by a t.me/<bot>?start=<code> or ?startgroup=<code> link. */
export function startCode(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const m = /^\/start(?:@\w+)?\s+([A-Za-z0-9_-]{16,64})\s*$/.exec(text);
  return m ? m[1]! : null;
}

/** The chat and text of an update's message or channel post (https://core.telegram.org/bots/api#update). */
export function updateMessage(update: unknown): { chatId: string; chatTitle: string | null; text: unknown } | null {
  if (!update || typeof update !== "object") return null;
  const u = update as Record<string, any>;
  const m = u.message ?? u.channel_post;
  if (!m || typeof m !== "object" || !m.chat || (typeof m.chat.id !== "number" && typeof m.chat.id !== "string")) return null;
  const title = m.chat.title ?? (m.chat.username ? `@${m.chat.username}` : null) ?? m.chat.first_name ?? null;
  return { chatId: String(m.chat.id), chatTitle: typeof title === "string" ? title.slice(0, 128) : null, text: m.text };
}
